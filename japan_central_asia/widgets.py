"""Interactive explorers for the notebooks, built from a few shared pieces.

Each explorer keeps its logic in plain functions (tested with pytest, usable without a kernel)
and wraps them in ipywidgets. In the static book an explorer shows its default state; moving the
controls needs a live kernel (Binder, Colab, a JupyterHub or a local Jupyter).

Shared pieces: :func:`filter_events` (the query), :func:`year_range_slider`,
:func:`choice_dropdown`, and :class:`MessageBox` (explains impossible input instead of failing).
"""

from __future__ import annotations

import base64
import html
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from .datasets import split_list

__all__ = [
    "ALL",
    "figure_html",
    "MessageBox",
    "TimelineExplorer",
    "check_year_range",
    "choice_dropdown",
    "filter_events",
    "year_range_slider",
]

#: The dropdown value meaning "no filter".
ALL = "(all)"


def _check_choice(value: str | None, allowed: list[str], what: str) -> None:
    if value in (None, ALL):
        return
    if value not in allowed:
        raise ValueError(f"'{value}' is not a known {what}; choose one of: {', '.join(allowed)}")


def check_year_range(years, dates: pd.Series, what: str = "the data") -> tuple[int, int]:
    """Return ``years`` as ``(first, last)`` integers, or raise ``ValueError`` saying what is wrong.

    A range is impossible when it is reversed or lies wholly outside the years of ``dates``;
    ``what`` names the data in the message ("the aid values cover 1993–2026; ...").
    """
    start, end = (int(y) for y in years)
    first, last = int(dates.dt.year.min()), int(dates.dt.year.max())
    if start > end:
        raise ValueError(f"the year range {start}–{end} is reversed: the first year must come first")
    if end < first or start > last:
        raise ValueError(f"{what} cover {first}–{last}; {start}–{end} lies outside them")
    return start, end


def filter_events(
    events: pd.DataFrame,
    *,
    years: tuple[int, int] | None = None,
    theme: str | None = None,
    country: str | None = None,
    event_type: str | None = None,
) -> pd.DataFrame:
    """Events within ``years`` (inclusive) that carry ``theme``, concern ``country`` and have ``event_type``.

    ``None`` or :data:`ALL` means no filter. An impossible value (a reversed year range, a
    theme that does not exist) raises ``ValueError`` with a message that says what would work.
    """
    if years is not None:
        start, end = check_year_range(years, events["date"])
    themes = sorted({t for cell in split_list(events["themes"]) for t in cell})
    countries = sorted({c for cell in split_list(events["countries"]) for c in cell})
    _check_choice(theme, themes, "theme")
    _check_choice(country, countries, "country")
    _check_choice(event_type, sorted(events["event_type"].unique()), "event type")

    keep = pd.Series(True, index=events.index)
    if years is not None:
        keep &= events["date"].dt.year.between(start, end)
    if theme not in (None, ALL):
        keep &= split_list(events["themes"]).map(lambda cell: theme in cell)
    if country not in (None, ALL):
        keep &= split_list(events["countries"]).map(lambda cell: country in cell)
    if event_type not in (None, ALL):
        keep &= events["event_type"] == event_type
    return events[keep]


def year_range_slider(first: int, last: int, description: str = "Years") -> widgets.IntRangeSlider:
    """A year-range slider spanning ``first``–``last``, both selected at the start."""
    return widgets.IntRangeSlider(
        value=(first, last), min=first, max=last, step=1, description=description,
        continuous_update=False, layout=widgets.Layout(width="95%"),
    )


def choice_dropdown(options: list[str], description: str) -> widgets.Dropdown:
    """A dropdown whose first option, :data:`ALL`, means no filter."""
    return widgets.Dropdown(options=[ALL, *options], value=ALL, description=description)


class MessageBox:
    """A line of text under the controls: a count, or why the input cannot be used."""

    def __init__(self) -> None:
        self.widget = widgets.HTML(value="")
        self.is_error = False

    def info(self, text: str) -> None:
        self.is_error = False
        self.widget.value = f"<p>{html.escape(text)}</p>"

    def error(self, text: str) -> None:
        self.is_error = True
        self.widget.value = f'<p role="alert"><strong>Cannot show this:</strong> {html.escape(text)}</p>'

    @property
    def text(self) -> str:
        return html.unescape(self.widget.value.replace("<p>", "").replace("</p>", ""))


