"""The shared plot style and the whole-period timeline chart."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt

import japan_central_asia as jca
from japan_central_asia import plotting


def _luminance(colour):
    r, g, b = (c / 1 for c in mcolors.to_rgb(colour))
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_phase_backgrounds_keep_black_text_readable():
    # WCAG contrast ratio of black text on each phase band must be at least 7:1 (AAA).
    for colour in plotting.PHASE_COLOURS.values():
        assert (_luminance(colour) + 0.05) / 0.05 >= 7


def test_event_types_differ_by_marker_as_well_as_colour():
    markers = [marker for _, marker in plotting.EVENT_TYPE_STYLE.values()]
    colours = [colour for colour, _ in plotting.EVENT_TYPE_STYLE.values()]
    assert len(set(markers)) == len(markers)
    assert len(set(colours)) == len(colours)


def test_use_style_sets_the_palette():
    plotting.use_style()
    cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    assert cycle[:3] == list(plotting.OKABE_ITO.values())[:3]
    assert matplotlib.rcParams["font.size"] >= 11


def test_timeline_chart_draws_every_event_once():
    events = jca.load("timeline")
    ax = plotting.timeline_chart(events, jca.phases())
    drawn = sum(len(collection.get_offsets()) for collection in ax.collections)
    assert drawn == len(events)
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["Phase 1", "Phase 2", "Phase 3", "Phase 4"]
    plt.close("all")


def test_timeline_chart_highlights_one_phase():
    events = jca.load("timeline")
    ax = plotting.timeline_chart(events, jca.phases(), highlight_phase=3)
    faint = [c for c in ax.collections if c.get_alpha() == 0.25]
    assert sum(len(c.get_offsets()) for c in faint) == (events["phase"] != 3).sum()
    plt.close("all")
