"""Compare the themes of two periods: which share of each period's events concerns which theme.

Every event of ``data/timeline.csv`` carries one or more themes (``energy``,
``security_afghanistan`` ...). Comparing two phases, or two ranges of years, by the *share* of
their events that carry each theme shows how the agenda of Japan's Central Asia policy shifted,
even though the periods hold different numbers of events. Counts are always shown beside the
shares, because a share of a handful of events moves a lot with a single event.

* :func:`theme_table` counts and shares themes for any number of selections (the pure query,
  testable without a kernel);
* :func:`compare_themes` compares exactly two selections and refuses, with a helpful
  ``ValueError``, a phase that does not exist, a reversed or out-of-range span of years, a
  selection without events, or two selections that pick the same events;
* :func:`plot_theme_shares` draws the shares as grouped horizontal bars, each selection with its
  own colour *and* hatching, with the event counts written at the bar ends;
* :class:`ThemeExplorer` wraps them in ipywidgets, in the style of
  :class:`japan_central_asia.widgets.TimelineExplorer`.

A selection is a phase number (``3``: the events the timeline assigns to phase 3) or a pair of
years (``(1997, 2004)``: events dated in those years, both included).
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as ipw
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from .datasets import split_list
from .periods import phases as load_phases
from .plotting import OKABE_ITO
from .widgets import MessageBox, check_year_range, figure_html, year_range_slider

__all__ = [
    "SELECTION_STYLE",
    "SMALL_SELECTION",
    "ThemeExplorer",
    "compare_themes",
    "plot_theme_shares",
    "select_events",
    "selection_label",
    "theme_label",
    "theme_table",
]

#: Colour and hatching per selection, in order: two cues, so the bars also read without colour.
SELECTION_STYLE = [
    (OKABE_ITO["sky blue"], ""),
    (OKABE_ITO["vermillion"], "///"),
    (OKABE_ITO["bluish green"], "..."),
    (OKABE_ITO["orange"], "xx"),
]

#: Below this many events a share is fragile: one event moves it by more than ten points.
SMALL_SELECTION = 10

#: The dropdown value meaning "use the year slider instead of a phase".
YEARS = "years"

Selection = int | tuple[int, int]


def theme_label(code: str) -> str:
    """Plain-language name of a theme code: ``security_afghanistan`` → ``security / Afghanistan``."""
    special = {
        "security_afghanistan": "security / Afghanistan",
        "uranium_rare_metals": "uranium / rare metals",
        "trade_investment": "trade / investment",
        "environment_disasters": "environment / disasters",
        "governance_democracy": "governance / democracy",
        "human_resources_education": "human resources / education",
        "transport_connectivity": "transport / connectivity",
    }
    return special.get(code, code.replace("_", " "))


def _year_span(events: pd.DataFrame) -> tuple[int, int]:
    return int(events["date"].dt.year.min()), int(events["date"].dt.year.max())


def selection_label(selection: Selection, phase_table: pd.DataFrame | None = None) -> str:
    """``'Phase 3 (1997–2004)'`` for a phase, ``'1997–2004'`` for a pair of years."""
    if isinstance(selection, tuple):
        start, end = (int(y) for y in selection)
        return str(start) if start == end else f"{start}–{end}"
    table = load_phases() if phase_table is None else phase_table
    row = table[table["phase"] == int(selection)].iloc[0]
    end = "today" if pd.isna(row["end"]) else str(row["end"].year)
    return f"Phase {int(selection)} ({row['start'].year}–{end})"


def select_events(events: pd.DataFrame, selection: Selection,
                  phase_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The events of one selection: a phase number or an inclusive pair of years.

    Raises ``ValueError`` for a phase that does not exist, a reversed pair of years, years
    outside the data, or anything that is neither a phase nor a pair of years.
    """
    if isinstance(selection, (tuple, list)):
        if len(selection) != 2:
            raise ValueError(f"a span of years needs two years (first, last), not {tuple(selection)}")
        start, end = check_year_range(selection, events["date"])
        return events[events["date"].dt.year.between(start, end)]
    if isinstance(selection, bool) or not isinstance(selection, int):
        raise ValueError(f"{selection!r} is neither a phase number nor a pair of years such as (1997, 2004)")
    table = load_phases() if phase_table is None else phase_table
    known = sorted(int(p) for p in table["phase"])
    if selection not in known:
        raise ValueError(f"there is no phase {selection}; the phases are {', '.join(map(str, known))}")
    return events[events["phase"] == selection]


