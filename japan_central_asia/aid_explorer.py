"""Explore Japan's aid to the Central Asian states as dated point values, units kept apart.

``data/aid.csv`` is not a time series. Each row is one amount that one source gave, in its own
unit (``JPY billion``, ``USD million``, ``USD billion``, ``persons``) and on its own basis (a
pledge, an exchange of notes, a loan agreement, a disbursement, a cumulative total ...). Adding a
yen loan agreement to a dollar disbursement, or a pledge to the loan that later honoured it,
produces a number that means nothing. This module therefore:

* :func:`query_aid` selects rows by country, instrument, basis, unit and years (the pure query,
  testable without a kernel; impossible input raises ``ValueError`` with a helpful message);
* :func:`add_up` adds amounts **only** when every row shares one unit and one basis, and
  otherwise raises :class:`MixedUnitsError`, which explains why the sum would be meaningless;
* :func:`plot_aid_points` draws the values as markers, one panel per unit (never one shared
  axis), marker shape and colour by basis;
* :class:`AidExplorer` wraps them in ipywidgets (country, instrument, basis, years and an
  "add up" switch), in the style of :class:`japan_central_asia.widgets.TimelineExplorer`.
"""

from __future__ import annotations


import ipywidgets as ipw
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import pandas as pd
from IPython.display import display

from .plotting import OKABE_ITO
from .widgets import ALL, MessageBox, check_year_range, choice_dropdown, figure_html, year_range_slider

__all__ = [
    "AidExplorer",
    "BASIS_LABELS",
    "BASIS_STYLE",
    "MixedUnitsError",
    "add_up",
    "plot_aid_points",
    "query_aid",
    "unit_basis_table",
]

#: Plain-language names of the ``basis`` codes (what stage of the aid process a value records).
BASIS_LABELS = {
    "pledge": "pledge or announced intention",
    "exchange_of_notes": "exchange of notes (government commitment)",
    "loan_agreement": "loan agreement (lender's contract)",
    "disbursement": "disbursement (money actually paid)",
    "cumulative_commitment": "cumulative total of commitments",
    "portfolio": "portfolio of ongoing projects",
    "other": "other or undefined basis",
}

#: Colour and marker per basis: two cues, so the chart also reads without colour.
BASIS_STYLE = {
    "pledge": (OKABE_ITO["orange"], "^"),
    "exchange_of_notes": (OKABE_ITO["blue"], "o"),
    "loan_agreement": (OKABE_ITO["bluish green"], "D"),
    "disbursement": (OKABE_ITO["vermillion"], "s"),
    "cumulative_commitment": (OKABE_ITO["reddish purple"], "P"),
    "portfolio": (OKABE_ITO["sky blue"], "X"),
    "other": (OKABE_ITO["grey"], "v"),
}

COLUMNS_SHOWN = ["date", "country", "item", "instrument", "amount", "amount_qualifier", "unit", "basis"]


class MixedUnitsError(ValueError):
    """Raised when amounts in different units or on different bases would be added together."""


def _check_choice(value, allowed: list[str], what: str) -> None:
    if value in (None, ALL):
        return
    if value not in allowed:
        raise ValueError(f"'{value}' is not a known {what}; choose one of: {', '.join(allowed)}")


def _choices(aid: pd.DataFrame, column: str) -> list[str]:
    return sorted(str(v) for v in aid[column].dropna().unique())


