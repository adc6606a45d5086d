"""Country comparer: each Central Asian state's milestones with Japan, read from the timeline.

A *milestone* is the first event of a kind for one country: its independence, Japan's
recognition, diplomatic relations, the listing as eligible for ODA, the first high-level visit,
Japan's first resident mission, the country's own embassy in Tokyo and the first bilateral aid
item. The rules that find them (:data:`MILESTONES`) are plain, documented patterns on the
timeline's ``title`` and ``event_type`` columns, so a student can check every match against the
row and its source.

:func:`country_milestones` and :func:`compare_countries` are the pure queries (tested without a
kernel); :class:`RelationsExplorer` wraps them in two dropdowns. In the static book the explorer
shows its default state; moving it needs a live kernel (Binder, Colab, a JupyterHub).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from .datasets import split_list
from .widgets import MessageBox

__all__ = [
    "CENTRAL_ASIA",
    "MILESTONES",
    "NONE",
    "Milestone",
    "RelationsExplorer",
    "compare_countries",
    "country_milestones",
    "format_date",
]

#: The five states, in the module's spelling.
CENTRAL_ASIA = ("Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan")

#: The "compare with" dropdown value meaning "show one country only".
NONE = "(none)"


@dataclass(frozen=True)
class Milestone:
    """One kind of milestone: a key, a label for tables, and the rule that finds its events."""

    key: str
    label: str
    title_pattern: str | None = None
    event_types: tuple[str, ...] = ()
    exclude_pattern: str | None = None

    def matches(self, events: pd.DataFrame) -> pd.Series:
        """Boolean mask of the rows of ``events`` that are events of this kind."""
        keep = pd.Series(False, index=events.index)
        if self.title_pattern:
            keep |= events["title"].str.contains(self.title_pattern, flags=re.IGNORECASE, regex=True)
        if self.event_types:
            keep |= events["event_type"].isin(self.event_types)
        if self.exclude_pattern:
            keep &= ~events["title"].str.contains(self.exclude_pattern, flags=re.IGNORECASE, regex=True)
        return keep


#: The milestone kinds, in the order a relationship usually passes through them.
MILESTONES = (
    Milestone("independence", "Declares independence",
              r"declares .*independence|proclaims independence|law on state independence"),
    Milestone("recognition", "Recognised by Japan", r"^Japan recognises"),
    Milestone("relations", "Diplomatic relations with Japan", r"establish diplomatic relations"),
    Milestone("oda_eligible", "Listed as ODA-eligible (OECD DAC)", r"\bDAC list"),
    Milestone("first_visit", "First high-level visit (either way)", r"\bvisit", ("visit",)),
    Milestone("japan_mission", "Japan's first resident mission opens",
              r"Embassy of Japan opens|Japan opens .*(?:embassy|diplomatic office)"),
    Milestone("embassy_tokyo", "Own embassy opens in Tokyo", r"embass(?:y|ies)\b.*\bTokyo",
              exclude_pattern=r"Embassy of Japan"),
    Milestone("first_aid", "First bilateral aid item", None, ("aid",)),
)

_PRECISION_FORMAT = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def format_date(date, precision: str) -> str:
    """A date as precise as its source: ``1993-01`` for a month, ``1993`` for a year, ``—`` if unknown."""
    if pd.isna(date):
        return "—"
    return pd.Timestamp(date).strftime(_PRECISION_FORMAT.get(precision, "%Y-%m-%d"))


def _check_country(country: str, what: str = "country") -> None:
    if country not in CENTRAL_ASIA:
        raise ValueError(f"'{country}' is not a Central Asian state of this module; "
                         f"choose one of: {', '.join(CENTRAL_ASIA)} (as the {what})")


def country_milestones(events: pd.DataFrame, country: str) -> pd.DataFrame:
    """The first event of each milestone kind that concerns ``country``, one row per kind.

    Columns: ``milestone`` (label), ``key``, ``date``, ``date_precision``, ``days_after_independence``
    (counted from the country's own declaration; approximate when either date is only known to
    the month or year), ``phase``, ``title`` and ``event_id``. A kind with no event in the
    timeline keeps its row, with an empty date: the gap is part of the answer.
    """
    _check_country(country)
    ordered = events.sort_values(["date", "event_id"]).reset_index(drop=True)
    concerns = split_list(ordered["countries"]).map(lambda cell: country in cell)
    mine = ordered.loc[concerns.astype(bool)]
    rows = []
    for kind in MILESTONES:
        hits = mine[kind.matches(mine)]
        if hits.empty:
            rows.append({"milestone": kind.label, "key": kind.key, "date": pd.NaT, "date_precision": "",
                         "phase": pd.NA, "title": "(no event of this kind in the timeline)", "event_id": ""})
            continue
        first = hits.iloc[0]
        rows.append({"milestone": kind.label, "key": kind.key, "date": first["date"],
                     "date_precision": first["date_precision"], "phase": first["phase"],
                     "title": first["title"], "event_id": first["event_id"]})
    table = pd.DataFrame(rows)
    table["date"] = pd.to_datetime(table["date"])
    table["phase"] = table["phase"].astype("Int64")
    start = table.loc[table["key"] == "independence", "date"].iloc[0]
    table.insert(4, "days_after_independence", (table["date"] - start).dt.days.astype("Int64"))
    return table


def compare_countries(events: pd.DataFrame, first: str, second: str) -> pd.DataFrame:
    """Two countries' milestones side by side, with how many days later the second reached each.

    Raises ``ValueError`` for an unknown country or if both are the same country.
    """
    _check_country(first, "first country")
    _check_country(second, "country to compare with")
    if first == second:
        raise ValueError(f"both countries are {first}: choose two different states to compare")
    left = country_milestones(events, first)
    right = country_milestones(events, second)
    table = pd.DataFrame({"milestone": left["milestone"], "key": left["key"],
                          f"{first}": left["date"], f"{first} precision": left["date_precision"],
                          f"{second}": right["date"], f"{second} precision": right["date_precision"]})
    table[f"{second} later by (days)"] = (right["date"] - left["date"]).dt.days.astype("Int64")
    return table


class RelationsExplorer:
    """Pick a state (and optionally a second one) and see its milestones with Japan.

    >>> explorer = RelationsExplorer(load("timeline"))           # doctest: +SKIP
    >>> explorer.set(country="Kyrgyzstan", compare_with="Turkmenistan")  # doctest: +SKIP
    >>> explorer.result                                          # the table shown
    """

    def __init__(self, events: pd.DataFrame, *, country: str = "Kazakhstan") -> None:
        self.events = events
        self.country = widgets.Dropdown(options=list(CENTRAL_ASIA), value=country, description="Country")
        self.compare_with = widgets.Dropdown(options=[NONE, *CENTRAL_ASIA], value=NONE,
                                             description="Compare with")
        self.message = MessageBox()
        # An HTML widget (not Output): plain widget state renders in the static book and re-runs identically.
        self.table = widgets.HTML()
        self.result = pd.DataFrame()
        for control in (self.country, self.compare_with):
            control.observe(lambda _change: self.update(), names="value")
        self.widget = widgets.VBox([widgets.HBox([self.country, self.compare_with]),
                                    self.message.widget, self.table])
        self.update()

    def _query(self, country: str, compare_with: str) -> pd.DataFrame:
        if compare_with in (None, NONE):
            return country_milestones(self.events, country)
        return compare_countries(self.events, country, compare_with)

    def set(self, *, country: str | None = None, compare_with: str | None = None) -> None:
        """Set the controls from code; an impossible choice is explained and nothing is lost."""
        wanted_country = self.country.value if country is None else country
        wanted_other = self.compare_with.value if compare_with is None else compare_with
        try:
            self._query(wanted_country, wanted_other)
        except ValueError as problem:
            self.message.error(str(problem))
            return
        with self.country.hold_trait_notifications(), self.compare_with.hold_trait_notifications():
            self.country.value = wanted_country
            self.compare_with.value = wanted_other
        self.update()

    def update(self) -> None:
        """Recompute :attr:`result` from the controls and redraw the table."""
        try:
            result = self._query(self.country.value, self.compare_with.value)
        except ValueError as problem:
            self.message.error(str(problem))
            return
        self.result = result
        self.table.value = self._html(result)
        if self.compare_with.value == NONE:
            found = int(result["date"].notna().sum())
            self.message.info(f"{self.country.value}: {found} of {len(result)} milestones found in the timeline.")
        else:
            self.message.info(f"{self.country.value} and {self.compare_with.value}: positive numbers mean "
                              f"{self.compare_with.value} reached the milestone later.")

    def _html(self, result: pd.DataFrame) -> str:
        shown = result.copy()
        if self.compare_with.value == NONE:
            shown["date"] = [format_date(d, p) for d, p in zip(shown["date"], shown["date_precision"])]
            approximate = shown["date_precision"].isin(["month", "year"])
            days = shown["days_after_independence"].astype("string").fillna("—")
            shown["days after independence"] = [f"≈ {d}" if a and d != "—" else d
                                                for d, a in zip(days, approximate)]
            shown["phase"] = shown["phase"].astype("string").fillna("—")
            shown = shown[["milestone", "date", "days after independence", "phase", "title"]]
        else:
            for name in (self.country.value, self.compare_with.value):
                shown[name] = [format_date(d, p) for d, p in zip(shown[name], shown[f"{name} precision"])]
            later = shown.columns[-1]
            shown[later] = shown[later].astype("string").fillna("—")
            shown = shown[["milestone", self.country.value, self.compare_with.value, later]]
        return shown.to_html(index=False, border=0, classes="milestone-table")

    def _ipython_display_(self) -> None:
        display(self.widget)
