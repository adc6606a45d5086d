"""Widgets are driven as a student would: set a value, check what they show."""

import pandas as pd
import pytest

import japan_central_asia as jca
from japan_central_asia import widgets


@pytest.fixture(scope="module")
def events():
    return jca.load("timeline")


def test_filter_events_by_each_control(events):
    in_phase_3 = widgets.filter_events(events, years=(1997, 2003))
    assert not in_phase_3.empty
    assert in_phase_3["date"].dt.year.between(1997, 2003).all()
    energy = widgets.filter_events(events, theme="energy")
    assert energy["themes"].str.split(";").map(lambda t: "energy" in t).all()
    assert 0 < len(energy) < len(events)
    kyrgyz = widgets.filter_events(events, country="Kyrgyzstan")
    assert kyrgyz["countries"].str.split(";").map(lambda c: "Kyrgyzstan" in c).all()
    meetings = widgets.filter_events(events, event_type="meeting")
    assert set(meetings["event_type"]) == {"meeting"}
    assert len(widgets.filter_events(events, theme=widgets.ALL)) == len(events)


@pytest.mark.parametrize(
    "kwargs, message",
    [({"years": (2010, 2000)}, "reversed"), ({"years": (1950, 1960)}, "lies outside"),
     ({"theme": "baseball"}, "not a known theme"), ({"country": "Mongolia"}, "not a known country")],
)
def test_impossible_input_is_explained(events, kwargs, message):
    with pytest.raises(ValueError, match=message):
        widgets.filter_events(events, **kwargs)


def test_explorer_updates_when_a_control_changes(events):
    explorer = widgets.TimelineExplorer(events)
    assert len(explorer.result) == len(events)
    explorer.theme.value = "energy"  # as a click would
    assert 0 < len(explorer.result) < len(events)
    assert f"{len(explorer.result)} of {len(events)} events match" in explorer.message.text
    explorer.set(years=(2004, 2025), country="Turkmenistan")
    assert explorer.result["date"].dt.year.min() >= 2004
    assert not explorer.message.is_error


def test_explorer_reports_impossible_values_without_failing(events):
    explorer = widgets.TimelineExplorer(events)
    before = explorer.result
    explorer.set(years=(2020, 1995))
    assert explorer.message.is_error
    assert "reversed" in explorer.message.text
    pd.testing.assert_frame_equal(explorer.result, before)  # nothing lost


def test_explorer_says_when_nothing_matches(events):
    explorer = widgets.TimelineExplorer(events)
    explorer.set(years=(1992, 1992), theme="uranium_rare_metals", country="Turkmenistan")
    assert explorer.result.empty
    assert "No event matches" in explorer.message.text
