"""The theme explorer is driven as a student would: choose two selections, check what it shows.

The tests compute their expectations from the timeline's columns, not from today's row counts,
so they keep passing as ``data/timeline.csv`` grows.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import japan_central_asia as jca
from japan_central_asia import theme_explorer as tx


@pytest.fixture(scope="module")
def events():
    return jca.load("timeline")


@pytest.fixture(scope="module")
def phase_table():
    return jca.phases()


def _expected_counts(rows: pd.DataFrame) -> pd.Series:
    return jca.explode_list(rows, "themes")["themes"].value_counts()


def test_selections_pick_the_right_events(events):
    phase_3 = tx.select_events(events, 3)
    assert len(phase_3) == int((events["phase"] == 3).sum())
    assert set(phase_3["phase"]) == {3}
    years = tx.select_events(events, (1999, 2002))
    assert years["date"].dt.year.between(1999, 2002).all()
    assert len(years) == int(events["date"].dt.year.between(1999, 2002).sum())
    assert tx.selection_label(3) == "Phase 3 (1997–2004)"
    assert tx.selection_label(4).endswith("–today)")
    assert tx.selection_label((1999, 2002)) == "1999–2002"


def test_counts_and_shares_follow_the_data(events):
    table = tx.theme_table(events, [3]).set_index("code")
    rows = events[events["phase"] == 3]
    expected = _expected_counts(rows)
    assert table["Phase 3 (1997–2004): events"].to_dict() == expected.to_dict()
    shares = (expected / len(rows) * 100).round(1)
    for code, share in shares.items():
        assert table.loc[code, "Phase 3 (1997–2004): share (%)"] == pytest.approx(share)
    # an event may carry several themes, so the shares add up to at least 100
    assert table["Phase 3 (1997–2004): share (%)"].sum() >= 100 - 0.5
    # sorted by share, largest first
    assert table["Phase 3 (1997–2004): share (%)"].is_monotonic_decreasing


def test_comparison_has_both_selections_and_the_change(events):
    table = tx.compare_themes(events, 2, 3)
    assert list(table.columns) == [
        "theme", "code",
        "Phase 2 (1994–1997): events", "Phase 2 (1994–1997): share (%)",
        "Phase 3 (1997–2004): events", "Phase 3 (1997–2004): share (%)",
        "change (points)",
    ]
    change = (table["Phase 3 (1997–2004): share (%)"] - table["Phase 2 (1994–1997): share (%)"]).round(1)
    assert table["change (points)"].tolist() == change.tolist()
    # every theme present in either phase is listed, and no other
    both = set(_expected_counts(events[events["phase"].isin([2, 3])]).index)
    assert set(table["code"]) == both
    # a theme absent from one selection shows 0 events there, not a gap
    assert not table.isna().any().any()


@pytest.mark.parametrize(
    "first, second, message",
    [(7, 3, "there is no phase 7"), (2, (2010, 2000), "reversed"), ((1950, 1960), 3, "lies outside"),
     ("three", 3, "neither a phase number"), (3, 3, "nothing to compare"),
     ((1997, 2004), (1997, 2004), "nothing to compare")],
)
def test_impossible_comparisons_are_explained(events, first, second, message):
    with pytest.raises(ValueError, match=message):
        tx.compare_themes(events, first, second)


def test_a_selection_without_events_is_explained(events):
    later = events[events["phase"] >= 3]  # phase 1 still exists, but has no events here
    with pytest.raises(ValueError, match="Phase 1 .* has no events"):
        tx.compare_themes(later, 1, 3)


def test_two_selections_with_the_same_events_are_refused(events, phase_table):
    rows = events[events["phase"] == 3]
    first, last = int(rows["date"].dt.year.min()), int(rows["date"].dt.year.max())
    # within these rows alone, the phase and the span of its years pick the same events
    with pytest.raises(ValueError, match="pick exactly the same"):
        tx.compare_themes(rows, 3, (first, last), phase_table)


def test_plot_has_one_bar_per_theme_and_selection_with_counts(events):
    table = tx.compare_themes(events, 2, 3)
    ax = tx.plot_theme_shares(table)
    assert len(ax.patches) == 2 * len(table)
    hatches = {patch.get_hatch() for patch in ax.patches}
    assert len(hatches) == 2  # the selections differ by hatching, not only by colour
    labels = [text.get_text() for text in ax.texts]
    assert len(labels) == 2 * len(table)
    assert all(label.startswith("n=") for label in labels)
    assert [t.get_text() for t in ax.get_yticklabels()] == table["theme"].tolist()
    plt.close(ax.figure)
    three = tx.plot_theme_shares(tx.theme_table(events, [2, 3, 4]))
    assert len(three.get_legend().get_texts()) == 3
    plt.close(three.figure)


def test_explorer_shows_the_default_comparison(events):
    explorer = tx.ThemeExplorer(events, draw=False)
    assert explorer.selections == (2, 3)
    pd.testing.assert_frame_equal(explorer.result, tx.compare_themes(events, 2, 3))
    n2, n3 = int((events["phase"] == 2).sum()), int((events["phase"] == 3).sum())
    assert f"Phase 2 (1994–1997): {n2} events; Phase 3 (1997–2004): {n3} events" in explorer.message.text
    assert not explorer.message.is_error


def test_explorer_updates_when_a_control_changes(events):
    explorer = tx.ThemeExplorer(events, draw=False)
    explorer.second.value = 4  # as a click would
    assert explorer.selections == (2, 4)
    assert "Phase 4" in explorer.result.columns[4]
    pd.testing.assert_frame_equal(explorer.result, tx.compare_themes(events, 2, 4))
    # switching the first selection to years uses the slider
    explorer.first_years.value = (2001, 2004)
    assert explorer.selections == (2, 4)  # the slider is ignored until "years" is chosen
    assert explorer.first_years.disabled
    explorer.first.value = tx.YEARS
    assert explorer.selections == ((2001, 2004), 4)
    assert not explorer.first_years.disabled
    assert "overlap" in explorer.message.text  # 2004 belongs to both


def test_explorer_set_from_code(events):
    explorer = tx.ThemeExplorer(events, draw=False)
    explorer.set(first=3, second=(2005, 2012))
    assert explorer.selections == (3, (2005, 2012))
    assert explorer.first.value == 3
    assert explorer.second.value == tx.YEARS
    assert explorer.second_years.value == (2005, 2012)
    assert "overlap" not in explorer.message.text


def test_explorer_reports_impossible_input_and_keeps_the_last_comparison(events):
    explorer = tx.ThemeExplorer(events, draw=False)
    before = explorer.result
    explorer.set(first=9)
    assert explorer.message.is_error
    assert "there is no phase 9" in explorer.message.text
    pd.testing.assert_frame_equal(explorer.result, before)  # nothing lost
    assert explorer.first.value == 2  # the controls are unchanged
    explorer.set(second=(2020, 1995))
    assert "reversed" in explorer.message.text
    pd.testing.assert_frame_equal(explorer.result, before)


def test_explorer_refuses_identical_selections_made_with_the_controls(events):
    explorer = tx.ThemeExplorer(events, draw=False)
    before = explorer.result
    explorer.first.value = 3  # now both are phase 3
    assert explorer.message.is_error
    assert "nothing to compare" in explorer.message.text
    pd.testing.assert_frame_equal(explorer.result, before)
    explorer.second.value = 4  # choosing a different second selection recovers
    assert not explorer.message.is_error
    assert explorer.selections == (3, 4)


def test_explorer_warns_about_small_selections(events):
    explorer = tx.ThemeExplorer(events, draw=False)
    year_counts = events["date"].dt.year.value_counts()
    small = year_counts[year_counts < tx.SMALL_SELECTION]
    assert not small.empty, "some year should hold only a few events"
    year = int(small.index.min())
    whole = (int(events["date"].dt.year.min()), int(events["date"].dt.year.max()))
    explorer.set(first=(year, year), second=whole)
    assert not explorer.message.is_error
    assert explorer.selections == ((year, year), whole)
    assert "read the counts" in explorer.message.text
    assert "overlap" in explorer.message.text


def test_explorer_draws_and_closes_its_figures(events):
    plt.close("all")
    explorer = tx.ThemeExplorer(events, draw=True)
    first_chart = explorer.chart_png
    assert "alt=\"Horizontal bar chart" in explorer.chart.value
    assert first_chart.startswith(b"\x89PNG")
    explorer.set(second=4)
    assert explorer.chart_png.startswith(b"\x89PNG")
    assert explorer.chart_png != first_chart  # the chart follows the selection
    assert plt.get_fignums() == []  # figures are drawn into the widget, then closed


def test_explorer_table_shows_the_comparison(events):
    explorer = tx.ThemeExplorer(events, draw=False)
    html = explorer.table.value
    assert "<table" in html and "Phase 3 (1997–2004): share (%)" in html
    for theme in explorer.result["theme"]:
        assert theme in html
    assert "code" not in html.split("<tbody>")[0]  # the code column is not shown
    before = explorer.table.value
    explorer.set(first=(1950, 1960))  # impossible: the table is kept
    assert explorer.table.value == before
