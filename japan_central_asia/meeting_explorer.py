"""Meeting stepper: walk through the "Central Asia plus Japan" Dialogue meetings one at a time.

For each meeting of ``data/dialogue_meetings.csv`` the stepper shows its date, place, format and
status (held or cancelled), who represented Japan, how senior each Central Asian state's
representative was (a small table), the documents adopted, and the events of the module's
timeline in the same calendar year, so that a meeting can be read in its context.

:func:`ordered_meetings`, :func:`attendance_long` and :func:`describe_meeting` are the pure queries
(tested without a kernel); :class:`MeetingExplorer` wraps them in previous/next buttons and a
slider. In the static book the explorer shows its default state (the first meeting); moving it
needs a live kernel (Binder, Colab, a JupyterHub or a local Jupyter).
"""

from __future__ import annotations

import html
import numbers
from dataclasses import dataclass, field

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from .datasets import split_list
from .widgets import MessageBox

__all__ = [
    "LEVEL_COLUMNS",
    "LEVEL_LABELS",
    "LEVEL_ORDER",
    "MeetingExplorer",
    "MeetingView",
    "attendance_long",
    "describe_meeting",
    "meeting_title",
    "ordered_meetings",
]

#: The attendance column of each Central Asian state, in the module's spelling.
LEVEL_COLUMNS = {
    "Kazakhstan": "kazakhstan_level",
    "Kyrgyzstan": "kyrgyzstan_level",
    "Tajikistan": "tajikistan_level",
    "Turkmenistan": "turkmenistan_level",
    "Uzbekistan": "uzbekistan_level",
}

#: Attendance codes from the most to the least senior; the last three are not levels of rank.
LEVEL_ORDER = (
    "head_of_state", "head_of_government", "foreign_minister", "deputy_foreign_minister",
    "special_envoy", "ambassador", "other_official", "absent", "unknown", "not_applicable",
)

#: Readable labels for the attendance codes of the schema.
LEVEL_LABELS = {
    "head_of_state": "head of state",
    "head_of_government": "head of government",
    "foreign_minister": "foreign minister",
    "deputy_foreign_minister": "deputy foreign minister",
    "special_envoy": "special envoy",
    "ambassador": "ambassador",
    "other_official": "other official",
    "absent": "absent",
    "unknown": "unknown",
    "not_applicable": "not applicable",
}

_LEVEL_NAMES = {"foreign_ministers": "Foreign Ministers' Meeting", "summit": "Summit"}


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def meeting_title(row: pd.Series) -> str:
    """A readable name: ``4th Foreign Ministers' Meeting``, ``Summit (cancelled)``, …

    Unnumbered meetings are named by their format (an online foreign ministers' meeting is a
    "special video conference", as MOFA called the one of 2020).
    """
    name = _LEVEL_NAMES.get(row["level"], str(row["level"]).replace("_", " "))
    if pd.notna(row["number"]):
        title = f"{_ordinal(int(row['number']))} {name}"
    elif row["level"] == "foreign_ministers" and row["format"] == "online":
        title = "Foreign Ministers' special video conference"
    else:
        title = name
    if row["status"] == "cancelled":
        title += " (cancelled)"
    return title


def ordered_meetings(meetings: pd.DataFrame) -> pd.DataFrame:
    """The meetings sorted by date (then id), numbered ``step`` 1, 2, … and given a ``title``."""
    ordered = meetings.sort_values(["date", "meeting_id"]).reset_index(drop=True)
    ordered.insert(0, "step", range(1, len(ordered) + 1))
    ordered["title"] = [meeting_title(row) for _, row in ordered.iterrows()]
    return ordered


def attendance_long(meetings: pd.DataFrame) -> pd.DataFrame:
    """One row per meeting and Central Asian state.

    Columns: ``meeting_id``, ``date``, ``level`` (of the meeting: foreign ministers or summit),
    ``status``, ``state``, ``attendance`` (the state's code, an ordered categorical, most senior
    first, so counts and sorts follow rank) and ``label`` (readable).
    """
    long = meetings.melt(id_vars=["meeting_id", "date", "level", "status"],
                         value_vars=list(LEVEL_COLUMNS.values()), var_name="column", value_name="attendance")
    long["state"] = long["column"].map({column: state for state, column in LEVEL_COLUMNS.items()})
    long["attendance"] = pd.Categorical(long["attendance"], categories=list(LEVEL_ORDER), ordered=True)
    long["label"] = long["attendance"].map(LEVEL_LABELS).astype("string")
    columns = ["meeting_id", "date", "level", "status", "state", "attendance", "label"]
    return long.sort_values(["date", "meeting_id", "state"]).reset_index(drop=True)[columns]


