"""The aid explorer is driven as a student would: set a value, check what it shows.

The tests ask questions of the data's columns, not of today's row counts, so they keep passing
as ``data/aid.csv`` grows.
"""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

import japan_central_asia as jca
from japan_central_asia import aid_explorer as ax
from japan_central_asia.widgets import ALL


@pytest.fixture(scope="module")
def aid():
    return jca.load("aid")


def _one_unit_one_basis(aid):
    """A (unit, basis) pair that is neither a stock nor a single value, for a permitted sum."""
    groups = aid.groupby(["unit", "basis"]).size()
    is_flow = pd.Series([b not in ("cumulative_commitment", "portfolio") for _, b in groups.index],
                        index=groups.index)
    flows = groups[is_flow & (groups >= 2)]
    assert not flows.empty, "the data should hold at least two values with one unit and one basis"
    return flows.index[0]


def test_query_filters_by_each_control(aid):
    loans = ax.query_aid(aid, instrument="loan")
    assert set(loans["instrument"]) == {"loan"}
    assert 0 < len(loans) < len(aid)
    uz = ax.query_aid(aid, country="Uzbekistan")
    assert set(uz["country"]) == {"Uzbekistan"}
    notes = ax.query_aid(aid, basis="exchange_of_notes")
    assert set(notes["basis"]) == {"exchange_of_notes"}
    nineties = ax.query_aid(aid, years=(1993, 1999))
    assert nineties["date"].dt.year.between(1993, 1999).all()
    assert nineties["date"].is_monotonic_increasing
    assert len(ax.query_aid(aid, country=ALL, instrument=None)) == len(aid)
    # every value keeps its unit and basis
    assert {"unit", "basis", "amount_qualifier", "source_url"} <= set(uz.columns)


@pytest.mark.parametrize(
    "kwargs, message",
    [({"country": "Mongolia"}, "not a known country"), ({"instrument": "gift"}, "not a known instrument"),
     ({"basis": "rumour"}, "not a known basis"), ({"unit": "EUR million"}, "not a known unit"),
     ({"years": (2010, 2000)}, "reversed"), ({"years": (1950, 1960)}, "lies outside")],
)
def test_impossible_queries_are_explained(aid, kwargs, message):
    with pytest.raises(ValueError, match=message):
        ax.query_aid(aid, **kwargs)


def test_add_up_refuses_to_mix_units(aid):
    mixed = aid[aid["unit"].isin(["JPY billion", "USD million"])]
    assert mixed["unit"].nunique() == 2
    with pytest.raises(ax.MixedUnitsError, match="different units") as problem:
        ax.add_up(mixed)
    assert "JPY billion" in str(problem.value) and "USD million" in str(problem.value)


def test_add_up_refuses_to_mix_bases(aid):
    yen = aid[aid["unit"] == "JPY billion"]
    assert yen["basis"].nunique() > 1
    with pytest.raises(ax.MixedUnitsError, match="different bases"):
        ax.add_up(yen)


def test_add_up_refuses_to_add_cumulative_totals(aid):
    stocks = aid[(aid["basis"] == "cumulative_commitment") & (aid["unit"] == "JPY billion")]
    assert len(stocks) >= 2
    with pytest.raises(ax.MixedUnitsError, match="counts the same money again"):
        ax.add_up(stocks)


def test_add_up_sums_one_unit_and_one_basis(aid):
    unit, basis = _one_unit_one_basis(aid)
    rows = aid[(aid["unit"] == unit) & (aid["basis"] == basis)]
    amount, got_unit, got_basis = ax.add_up(rows)
    assert (got_unit, got_basis) == (unit, basis)
    assert amount == pytest.approx(rows["amount"].sum())
    with pytest.raises(ValueError, match="no values"):
        ax.add_up(rows.iloc[0:0])


def test_unit_basis_table_counts_every_row(aid):
    table = ax.unit_basis_table(aid)
    assert table["values"].sum() == len(aid)
    assert list(table.columns) == ["unit", "basis", "values"]


