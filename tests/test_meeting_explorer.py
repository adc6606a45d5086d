"""The meeting stepper is driven as a student would: step, jump, slide, and try the impossible.

The tests ask questions of the data's columns and of meetings whose facts are fixed (the first
meeting in Astana, the first summit in Tokyo), not of today's row count, so they keep passing as
``data/dialogue_meetings.csv`` grows.
"""

import pandas as pd
import pytest

import japan_central_asia as jca
from japan_central_asia import meeting_explorer as mx


@pytest.fixture(scope="module")
def meetings():
    return jca.load("dialogue_meetings")


@pytest.fixture(scope="module")
def events():
    return jca.load("timeline")


def test_meetings_are_stepped_in_date_order(meetings):
    ordered = mx.ordered_meetings(meetings)
    assert list(ordered["step"]) == list(range(1, len(meetings) + 1))
    assert ordered["date"].is_monotonic_increasing
    assert ordered.loc[0, "meeting_id"] == "fmm-01"
    assert set(ordered["meeting_id"]) == set(meetings["meeting_id"])


def test_titles_follow_number_format_and_status():
    row = pd.Series({"level": "foreign_ministers", "number": 4, "format": "in_person", "status": "held"})
    assert mx.meeting_title(row) == "4th Foreign Ministers' Meeting"
    assert mx.meeting_title(row.replace({4: 11})) == "11th Foreign Ministers' Meeting"
    online = pd.Series({"level": "foreign_ministers", "number": pd.NA, "format": "online", "status": "held"})
    assert "video conference" in mx.meeting_title(online)
    cancelled = pd.Series({"level": "summit", "number": pd.NA, "format": "in_person", "status": "cancelled"})
    assert mx.meeting_title(cancelled) == "Summit (cancelled)"


def test_first_meeting_is_described_in_full(meetings, events):
    view = mx.describe_meeting(meetings, events, step=1)
    facts = dict(zip(view.facts["field"], view.facts["value"]))
    assert facts["date"] == "2004-08-28"
    assert facts["place"] == "Astana, Kazakhstan"
    assert facts["status"] == "held"
    assert facts["Japan represented by"].startswith("Yoriko Kawaguchi")
    attendance = view.attendance.set_index("state")["attended as"]
    assert list(attendance.index) == list(mx.LEVEL_COLUMNS)
    assert attendance["Turkmenistan"] == "ambassador"
    assert attendance["Kazakhstan"] == "foreign minister"
    assert view.documents == ["Joint Statement"]
    # linked events: all of the meeting's year, in date order, including the meeting itself
    assert (view.events["date"].dt.year == 2004).all()
    assert view.events["date"].is_monotonic_increasing
    assert "2004-08-28-cajd-fmm1-astana" in set(view.events["event_id"])
    assert view.source_urls and all(u.startswith("http") for u in view.source_urls)


def test_meeting_can_be_found_by_id(meetings, events):
    summit = mx.describe_meeting(meetings, events, meeting_id="summit-01")
    assert summit.title == "1st Summit"
    assert set(summit.attendance["attended as"]) == {"head of state"}
    assert "Tokyo Declaration" in summit.documents
    cancelled = mx.describe_meeting(meetings, events, meeting_id="summit-2024-cancelled")
    assert "cancelled" in cancelled.title
    assert set(cancelled.attendance["attended as"]) == {"meeting not held"}
    assert cancelled.step < summit.step


@pytest.mark.parametrize(
    "kwargs, message",
    [({"step": 0}, "out of range"), ({"step": 10_000}, "out of range"), ({"step": -1}, "out of range"),
     ({"step": 2.5}, "whole number"), ({"step": "two"}, "whole number"),
     ({"meeting_id": "fmm-99"}, "not a meeting id"), ({"step": 1, "meeting_id": "fmm-01"}, "not both")],
)
def test_impossible_input_is_explained(meetings, kwargs, message):
    with pytest.raises(ValueError, match=message):
        mx.describe_meeting(meetings, **kwargs)


def test_unknown_id_message_lists_the_known_ids(meetings):
    with pytest.raises(ValueError) as problem:
        mx.describe_meeting(meetings, meeting_id="fmm-10")
    assert "fmm-01" in str(problem.value) and "summit-01" in str(problem.value)


def test_attendance_long_has_one_row_per_meeting_and_state(meetings):
    long = mx.attendance_long(meetings)
    assert len(long) == 5 * len(meetings)
    assert set(long["state"]) == set(mx.LEVEL_COLUMNS)
    assert long["attendance"].cat.ordered
    assert list(long["attendance"].cat.categories) == list(mx.LEVEL_ORDER)
    assert long["label"].notna().all()
    # rank order: a foreign minister ranks above an ambassador
    assert pd.Categorical(["foreign_minister"], categories=mx.LEVEL_ORDER, ordered=True) < \
        pd.Categorical(["ambassador"], categories=mx.LEVEL_ORDER, ordered=True)


def test_explorer_steps_with_buttons_and_slider(meetings, events):
    explorer = mx.MeetingExplorer(meetings, events)
    assert explorer.step == 1
    assert "Astana" in explorer.display.value
    assert explorer.previous_button.disabled and not explorer.next_button.disabled
    explorer.next_button.click()  # as a click would
    assert explorer.step == 2
    assert explorer.result.meeting_id == mx.ordered_meetings(meetings).loc[1, "meeting_id"]
    assert "Astana" not in explorer.display.value.split("<p><strong>Central Asian")[0]
    explorer.previous()
    assert explorer.step == 1 and "Kawaguchi" in explorer.display.value
    explorer.slider.value = len(meetings)  # drag the slider to the end
    assert explorer.result.step == len(meetings)
    assert explorer.next_button.disabled
    assert f"{len(meetings)} of {len(meetings)}" in explorer.message.text


def test_explorer_jumps_by_id_and_explains_the_impossible(meetings, events):
    explorer = mx.MeetingExplorer(meetings, events)
    explorer.set(meeting_id="summit-01")
    assert "Takaichi" in explorer.display.value and "Tokyo Declaration" in explorer.display.value
    shown = explorer.display.value
    explorer.set(step=len(meetings) + 5)
    assert explorer.message.is_error and "out of range" in explorer.message.text
    assert explorer.display.value == shown  # nothing lost
    assert explorer.result.meeting_id == "summit-01"
    explorer.set(meeting_id="no-such-meeting")
    assert explorer.message.is_error and "not a meeting id" in explorer.message.text
    explorer.set(step=1)
    assert not explorer.message.is_error and explorer.result.meeting_id == "fmm-01"


def test_stepping_past_the_ends_is_explained_not_fatal(meetings, events):
    explorer = mx.MeetingExplorer(meetings, events)
    explorer.previous()
    assert explorer.step == 1 and "first meeting" in explorer.message.text
    explorer.set(step=len(meetings))
    explorer.next()
    assert explorer.step == len(meetings) and "last meeting" in explorer.message.text


def test_explorer_works_without_events(meetings):
    explorer = mx.MeetingExplorer(meetings)
    assert "No event of 2004" in explorer.display.value