@dataclass
class MeetingView:
    """Everything the stepper shows for one meeting."""

    step: int
    total: int
    meeting_id: str
    title: str
    facts: pd.DataFrame
    attendance: pd.DataFrame
    documents: list[str]
    events: pd.DataFrame
    notes: str = ""
    source_urls: list[str] = field(default_factory=list)


def _place(row: pd.Series) -> str:
    if row["format"] == "online":
        return "online (video conference)"
    parts = [p for p in (row["city"], row["host_country"]) if isinstance(p, str) and p]
    return ", ".join(parts) if parts else "not recorded"


def _resolve_step(ordered: pd.DataFrame, step: int | None, meeting_id: str | None) -> int:
    total = len(ordered)
    if total == 0:
        raise ValueError("the meetings table is empty: there is nothing to step through")
    if step is not None and meeting_id is not None:
        raise ValueError("give either a step number or a meeting id, not both")
    if meeting_id is not None:
        hits = ordered.index[ordered["meeting_id"] == meeting_id]
        if len(hits) == 0:
            known = ", ".join(ordered["meeting_id"])
            raise ValueError(f"'{meeting_id}' is not a meeting id in the data; known ids: {known}")
        return int(ordered.loc[hits[0], "step"])
    if step is None:
        return 1
    if isinstance(step, bool) or not isinstance(step, (numbers.Integral, float)) or (
            isinstance(step, float) and not step.is_integer()):
        raise ValueError(f"the step must be a whole number from 1 to {total}, not {step!r}")
    step = int(step)
    if not 1 <= step <= total:
        raise ValueError(f"step {step} is out of range: the data hold {total} meetings, "
                         f"so choose a step from 1 to {total}")
    return step


def describe_meeting(meetings: pd.DataFrame, events: pd.DataFrame | None = None, *,
                     step: int | None = None, meeting_id: str | None = None) -> MeetingView:
    """The meeting at ``step`` (1 = earliest) or with ``meeting_id``, with the timeline events of its year.

    Raises ``ValueError`` with a helpful message for a step outside 1…n, an unknown id, or both given.
    Without either, the first meeting is described.
    """
    ordered = ordered_meetings(meetings)
    number = _resolve_step(ordered, step, meeting_id)
    row = ordered.loc[number - 1]
    facts = pd.DataFrame({
        "field": ["meeting", "date", "place", "format", "status", "Japan represented by"],
        "value": [
            row["title"],
            row["date"].strftime("%Y-%m-%d"),
            _place(row),
            "in person" if row["format"] == "in_person" else "online",
            row["status"],
            f"{row['japan_representative']}, {row['japan_representative_title']}",
        ],
    })
    attendance = pd.DataFrame({
        "state": list(LEVEL_COLUMNS),
        "level": [row[column] for column in LEVEL_COLUMNS.values()],
    })
    attendance["attended as"] = attendance["level"].map(LEVEL_LABELS)
    if row["status"] == "cancelled":
        attendance["attended as"] = "meeting not held"
    documents = split_list(pd.Series([row["outcome_documents"]])).iloc[0]
    if events is None:
        year_events = pd.DataFrame(columns=["date", "title", "event_type", "event_id"])
    else:
        same_year = events[events["date"].dt.year == row["date"].year]
        year_events = same_year.sort_values(["date", "event_id"])[["date", "title", "event_type", "event_id"]]
        year_events = year_events.reset_index(drop=True)
    notes = row["notes"] if isinstance(row["notes"], str) else ""
    sources = split_list(pd.Series([row["source_url"]])).iloc[0]
    return MeetingView(step=number, total=len(ordered), meeting_id=row["meeting_id"], title=row["title"],
                       facts=facts, attendance=attendance, documents=list(documents),
                       events=year_events, notes=notes, source_urls=list(sources))


