"""Scenario builder: the drivers of Japan's Central Asia policy and the rules that turn them into scenarios.

A *scenario* is an internally consistent story of how the future could unfold, built from a few
*drivers*: forces whose direction is uncertain and matters (Kahn and Wiener, 1967; Wack, 1985).
This module fixes seven drivers for the module's chapter "Prospects" (:data:`DRIVERS`), each with
two poles, and lets a student set each to ``low``, ``medium`` or ``high`` (``low`` = the first
pole, ``high`` = the second). :func:`compose_scenario` then names the scenario the settings
describe and explains why, by fixed, documented rules (:data:`RULES`, :data:`CONFLICTS`):

1. **Consistency first.** Some combinations contradict the drivers' own definitions (for example,
   Russia controlling the region's main export routes *and* a Trans-Caspian route that bypasses
   Russia becoming a main artery). Such a combination gets no scenario, and the explanation says
   which definitions clash. See :data:`CONFLICTS`.
2. **Then the first matching rule names the scenario**, in the order of :data:`RULES`; the last
   rule, "Steady presence", matches everything that no earlier rule took.

The same driver keys are the items of the class Delphi round (:mod:`.delphi`), where each is
rated 1–5 (1 = the first pole, 5 = the second); :func:`level_from_rating` turns a median rating
into a level, so a panel's medians can be fed to :func:`compose_scenario`.

:class:`ScenarioBuilder` wraps it all in one dropdown per driver (the widget). In the static book
it shows its default state; moving it needs a live kernel (Binder, Colab, a JupyterHub).
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass, field

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from .widgets import MessageBox

__all__ = [
    "CONFLICTS",
    "DRIVERS",
    "LEVELS",
    "RULES",
    "SCENARIOS",
    "Driver",
    "Scenario",
    "ScenarioBuilder",
    "all_combinations",
    "check_levels",
    "compose_scenario",
    "default_levels",
    "drivers_table",
    "level_from_rating",
]

#: The three settings of every driver, from the first pole to the second.
LEVELS = ("low", "medium", "high")
_RANK = {level: i for i, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class Driver:
    """One driver: a short key, a name, a description and its two poles (``low`` and ``high``)."""

    key: str
    name: str
    description: str
    low: str
    high: str


#: The seven drivers, in the order the chapter, the builder and the Delphi round use.
#: The chapter "Prospects" gives the sources for each description.
DRIVERS: dict[str, Driver] = {
    d.key: d
    for d in [
        Driver(
            "energy_minerals",
            "Energy and critical minerals",
            "How much Japan needs Central Asian gas, oil, uranium, rare earths and other critical "
            "minerals (its resource and economic-security pull).",
            low="Japan's needs are met elsewhere; Central Asia stays a minor supplier",
            high="Central Asian energy and critical minerals become an economic-security priority",
        ),
        Driver(
            "china_role",
            "China's role",
            "China's weight in the region's trade, lending, infrastructure and diplomacy "
            "(Belt and Road, the China–Central Asia summits).",
            low="China's weight levels off",
            high="China becomes the dominant trader, lender and builder",
        ),
        Driver(
            "russia_role",
            "Russia's role",
            "Russia's hold on the region's security, labour migration and export routes.",
            low="Russia's weight declines (war, sanctions, a weaker economy)",
            high="Russia controls the region's main export routes and its security",
        ),
        Driver(
            "us_alliance",
            "The US alliance",
            "How closely Japan ties its Central Asia policy to the United States' strategy in the "
            "region (the C5+1 format) and to competition with China and Russia.",
            low="US attention fades; Japan acts on its own terms",
            high="Japan's policy is tied to a US strategy of competing with China and Russia",
        ),
        Driver(
            "sco",
            "The SCO",
            "Whether the Shanghai Cooperation Organisation, led by China and Russia, stays closed to "
            "Western-aligned states or opens to partners such as Japan.",
            low="The SCO stays closed; Japan remains outside",
            high="The SCO opens to partners such as Japan (dialogue partner or observer)",
        ),
        Driver(
            "middle_corridor",
            "Connectivity: the Trans-Caspian route",
            "The Trans-Caspian International Transport Route (Middle Corridor) from China across "
            "Kazakhstan and the Caspian Sea to Europe, bypassing Russia.",
            low="The route stays marginal; trade keeps to the routes through Russia",
            high="The route becomes a main Asia–Europe artery bypassing Russia",
        ),
        Driver(
            "ca_agency",
            "Central Asian agency",
            "How far the five states act together as a region and choose their partners "
            "(multi-vector policy), rather than leaning on one patron.",
            low="The five act separately and lean on one patron",
            high="The five coordinate as a region and diversify their partners",
        ),
    ]
}


@dataclass(frozen=True)
class _Conflict:
    drivers: dict[str, str]
    reason: str


#: Combinations that contradict the drivers' definitions: (required levels, why they clash).
CONFLICTS: list[_Conflict] = [
    _Conflict({"russia_role": "high", "middle_corridor": "high"},
              "Russia cannot both control the region's main export routes (Russia: high) and see a "
              "route that bypasses it become a main artery (Trans-Caspian route: high)."),
    _Conflict({"ca_agency": "high", "china_role": "high", "russia_role": "high"},
              "The five cannot both diversify their partners (Central Asian agency: high) and end up "
              "dominated by China and Russia at once (both: high)."),
    _Conflict({"sco": "high", "us_alliance": "high"},
              "An SCO led by China and Russia would not open to a partner whose regional policy is tied "
              "to competing with them (SCO: high with US alliance: high)."),
]


@dataclass(frozen=True)
class ScenarioType:
    """A named scenario: its story, how it relates to the seed's 2013 prognosis, signposts to watch."""

    name: str
    story: str
    seed: str
    signposts: str