def _normalise(selection) -> Selection:
    return (int(selection[0]), int(selection[1])) if isinstance(selection, (tuple, list)) else selection


def theme_table(events: pd.DataFrame, selections: Sequence[Selection],
                phase_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Events and share of events per theme, one pair of columns per selection.

    Columns: ``theme`` (plain-language name), ``code`` (the theme code), then for each selection
    ``'<label>: events'`` (how many of its events carry the theme) and ``'<label>: share (%)'``
    (that number as a percentage of all the selection's events, one decimal). An event can carry
    several themes, so a share column adds up to more than 100. Themes absent from every
    selection are left out; rows are sorted by the last selection's share, then by name.
    Selections without events give shares of 0 (use :func:`compare_themes` to be told).
    """
    table = load_phases() if phase_table is None else phase_table
    selections = [_normalise(s) for s in selections]
    labels = [selection_label(s, table) for s in selections]
    if len(set(labels)) < len(labels):
        raise ValueError(f"each selection may appear only once, got {', '.join(labels)}")
    columns: dict[str, pd.Series] = {}
    for selection, label in zip(selections, labels):
        chosen = select_events(events, selection, table)
        counts = pd.Series(
            [t for cell in split_list(chosen["themes"]) for t in cell], dtype="object"
        ).value_counts()
        columns[f"{label}: events"] = counts
        share = counts / len(chosen) * 100 if len(chosen) else counts * 0.0
        columns[f"{label}: share (%)"] = share.round(1)
    wide = pd.DataFrame(columns).fillna(0)
    for label in labels:
        wide[f"{label}: events"] = wide[f"{label}: events"].astype(int)
    wide = wide[(wide[[f"{label}: events" for label in labels]] > 0).any(axis=1)]
    wide.index.name = "code"
    wide = wide.reset_index()
    wide.insert(0, "theme", wide["code"].map(theme_label))
    last = f"{labels[-1]}: share (%)"
    return wide.sort_values([last, "theme"], ascending=[False, True]).reset_index(drop=True)


def compare_themes(events: pd.DataFrame, first: Selection, second: Selection,
                   phase_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Theme shares of two selections side by side, with the change in percentage points.

    The result is :func:`theme_table` for ``[first, second]`` plus a column
    ``'change (points)'`` (second share minus first share). Raises ``ValueError`` with a message
    that says what would work when either selection is impossible or has no events, or when the
    two selections pick exactly the same events (there would be nothing to compare).
    """
    table = load_phases() if phase_table is None else phase_table
    first, second = _normalise(first), _normalise(second)
    chosen = []
    for selection in (first, second):
        rows = select_events(events, selection, table)
        if rows.empty:
            raise ValueError(
                f"{selection_label(selection, table)} has no events in the timeline, so it has no "
                "shares to compare: widen the years or choose another phase"
            )
        chosen.append(rows)
    if first == second:
        raise ValueError(
            f"both selections are {selection_label(first, table)}, so there is nothing to compare: "
            "choose another phase or span of years for one of them"
        )
    if set(chosen[0].index) == set(chosen[1].index):
        raise ValueError(
            f"{selection_label(first, table)} and {selection_label(second, table)} pick exactly the "
            f"same {len(chosen[0])} events, so there is nothing to compare: change one of them"
        )
    wide = theme_table(events, [first, second], table)
    a, b = (f"{selection_label(s, table)}: share (%)" for s in (first, second))
    wide["change (points)"] = (wide[b] - wide[a]).round(1)
    return wide


def plot_theme_shares(wide: pd.DataFrame, *, title: str | None = None, ax: plt.Axes | None = None) -> plt.Axes:
    """Grouped horizontal bars of the share columns of :func:`theme_table` / :func:`compare_themes`.

    One group of bars per theme (the table's order, top to bottom), one bar per selection with its
    own colour and hatching, and the count of events written at the end of each bar (``n=3``), so
    that a large share of a small selection can be recognised. Returns the axes (the caller
    closes the figure).
    """
    share_columns = [c for c in wide.columns if c.endswith(": share (%)")]
    if len(share_columns) > len(SELECTION_STYLE):
        raise ValueError(f"at most {len(SELECTION_STYLE)} selections can be drawn, got {len(share_columns)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 1.4 + 0.26 * max(len(wide), 1) * max(len(share_columns), 1)))
    if wide.empty:
        ax.text(0.5, 0.5, "No theme to show for this selection", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_yticks([])
        return ax
    height = 0.8 / len(share_columns)
    positions = range(len(wide))
    for i, column in enumerate(share_columns):
        label = column.removesuffix(": share (%)")
        colour, hatch = SELECTION_STYLE[i]
        y = [p + (i - (len(share_columns) - 1) / 2) * height for p in positions]
        bars = ax.barh(y, wide[column], height=height * 0.95, color=colour, hatch=hatch,
                       edgecolor="black", linewidth=0.5, label=label)
        counts = wide[f"{label}: events"]
        for bar, count in zip(bars, counts):
            ax.text(bar.get_width() + 0.8, bar.get_y() + bar.get_height() / 2, f"n={count}",
                    va="center", ha="left", fontsize=8)
    ax.set_yticks(list(positions), wide["theme"])
    ax.invert_yaxis()
    top = float(wide[share_columns].to_numpy().max())
    ax.set_xlim(0, max(top * 1.18, 10))
    ax.set_xlabel("Share of the selection's events that carry the theme (%)")
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.legend(loc="lower right", fontsize=9, title="Selection (colour and hatching)")
    if title:
        ax.set_title(title)
    return ax


class ThemeExplorer:
    """Choose two phases (or spans of years) and compare the share of their events per theme.

    >>> explorer = ThemeExplorer(load("timeline"))          # doctest: +SKIP
    >>> explorer.set(first=2, second=3)                     # doctest: +SKIP
    >>> explorer.set(second=(2001, 2004))                   # doctest: +SKIP
    >>> explorer.result                                     # the comparison table
    """

    def __init__(self, events: pd.DataFrame, *, first: Selection = 2, second: Selection = 3,
                 phase_table: pd.DataFrame | None = None, draw: bool = True, max_rows: int = 20) -> None:
        self.events = events.sort_values("date").reset_index(drop=True)
        self.phase_table = load_phases() if phase_table is None else phase_table
        self.draw = draw
        self.max_rows = max_rows
        low, high = _year_span(self.events)
        options = [(selection_label(int(p), self.phase_table), int(p)) for p in self.phase_table["phase"]]
        options.append(("Years (use the slider)", YEARS))
        self.first = ipw.Dropdown(options=options, description="First")
        self.second = ipw.Dropdown(options=options, description="Second")
        self.first_years = year_range_slider(low, high, description="First years")
        self.second_years = year_range_slider(low, high, description="Second years")
        self.message = MessageBox()
        # HTML and Image widgets, not an Output widget: their content is plain widget state, so it
        # renders in the static book and re-runs identically (nbval cannot replay Output captures).
        self.table = ipw.HTML(value="")
        self.chart = ipw.HTML()  # an <img> with alt text (an Image widget cannot carry alt text)
        self.chart_png = b""
        self.result = pd.DataFrame()
        #: The two selections last shown, e.g. ``(2, 3)`` or ``(2, (2001, 2004))``.
        self.selections: tuple[Selection, Selection] | None = None
        self._paused = True
        self._apply(first, self.first, self.first_years)
        self._apply(second, self.second, self.second_years)
        self._paused = False
        for control in (self.first, self.second, self.first_years, self.second_years):
            control.observe(lambda _change: None if self._paused else self.update(), names="value")
        self.widget = ipw.VBox([
            ipw.HBox([self.first, self.second]),
            self.first_years, self.second_years, self.message.widget, self.table, self.chart,
        ])
        self.update()

    @staticmethod
    def _apply(selection: Selection, dropdown: ipw.Dropdown, slider: ipw.IntRangeSlider) -> None:
        if isinstance(selection, (tuple, list)):
            slider.value = (int(selection[0]), int(selection[1]))
            dropdown.value = YEARS
        else:
            dropdown.value = int(selection)
        slider.disabled = dropdown.value != YEARS

    def _current(self) -> tuple[Selection, Selection]:
        picked = []
        for dropdown, slider in ((self.first, self.first_years), (self.second, self.second_years)):
            slider.disabled = dropdown.value != YEARS
            picked.append(tuple(slider.value) if dropdown.value == YEARS else int(dropdown.value))
        return picked[0], picked[1]

    def set(self, *, first: Selection | None = None, second: Selection | None = None) -> None:
        """Set one or both selections from code; impossible input is reported, nothing is changed."""
        current = self._current()
        wanted = (current[0] if first is None else _normalise(first),
                  current[1] if second is None else _normalise(second))
        try:
            for selection in wanted:  # years outside the slider are reported, not clipped
                if isinstance(selection, tuple):
                    select_events(self.events, selection, self.phase_table)
            compare_themes(self.events, *wanted, phase_table=self.phase_table)
        except ValueError as problem:
            self.message.error(str(problem))
            return
        self._paused = True
        try:
            self._apply(wanted[0], self.first, self.first_years)
            self._apply(wanted[1], self.second, self.second_years)
        finally:
            self._paused = False
        self.update()

    def update(self) -> None:
        """Recompute :attr:`result` from the controls and redraw table and chart.

        If the controls ask for something impossible (for instance the same phase twice), the
        message says why and the last valid comparison stays on screen.
        """
        first, second = self._current()
        try:
            result = compare_themes(self.events, first, second, phase_table=self.phase_table)
        except ValueError as problem:
            self.message.error(str(problem))
            return
        self.result = result
        self.selections = (first, second)
        sizes = [len(select_events(self.events, s, self.phase_table)) for s in (first, second)]
        labels = [selection_label(s, self.phase_table) for s in (first, second)]
        text = (f"{labels[0]}: {sizes[0]} events; {labels[1]}: {sizes[1]} events. A share is the "
                "percentage of a selection's events that carry the theme; an event can carry several "
                "themes, so shares add up to more than 100%.")
        overlap = set(select_events(self.events, first, self.phase_table).index) & set(
            select_events(self.events, second, self.phase_table).index)
        if overlap:
            text += f" The selections overlap: {len(overlap)} events are in both."
        if min(sizes) < SMALL_SELECTION:
            text += (f" With fewer than {SMALL_SELECTION} events in a selection, one event moves a "
                     "share by more than ten points: read the counts.")
        self.message.info(text)
        self._redraw()

    def _redraw(self) -> None:
        shown = self.result.drop(columns=["code"]).head(self.max_rows)
        # Plain to_html (no Styler): Styler's random table ids would differ on every run.
        self.table.value = shown.to_html(index=False, border=0, classes="theme-table")
        if self.draw:
            fig = plot_theme_shares(self.result).figure
            alt = ("Horizontal bar chart of the share of events per theme in the two selections, "
                   "side by side, with the count of events at the end of each bar: "
                   + self.message.text)
            self.chart_png, self.chart.value = figure_html(fig, alt)

    def _ipython_display_(self) -> None:
        display(self.widget)