def test_plot_has_one_panel_per_unit(aid):
    rows = ax.query_aid(aid, country="Kazakhstan")
    fig = ax.plot_aid_points(rows)
    assert len(fig.axes) == rows["unit"].nunique()
    assert sorted(a.get_ylabel() for a in fig.axes) == sorted(rows["unit"].unique())
    matplotlib.pyplot.close(fig)
    logged = ax.plot_aid_points(rows, log=True)
    assert {a.get_yscale() for a in logged.axes} == {"log"}
    assert all(a.get_ylabel().endswith("(log scale)") for a in logged.axes)
    matplotlib.pyplot.close(logged)
    empty = ax.plot_aid_points(rows.iloc[0:0])
    assert len(empty.axes) == 1
    matplotlib.pyplot.close(empty)


def test_explorer_updates_when_a_control_changes(aid):
    explorer = ax.AidExplorer(aid, draw=False)
    assert len(explorer.result) == len(aid)
    explorer.instrument.value = "loan"  # as a click would
    assert set(explorer.result["instrument"]) == {"loan"}
    assert f"{len(explorer.result)} of {len(aid)} values match" in explorer.message.text
    explorer.set(country="Uzbekistan", years=(1993, 1999))
    assert set(explorer.result["country"]) == {"Uzbekistan"}
    assert explorer.result["date"].dt.year.max() <= 1999
    assert not explorer.message.is_error


def test_explorer_explains_why_mixed_units_cannot_be_added(aid):
    explorer = ax.AidExplorer(aid, draw=False)
    before = explorer.result
    explorer.set(add_up=True)  # everything selected: several units and bases
    assert explorer.message.is_error
    assert "different units" in explorer.message.text
    assert explorer.total is None
    pd.testing.assert_frame_equal(explorer.result, before)  # the listing is kept


def test_explorer_adds_up_one_unit_and_basis(aid):
    unit, basis = _one_unit_one_basis(aid)
    country = aid[(aid["unit"] == unit) & (aid["basis"] == basis)]["country"].value_counts().index[0]
    explorer = ax.AidExplorer(aid, draw=False)
    explorer.set(country=country, basis=basis, add_up=True)
    if explorer.result["unit"].nunique() == 1:
        assert explorer.total is not None
        assert explorer.total[0] == pytest.approx(explorer.result["amount"].sum())
        assert explorer.total[2] == basis
        assert "not a complete total" in explorer.total_line.value
    else:  # the country reports this basis in several units: refused, with the reason
        assert "different units" in explorer.message.text


def test_explorer_reports_impossible_values_without_failing(aid):
    explorer = ax.AidExplorer(aid, draw=False)
    explorer.set(instrument="grant")
    before = explorer.result
    explorer.set(years=(2020, 1995))
    assert explorer.message.is_error
    assert "reversed" in explorer.message.text
    pd.testing.assert_frame_equal(explorer.result, before)  # nothing lost
    explorer.set(country="Atlantis")
    assert "not a known country" in explorer.message.text
    pd.testing.assert_frame_equal(explorer.result, before)


def test_explorer_says_when_nothing_matches(aid):
    explorer = ax.AidExplorer(aid, draw=False)
    explorer.set(country="Turkmenistan", years=(1993, 1996))
    assert explorer.result.empty
    assert "No value matches" in explorer.message.text


def test_explorer_draws_into_its_output(aid):
    explorer = ax.AidExplorer(aid, draw=True)
    explorer.set(country="Kazakhstan")
    assert explorer.chart_units == sorted(explorer.result["unit"].unique())
    explorer.set(country=ALL, basis="exchange_of_notes")
    assert explorer.chart_units == sorted(explorer.result["unit"].unique())
    assert matplotlib.pyplot.get_fignums() == []  # figures are closed after drawing
    assert explorer.chart_png[:4] == b"\x89PNG"
    assert "alt=\"Chart of the" in explorer.chart.value
    assert "aid-table" in explorer.table.value