def query_aid(
    aid: pd.DataFrame,
    *,
    country: str | None = None,
    instrument: str | None = None,
    basis: str | None = None,
    unit: str | None = None,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Rows of ``aid`` for ``country``, ``instrument``, ``basis`` and ``unit`` within ``years``.

    ``None`` or :data:`~japan_central_asia.widgets.ALL` means no filter. The rows come back in
    date order with every original column, so each value keeps its unit, basis and source.
    An impossible request (an unknown country, a reversed year range ...) raises ``ValueError``
    saying what would work.
    """
    for column, value, what in (
        ("country", country, "country"),
        ("instrument", instrument, "instrument"),
        ("basis", basis, "basis"),
        ("unit", unit, "unit"),
    ):
        _check_choice(value, _choices(aid, column), what)
    keep = pd.Series(True, index=aid.index)
    if years is not None:
        start, end = check_year_range(years, aid["date"], what="the aid values")
        keep &= aid["date"].dt.year.between(start, end)
    for column, value in (("country", country), ("instrument", instrument), ("basis", basis), ("unit", unit)):
        if value not in (None, ALL):
            keep &= aid[column] == value
    return aid[keep].sort_values(["date", "aid_id"]).reset_index(drop=True)


def unit_basis_table(rows: pd.DataFrame) -> pd.DataFrame:
    """How many values the rows hold per unit and basis: the groups that may be compared."""
    if rows.empty:
        return pd.DataFrame(columns=["unit", "basis", "values"])
    return (rows.groupby(["unit", "basis"]).size().rename("values").reset_index()
            .sort_values(["unit", "basis"]).reset_index(drop=True))


def add_up(rows: pd.DataFrame) -> tuple[float, str, str]:
    """The sum of ``rows["amount"]`` with its unit and basis, if and only if they are all the same.

    Raises :class:`MixedUnitsError` (a ``ValueError``) when the rows mix units or bases, with a
    message that says which ones and why they cannot be added, and ``ValueError`` when there is
    nothing to add. Even a permitted sum is only the sum of the values listed, not a complete
    total: the table records the values that sources gave, not every grant or loan.
    """
    if rows.empty:
        raise ValueError("there are no values to add up: widen the selection first")
    units = sorted(rows["unit"].unique())
    bases = sorted(rows["basis"].unique())
    if len(units) > 1:
        raise MixedUnitsError(
            f"the selected values are in {len(units)} different units ({', '.join(units)}). "
            "Adding yen to dollars (or money to numbers of people) gives a meaningless figure, and "
            "converting them would need an exchange rate for each date, which the sources do not give. "
            "Choose one unit with the basis filter, or compare the values side by side instead."
        )
    if len(bases) > 1:
        named = "; ".join(f"{b} = {BASIS_LABELS.get(b, b)}" for b in bases)
        raise MixedUnitsError(
            f"the selected values are all in {units[0]} but on {len(bases)} different bases ({named}). "
            "A pledge, the notes that commit it, the loan agreement that follows and the money finally "
            "paid can all describe the same project, so adding them counts it more than once; a "
            "cumulative total already contains the single values. Choose one basis."
        )
    if "cumulative_commitment" in bases or "portfolio" in bases:
        raise MixedUnitsError(
            "cumulative totals and portfolio values are stocks, each already the sum of earlier "
            "commitments; adding them to one another counts the same money again. Compare them "
            "one by one instead."
        )
    return float(rows["amount"].sum()), units[0], bases[0]


def plot_aid_points(rows: pd.DataFrame, *, title: str | None = None, log: bool = False) -> plt.Figure:
    """Markers of the values over time: one panel per unit, marker and colour by basis.

    Units never share an axis. Each marker is one value from one source; nothing is joined by
    lines, because the values are not a series. ``log=True`` puts the amounts on a logarithmic
    scale (each gridline ten times the one below), which keeps small grants and large totals
    readable on one panel; say so wherever the chart is shown. Returns the figure (the caller
    closes it).
    """
    units = sorted(rows["unit"].unique()) if not rows.empty else []
    fig, axes = plt.subplots(max(len(units), 1), 1, figsize=(9, 1.2 + 2.2 * max(len(units), 1)),
                             sharex=True, squeeze=False)
    axes = axes[:, 0]
    if not units:
        axes[0].text(0.5, 0.5, "No value matches this selection", ha="center", va="center",
                     transform=axes[0].transAxes)
        axes[0].set_yticks([])
    shown_bases: list[str] = []
    for ax, unit in zip(axes, units):
        subset = rows[rows["unit"] == unit]
        for basis in BASIS_STYLE:
            points = subset[subset["basis"] == basis]
            if points.empty:
                continue
            colour, marker = BASIS_STYLE[basis]
            ax.scatter(points["date"], points["amount"], color=colour, marker=marker, s=50,
                       edgecolor="black", linewidth=0.4, zorder=3,
                       label=BASIS_LABELS[basis] if basis not in shown_bases else None)
            if basis not in shown_bases:
                shown_bases.append(basis)
        ax.set_ylabel(f"{unit} (log scale)" if log else unit)
        if log:
            ax.set_yscale("log")
            plain = mticker.FuncFormatter(lambda value, _pos: f"{value:g}")
            ax.yaxis.set_major_formatter(plain)
            narrow = subset["amount"].max() < 10 * subset["amount"].min()  # less than a decade
            ax.yaxis.set_minor_formatter(plain if narrow else mticker.NullFormatter())
        else:
            ax.set_ylim(bottom=0)
        ax.grid(axis="y", color="#dddddd", linewidth=0.5)
        ax.set_axisbelow(True)
    axes[-1].set_xlabel("Date of the value")
    if shown_bases:
        fig.legend(loc="upper center", ncol=2, fontsize=9, title="Basis (marker)",
                   bbox_to_anchor=(0.5, 1.0))
    if title:
        fig.suptitle(title, y=1.04 if shown_bases else 0.98)
    fig.tight_layout(rect=(0, 0, 1, 1 - 1.1 / fig.get_figheight() if shown_bases else 1))
    return fig


class AidExplorer:
    """Choose country, instrument, basis and years; list and chart the values, units kept apart.

    >>> explorer = AidExplorer(load("aid"))                       # doctest: +SKIP
    >>> explorer.set(country="Uzbekistan", instrument="loan")     # doctest: +SKIP
    >>> explorer.result                                           # the matching values
    >>> explorer.set(add_up=True)    # allowed only for one unit and one basis
    """

    def __init__(self, aid: pd.DataFrame, *, max_rows: int = 12, draw: bool = True) -> None:
        self.aid = aid.sort_values(["date", "aid_id"]).reset_index(drop=True)
        self.max_rows = max_rows
        self.draw = draw
        first, last = int(self.aid["date"].dt.year.min()), int(self.aid["date"].dt.year.max())
        self.years = year_range_slider(first, last)
        self.country = choice_dropdown(_choices(self.aid, "country"), "Country")
        self.instrument = choice_dropdown(_choices(self.aid, "instrument"), "Instrument")
        self.basis = choice_dropdown(_choices(self.aid, "basis"), "Basis")
        self.add_up = ipw.Checkbox(value=False, description="Add up the amounts", indent=False)
        self.message = MessageBox()
        self.total_line = ipw.HTML(value="")
        # HTML and Image widgets, not an Output widget: their content is plain widget state, so it
        # renders in the static book and re-runs identically (nbval cannot replay Output captures).
        self.table = ipw.HTML(value="")
        self.chart = ipw.HTML()  # an <img> with alt text (an Image widget cannot carry alt text)
        self.chart_png = b""
        self.result = self.aid
        self.total: tuple[float, str, str] | None = None
        #: The units of the panels last drawn (one panel per unit).
        self.chart_units: list[str] = []
        self._paused = False
        for control in (self.years, self.country, self.instrument, self.basis, self.add_up):
            control.observe(lambda _change: None if self._paused else self.update(), names="value")
        self.widget = ipw.VBox([
            self.years,
            ipw.HBox([self.country, self.instrument, self.basis]),
            self.add_up, self.message.widget, self.total_line, self.table, self.chart,
        ])
        self.update()

    def set(self, *, country=None, instrument=None, basis=None, years=None, add_up=None) -> None:
        """Set controls from code; an impossible value is reported in the message line."""
        try:
            query_aid(self.aid, country=country, instrument=instrument, basis=basis, years=years)
        except ValueError as problem:
            self.message.error(str(problem))
            return
        controls = ((self.country, country), (self.instrument, instrument), (self.basis, basis),
                    (self.years, years), (self.add_up, add_up))
        # Change several controls, then redraw once.
        self._paused = True
        try:
            for control, value in controls:
                if value is not None:
                    control.value = value
        finally:
            self._paused = False
        self.update()

    def update(self) -> None:
        """Recompute :attr:`result` (and :attr:`total` if asked) and redraw list and chart."""
        try:
            result = query_aid(self.aid, country=self.country.value, instrument=self.instrument.value,
                               basis=self.basis.value, years=self.years.value)
        except ValueError as problem:
            self.message.error(str(problem))
            return
        self.result = result
        self.total = None
        self.total_line.value = ""
        units = sorted(result["unit"].unique())
        if result.empty:
            self.message.info("No value matches these settings: widen the years or set a filter back to (all).")
        else:
            shown = min(len(result), self.max_rows)
            self.message.info(
                f"{len(result)} of {len(self.aid)} values match, in {len(units)} unit(s): "
                f"{', '.join(units)}; showing the first {shown}."
            )
        if self.add_up.value and not result.empty:
            try:
                self.total = add_up(result)
            except ValueError as problem:
                self.message.error(str(problem))
            else:
                amount, unit, basis = self.total
                self.total_line.value = (
                    f"<p>Sum of the {len(result)} listed values: <strong>{amount:,.3f} {unit}</strong> "
                    f"({BASIS_LABELS[basis]}). This adds only the values the sources gave; "
                    "it is not a complete total.</p>"
                )
        self._redraw()

    def _redraw(self) -> None:
        table = self.result[COLUMNS_SHOWN].head(self.max_rows).copy()
        table["date"] = table["date"].dt.strftime("%Y-%m-%d")
        # Plain to_html (no Styler): Styler's random table ids would differ on every run.
        self.table.value = table.to_html(index=False, border=0, classes="aid-table")
        if self.draw:
            fig = plot_aid_points(self.result)
            self.chart_units = [a.get_ylabel().removesuffix(" (log scale)")
                                for a in fig.axes if a.get_ylabel()]
            alt = (f"Chart of the {len(self.result)} aid values in the current selection by date, "
                   f"one panel per unit ({', '.join(self.chart_units) or 'none'}), markers by basis.")
            self.chart_png, self.chart.value = figure_html(fig, alt)

    def _ipython_display_(self) -> None:
        display(self.widget)