def _view_html(view: MeetingView, max_events: int) -> str:
    facts = view.facts.to_html(index=False, header=False, border=0, classes="meeting-facts")
    attendance = view.attendance[["state", "attended as"]].to_html(index=False, border=0,
                                                                   classes="meeting-attendance")
    if view.documents:
        documents = "<ul>" + "".join(f"<li>{html.escape(d)}</li>" for d in view.documents) + "</ul>"
    else:
        documents = "<p>No adopted document is named in the sources read.</p>"
    year = view.facts.loc[view.facts["field"] == "date", "value"].iloc[0][:4]
    if view.events.empty:
        events = f"<p>No event of {year} in the timeline.</p>"
    else:
        shown = view.events.head(max_events).copy()
        shown["date"] = shown["date"].dt.strftime("%Y-%m-%d")
        shown["event_type"] = shown["event_type"].str.replace("_", " ")
        more = len(view.events) - len(shown)
        events = shown[["date", "title", "event_type"]].to_html(index=False, border=0, classes="meeting-events")
        if more > 0:
            events += f"<p>… and {more} more event(s) of {year}.</p>"
    return (f"<p><strong>{html.escape(view.title)}</strong></p>{facts}"
            f"<p><strong>Central Asian attendance</strong></p>{attendance}"
            f"<p><strong>Outcome documents</strong></p>{documents}"
            f"<p><strong>Timeline events of {year}</strong></p>{events}")


class MeetingExplorer:
    """Step through the Dialogue meetings with previous/next buttons or a slider.

    >>> explorer = MeetingExplorer(load("dialogue_meetings"), load("timeline"))  # doctest: +SKIP
    >>> explorer.next()                                   # doctest: +SKIP
    >>> explorer.set(meeting_id="summit-01")              # doctest: +SKIP
    >>> explorer.result.attendance                        # the table shown
    """

    def __init__(self, meetings: pd.DataFrame, events: pd.DataFrame | None = None, *,
                 step: int = 1, max_events: int = 10) -> None:
        self.meetings = ordered_meetings(meetings)
        self.events = events
        self.max_events = max_events
        total = len(self.meetings)
        self.slider = widgets.IntSlider(value=1, min=1, max=max(total, 1), step=1, description="Meeting",
                                        continuous_update=False, layout=widgets.Layout(width="60%"))
        self.previous_button = widgets.Button(description="◀ Previous", tooltip="previous meeting")
        self.next_button = widgets.Button(description="Next ▶", tooltip="next meeting")
        self.previous_button.on_click(lambda _button: self.previous())
        self.next_button.on_click(lambda _button: self.next())
        self.message = MessageBox()
        # An HTML widget (not Output): plain widget state renders in the static book and re-runs identically.
        self.display = widgets.HTML()
        self.result: MeetingView | None = None
        self.slider.observe(lambda _change: self.update(), names="value")
        self.widget = widgets.VBox([widgets.HBox([self.previous_button, self.slider, self.next_button]),
                                    self.message.widget, self.display])
        self.set(step=step)

    @property
    def step(self) -> int:
        return int(self.slider.value)

    def set(self, *, step: int | None = None, meeting_id: str | None = None) -> None:
        """Go to a step (1 = earliest) or a meeting id; impossible input is explained, nothing is lost."""
        try:
            number = _resolve_step(self.meetings, step, meeting_id)
        except ValueError as problem:
            self.message.error(str(problem))
            return
        changed = number != self.slider.value
        self.slider.value = number  # a change triggers update() through the observer
        if not changed:
            self.update()

    def next(self) -> None:
        """Go to the next meeting; at the last one, say so."""
        if self.step >= len(self.meetings):
            self.message.info(f"This is the last meeting in the data ({self.step} of {len(self.meetings)}).")
            return
        self.set(step=self.step + 1)

    def previous(self) -> None:
        """Go to the previous meeting; at the first one, say so."""
        if self.step <= 1:
            self.message.info(f"This is the first meeting in the data (1 of {len(self.meetings)}).")
            return
        self.set(step=self.step - 1)

    def update(self) -> None:
        """Recompute :attr:`result` from the slider and redraw."""
        try:
            view = describe_meeting(self.meetings.drop(columns=["step", "title"]), self.events,
                                    step=self.step)
        except ValueError as problem:
            self.message.error(str(problem))
            return
        self.result = view
        self.previous_button.disabled = view.step <= 1
        self.next_button.disabled = view.step >= view.total
        self.message.info(f"Meeting {view.step} of {view.total}: {view.title}, "
                          f"{view.facts.loc[1, 'value']}.")
        self.display.value = _view_html(view, self.max_events)

    def _ipython_display_(self) -> None:
        display(self.widget)
