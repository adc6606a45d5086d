"""The country comparer is driven as a student would: pick a state, compare two, try the impossible."""

import pandas as pd
import pytest

import japan_central_asia as jca
from japan_central_asia import relations_explorer as rx


@pytest.fixture(scope="module")
def events():
    return jca.load("timeline")


def test_every_country_gets_one_row_per_milestone_kind(events):
    for country in rx.CENTRAL_ASIA:
        table = rx.country_milestones(events, country)
        assert list(table["key"]) == [kind.key for kind in rx.MILESTONES]
        # Independence, recognition and diplomatic relations are in the timeline for all five.
        core = table.set_index("key").loc[["independence", "recognition", "relations"], "date"]
        assert core.notna().all(), country
        assert core.is_monotonic_increasing, country


def test_milestones_are_the_first_matching_event_for_that_country(events):
    kazakhstan = rx.country_milestones(events, "Kazakhstan").set_index("key")
    assert kazakhstan.loc["independence", "date"] == pd.Timestamp("1991-12-16")
    assert kazakhstan.loc["relations", "date"] == pd.Timestamp("1992-01-26")
    assert kazakhstan.loc["independence", "days_after_independence"] == 0
    assert kazakhstan.loc["relations", "days_after_independence"] == 41
    turkmenistan = rx.country_milestones(events, "Turkmenistan").set_index("key")
    assert turkmenistan.loc["relations", "date"] == pd.Timestamp("1992-04-22")
    # Every found milestone concerns the country and lies on or after its independence.
    for country in rx.CENTRAL_ASIA:
        table = rx.country_milestones(events, country)
        found = table[table["date"].notna()]
        assert (found["days_after_independence"] >= 0).all()
        rows = events.set_index("event_id").loc[found["event_id"]]
        assert rows["countries"].str.split(";").map(lambda c: country in c).all()


def test_a_missing_milestone_is_kept_as_an_empty_row(events):
    table = rx.country_milestones(events.iloc[:0], "Kyrgyzstan")
    assert len(table) == len(rx.MILESTONES)
    assert table["date"].isna().all()
    assert table["title"].str.contains("no event").all()


def test_compare_countries_gives_the_gap_in_days(events):
    table = rx.compare_countries(events, "Kazakhstan", "Turkmenistan").set_index("key")
    assert table.loc["relations", "Turkmenistan later by (days)"] == 87  # 26 Jan -> 22 Apr 1992
    assert table.loc["recognition", "Turkmenistan later by (days)"] == 0


@pytest.mark.parametrize(
    "call, message",
    [(lambda ev: rx.country_milestones(ev, "Mongolia"), "not a Central Asian state"),
     (lambda ev: rx.compare_countries(ev, "Kazakhstan", "Japan"), "not a Central Asian state"),
     (lambda ev: rx.compare_countries(ev, "Uzbekistan", "Uzbekistan"), "two different states")],
)
def test_impossible_input_is_explained(events, call, message):
    with pytest.raises(ValueError, match=message):
        call(events)


def test_explorer_changes_when_a_control_changes(events):
    explorer = rx.RelationsExplorer(events)
    assert "Kazakhstan" in explorer.message.text
    assert "Almaty" in explorer.table.value
    explorer.country.value = "Uzbekistan"  # as a click would
    assert "Tashkent" in explorer.table.value
    assert "Almaty" not in explorer.table.value
    assert explorer.result.loc[0, "date"] == pd.Timestamp("1991-08-31")
    explorer.set(compare_with="Tajikistan")
    assert "Tajikistan later by (days)" in explorer.result.columns
    assert "Tajikistan" in explorer.message.text and not explorer.message.is_error
    explorer.set(compare_with=rx.NONE)
    assert "days_after_independence" in explorer.result.columns


def test_explorer_reports_impossible_choices_and_keeps_its_table(events):
    explorer = rx.RelationsExplorer(events, country="Kyrgyzstan")
    before, html = explorer.result.copy(), explorer.table.value
    explorer.set(compare_with="Kyrgyzstan")
    assert explorer.message.is_error
    assert "two different states" in explorer.message.text
    pd.testing.assert_frame_equal(explorer.result, before)  # nothing lost
    assert explorer.table.value == html
    assert explorer.compare_with.value == rx.NONE
    explorer.set(country="Atlantis")
    assert "not a Central Asian state" in explorer.message.text
    assert explorer.country.value == "Kyrgyzstan"


def test_dates_are_shown_as_precisely_as_their_source(events):
    assert rx.format_date(pd.Timestamp("1993-01-01"), "month") == "1993-01"
    assert rx.format_date(pd.Timestamp("1993-01-01"), "year") == "1993"
    assert rx.format_date(pd.NaT, "") == "—"
    explorer = rx.RelationsExplorer(events, country="Kazakhstan")
    assert "≈" in explorer.table.value  # the embassy opening is known only to the month