#: The scenarios the rules can name, in rule order.
SCENARIOS: dict[str, ScenarioType] = {
    s.name: s
    for s in [
        ScenarioType(
            "Japan marginalised",
            "A neighbour dominates and either Japan's pull is weak or the five do not seek "
            "alternatives: Japan keeps its aid and its embassies, but the big decisions on trade, "
            "routes and resources are made in Beijing or Moscow.",
            "Contradicts Sadykova's prognosis of a continuing Japanese presence.",
            "Dialogue meetings lapse or are downgraded; Japanese firms leave joint ventures.",
        ),
        ScenarioType(
            "Japan joins the SCO circle",
            "The SCO opens to outside partners and Japan, interested enough and not bound to a US "
            "strategy of rivalry, takes a seat as a dialogue partner or observer.",
            "Realises the idea Sadykova reports of Japan joining the SCO \"in any capacity\".",
            "An SCO decision on new partners that names Japan; Japanese delegations at SCO summits.",
        ),
        ScenarioType(
            "Dialogue deepens",
            "The five act together and want partners beyond their neighbours, Japan wants their "
            "resources, and Russia does not block the way: the \"Central Asia plus Japan\" Dialogue "
            "becomes the main channel, with regular summits and region-wide projects.",
            "Sadykova's prognosis in its strongest form: presence through the Dialogue first.",
            "Regular leaders' summits; joint projects that need all five (transport, water, energy grids).",
        ),
        ScenarioType(
            "Connectivity with allies",
            "The Trans-Caspian route takes off and Japan backs it in step with the United States: "
            "ports, rail and customs projects, financed with partners, dominate the agenda.",
            "Continues the presence Sadykova foresaw, but driven by routes and alliances more than by "
            "the Dialogue.",
            "Japanese loans for Caspian ports and rail; joint US–Japan projects in the region.",
        ),
        ScenarioType(
            "Bilateral resource deals dominate",
            "Japan's resource pull is strong but the five do not act as a region: Japan deals "
            "country by country, above all with Kazakhstan (uranium, rare metals), Uzbekistan and "
            "Turkmenistan (gas and chemicals).",
            "Matches the bilateral half of Sadykova's prognosis and Dobrinskaya's view that resources "
            "are handled bilaterally.",
            "New uranium, rare-metal or gas-chemical deals signed in bilateral visits.",
        ),
        ScenarioType(
            "Steady presence",
            "No driver pushes hard: Japan keeps up the Dialogue and its bilateral ties at a modest "
            "level, with aid, training and occasional large deals.",
            "Sadykova's baseline prognosis: presence through the Dialogue and bilateral relations.",
            "Foreign-ministers' meetings every two or three years; steady aid and training.",
        ),
    ]
}