class TimelineExplorer:
    """Filter the timeline of events by years, theme, country and type; list what matches.

    >>> explorer = TimelineExplorer(load("timeline"))     # doctest: +SKIP
    >>> explorer.set(years=(1997, 2004), theme="energy")  # doctest: +SKIP
    >>> explorer.result                                   # the matching events
    """

    columns_shown = ["date", "title", "countries", "event_type"]

    def __init__(self, events: pd.DataFrame, *, max_rows: int = 12) -> None:
        self.events = events.sort_values("date").reset_index(drop=True)
        self.max_rows = max_rows
        first, last = int(self.events["date"].dt.year.min()), int(self.events["date"].dt.year.max())
        themes = sorted({t for cell in split_list(self.events["themes"]) for t in cell})
        countries = sorted({c for cell in split_list(self.events["countries"]) for c in cell})
        self.years = year_range_slider(first, last)
        self.theme = choice_dropdown(themes, "Theme")
        self.country = choice_dropdown(countries, "Country")
        self.event_type = choice_dropdown(sorted(self.events["event_type"].unique()), "Type")
        self.message = MessageBox()
        # An HTML widget, not an Output widget: its content is plain widget state, so it renders in
        # the static book and re-runs identically (nbval cannot replay Output-widget captures).
        self.table = widgets.HTML()
        self.result = self.events
        for control in (self.years, self.theme, self.country, self.event_type):
            control.observe(lambda _change: self.update(), names="value")
        self.widget = widgets.VBox(
            [self.years, widgets.HBox([self.theme, self.country, self.event_type]),
             self.message.widget, self.table]
        )
        self.update()

    def set(self, *, years=None, theme=None, country=None, event_type=None) -> None:
        """Set controls from code; an impossible value is reported in the message line."""
        try:
            filter_events(self.events, years=years, theme=theme, country=country, event_type=event_type)
        except ValueError as problem:
            self.message.error(str(problem))
            return
        for control, value in ((self.years, years), (self.theme, theme),
                               (self.country, country), (self.event_type, event_type)):
            if value is not None:
                control.value = value
        self.update()

    def update(self) -> None:
        """Recompute :attr:`result` from the controls and redraw the list."""
        try:
            self.result = filter_events(
                self.events, years=self.years.value, theme=self.theme.value,
                country=self.country.value, event_type=self.event_type.value,
            )
        except ValueError as problem:
            self.message.error(str(problem))
            return
        if self.result.empty:
            self.message.info("No event matches these settings: widen the years or set a filter back to (all).")
        else:
            shown = min(len(self.result), self.max_rows)
            self.message.info(f"{len(self.result)} of {len(self.events)} events match; showing the first {shown}.")
        table = self.result[self.columns_shown].head(self.max_rows).copy()
        table["date"] = table["date"].dt.strftime("%Y-%m-%d")
        table["countries"] = table["countries"].fillna("").str.replace(";", ", ")
        # Plain to_html (no Styler): Styler's random table ids would differ on every run.
        self.table.value = table.to_html(index=False, border=0, classes="timeline-table")

    def _ipython_display_(self) -> None:
        display(self.widget)


def figure_html(fig, alt: str) -> tuple[bytes, str]:
    """Render a matplotlib figure for an explorer: (PNG bytes, an ``<img>`` tag with alt text).

    Explorers show charts in an ``ipywidgets.HTML`` widget rather than an ``Image`` widget, which
    cannot carry alt text; the figure is closed so that redrawing keeps kernel memory flat.
    """
    buffer = io.BytesIO()
    # No "Software" metadata: the PNG bytes then depend only on the drawing, not on versions.
    fig.savefig(buffer, format="png", dpi=80, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    png = buffer.getvalue()
    encoded = base64.b64encode(png).decode("ascii")
    tag = (f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt, quote=True)}" '
           'style="max-width:100%">')
    return png, tag