def _any_high(levels: dict[str, str], *keys: str) -> bool:
    return any(levels[k] == "high" for k in keys)


#: The rules, in order: (scenario name, condition in words, test). The first match wins.
RULES: list[tuple[str, str, object]] = [
    ("Japan marginalised",
     "China or Russia is high AND (energy and critical minerals is low OR Central Asian agency is low)",
     lambda v: _any_high(v, "china_role", "russia_role")
     and (v["energy_minerals"] == "low" or v["ca_agency"] == "low")),
    ("Japan joins the SCO circle",
     "the SCO is high AND the US alliance is not high AND energy and critical minerals is not low",
     lambda v: v["sco"] == "high" and v["us_alliance"] != "high" and v["energy_minerals"] != "low"),
    ("Dialogue deepens",
     "Central Asian agency is high AND energy and critical minerals is not low AND Russia is not high",
     lambda v: v["ca_agency"] == "high" and v["energy_minerals"] != "low" and v["russia_role"] != "high"),
    ("Connectivity with allies",
     "the Trans-Caspian route is high AND the US alliance is high",
     lambda v: v["middle_corridor"] == "high" and v["us_alliance"] == "high"),
    ("Bilateral resource deals dominate",
     "energy and critical minerals is high",
     lambda v: v["energy_minerals"] == "high"),
    ("Steady presence", "no earlier rule matched", lambda v: True),
]


@dataclass
class Scenario:
    """The result of :func:`compose_scenario`."""

    levels: dict[str, str]
    name: str | None
    consistent: bool
    rule: str = ""
    conflicts: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        """The scenario in plain text: name, why, the story, the link to the seed, signposts."""
        if not self.consistent:
            return ("No consistent scenario: these settings contradict the drivers' definitions.\n"
                    + "\n".join(f"- {c}" for c in self.conflicts)
                    + "\nChange one of the drivers named above.")
        kind = SCENARIOS[self.name]
        return (f"{self.name}.\nWhy: {self.rule}.\n{kind.story}\n"
                f"Compared with 2013: {kind.seed}\nSignposts to watch: {kind.signposts}")

    def settings_table(self) -> pd.DataFrame:
        """One row per driver: its name, the level chosen and what that level means."""
        rows = []
        for key, driver in DRIVERS.items():
            level = self.levels[key]
            meaning = {"low": driver.low, "high": driver.high}.get(
                level, f"between the poles: neither '{driver.low}' nor '{driver.high}'")
            rows.append({"driver": driver.name, "level": level, "meaning": meaning})
        return pd.DataFrame(rows)


def default_levels() -> dict[str, str]:
    """Every driver at ``medium``: the builder's neutral starting point (not a forecast)."""
    return {key: "medium" for key in DRIVERS}


def check_levels(levels: dict[str, str], *, complete: bool = True) -> None:
    """Raise ``ValueError`` for an unknown driver, an unknown level, or (``complete``) a missing driver."""
    unknown = [k for k in levels if k not in DRIVERS]
    if unknown:
        raise ValueError(f"unknown driver(s): {', '.join(map(str, unknown))}; "
                         f"the drivers are: {', '.join(DRIVERS)}")
    for key, level in levels.items():
        if level not in LEVELS:
            raise ValueError(f"'{level}' is not a level for {key}; choose one of: {', '.join(LEVELS)}")
    missing = [k for k in DRIVERS if k not in levels]
    if complete and missing:
        raise ValueError(f"set every driver; missing: {', '.join(missing)}")


def compose_scenario(levels: dict[str, str] | None = None, **more: str) -> Scenario:
    """Name and explain the scenario for ``levels`` (missing drivers default to ``medium``).

    >>> compose_scenario(ca_agency="high").name
    'Dialogue deepens'

    Unknown drivers or levels raise ``ValueError``; a combination that contradicts the drivers'
    definitions (:data:`CONFLICTS`) returns a :class:`Scenario` with ``consistent=False``, no
    name, and the reasons in ``conflicts``.
    """
    chosen = dict(levels or {})
    chosen.update(more)
    check_levels(chosen, complete=False)
    full = default_levels() | chosen
    conflicts = [c.reason for c in CONFLICTS if all(full[k] == v for k, v in c.drivers.items())]
    if conflicts:
        return Scenario(full, None, False, conflicts=conflicts)
    for name, condition, test in RULES:
        if test(full):
            return Scenario(full, name, True, rule=condition)
    raise AssertionError("the last rule matches everything")  # pragma: no cover


def all_combinations() -> pd.DataFrame:
    """Every combination of levels (3 ** 7 = 2,187 rows) with the scenario it yields (or 'inconsistent')."""
    rows = []
    for combo in itertools.product(LEVELS, repeat=len(DRIVERS)):
        levels = dict(zip(DRIVERS, combo))
        result = compose_scenario(levels)
        rows.append(levels | {"scenario": result.name if result.consistent else "inconsistent"})
    return pd.DataFrame(rows)


def level_from_rating(rating: float) -> str:
    """A 1–5 rating (e.g. a Delphi median) as a level: below 2.5 ``low``, above 3.5 ``high``, else ``medium``."""
    if pd.isna(rating) or not 1 <= rating <= 5:
        raise ValueError(f"a rating must lie between 1 and 5, not {rating}")
    if rating < 2.5:
        return "low"
    if rating > 3.5:
        return "high"
    return "medium"


def drivers_table() -> pd.DataFrame:
    """The drivers as a table: key, name, description, the low pole and the high pole."""
    return pd.DataFrame([{"key": d.key, "driver": d.name, "description": d.description,
                          "low pole": d.low, "high pole": d.high} for d in DRIVERS.values()])


class ScenarioBuilder:
    """One dropdown per driver; below them the scenario the settings describe, and why.

    >>> builder = ScenarioBuilder()                     # doctest: +SKIP
    >>> builder.set(energy_minerals="high")             # doctest: +SKIP
    >>> builder.result.name                             # 'Bilateral resource deals dominate'
    """

    def __init__(self, levels: dict[str, str] | None = None) -> None:
        start = default_levels() | dict(levels or {})
        check_levels(start)
        self.controls = {
            key: widgets.Dropdown(options=list(LEVELS), value=start[key], description=d.name,
                                  style={"description_width": "15em"},
                                  layout=widgets.Layout(width="26em"))
            for key, d in DRIVERS.items()
        }
        self.message = MessageBox()
        # HTML widgets, not Output widgets: plain widget state renders in the static book and
        # re-runs identically under nbval.
        self.explanation = widgets.HTML()
        self.table = widgets.HTML()
        self.result = compose_scenario(start)
        self._quiet = False
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox([*self.controls.values(), self.message.widget,
                                    self.explanation, self.table])
        self.update()

    @property
    def levels(self) -> dict[str, str]:
        return {key: control.value for key, control in self.controls.items()}

    def set(self, **levels: str) -> None:
        """Set drivers from code; an impossible value is reported in the message line, nothing changes."""
        try:
            check_levels(levels, complete=False)
        except ValueError as problem:
            self.message.error(str(problem))
            return
        self._quiet = True  # one update after all the changes, not one per dropdown
        try:
            for key, level in levels.items():
                self.controls[key].value = level
        finally:
            self._quiet = False
        self.update()

    def _on_change(self, _change) -> None:
        if not self._quiet:
            self.update()

    def update(self) -> None:
        """Recompose :attr:`result` from the dropdowns and redraw the explanation."""
        self.result = compose_scenario(self.levels)
        if self.result.consistent:
            self.message.info(f"Scenario: {self.result.name}")
        else:
            self.message.error("these settings contradict each other; see below.")
        lines = self.result.explanation.split("\n")
        head, rest = lines[0], lines[1:]
        body = "".join(f"<li>{html.escape(line[2:])}</li>" if line.startswith("- ")
                       else f"<p>{html.escape(line)}</p>" for line in rest)
        self.explanation.value = f"<p><strong>{html.escape(head)}</strong></p>{body}"
        self.table.value = self.result.settings_table().to_html(index=False, border=0,
                                                                classes="scenario-table")

    def _ipython_display_(self) -> None:
        display(self.widget)
