"""One plot style for the whole book: colour-blind-safe colours, readable sizes, shared charts.

The palette is Okabe & Ito's (2008) eight colours, distinguishable with the common forms of
colour-vision deficiency. Charts never rely on colour alone: categories also differ by marker
shape or by label.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd

__all__ = [
    "OKABE_ITO",
    "PHASE_COLOURS",
    "EVENT_TYPE_STYLE",
    "use_style",
    "timeline_chart",
]

#: Okabe–Ito palette (black omitted; it is the text colour).
OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "grey": "#999999",
}

#: Background colours of the four phases (light tints; text on them stays dark).
PHASE_COLOURS = {1: "#E8F4FB", 2: "#FDF3DC", 3: "#E0F3EC", 4: "#F7E6F0"}

#: Colour and marker per event type: two cues, so the chart also reads in greyscale.
EVENT_TYPE_STYLE = {
    "visit": (OKABE_ITO["blue"], "o"),
    "meeting": (OKABE_ITO["vermillion"], "s"),
    "agreement": (OKABE_ITO["bluish green"], "D"),
    "aid": (OKABE_ITO["orange"], "^"),
    "trade_investment": (OKABE_ITO["reddish purple"], "v"),
    "speech_doctrine": ("#000000", "*"),
    "multilateral": (OKABE_ITO["sky blue"], "P"),
    "other": (OKABE_ITO["grey"], "X"),
}


def use_style() -> None:
    """Apply the book's matplotlib style (call once per notebook)."""
    mpl.rcParams.update(
        {
            "figure.figsize": (9, 4.5),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "font.size": 11,
            "axes.titlesize": 13,
            "axes.labelsize": 11,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": mpl.cycler(color=list(OKABE_ITO.values())),
            "legend.frameon": False,
            # Keep the PNGs stable from run to run.
            "svg.hashsalt": "japan-central-asia",
        }
    )


def _label(text: str) -> str:
    return text.replace("_", " / " if text == "trade_investment" else " ").replace(
        "speech / doctrine", "speech or doctrine"
    )


def timeline_chart(
    events: pd.DataFrame,
    phase_table: pd.DataFrame,
    *,
    highlight_phase: int | None = None,
    ax: plt.Axes | None = None,
    end_year: int | None = None,
) -> plt.Axes:
    """Draw events as markers in one lane per event type, over the four phases as bands.

    ``events`` needs ``date`` (datetime) and ``event_type`` columns; ``phase_table`` is
    :func:`japan_central_asia.periods.phases`. With ``highlight_phase`` the other phases'
    events are drawn faint, placing one phase on the whole-period timeline.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4.8))
    last = pd.Timestamp(f"{end_year or max(events['date'].max().year, 2025) + 1}-01-01")
    types = [t for t in EVENT_TYPE_STYLE if t in set(events["event_type"])]
    lanes = {event_type: i for i, event_type in enumerate(reversed(types))}

    for row in phase_table.itertuples():
        end = last if pd.isna(row.end) else row.end
        faded = highlight_phase is not None and row.phase != highlight_phase
        ax.axvspan(row.start, end, color=PHASE_COLOURS[row.phase], alpha=0.35 if faded else 1.0, lw=0)
        middle = row.start + (end - row.start) / 2
        ax.text(middle, len(types) - 0.35, f"Phase {row.phase}", ha="center", va="bottom", fontsize=10)

    for event_type in types:
        colour, marker = EVENT_TYPE_STYLE[event_type]
        subset = events[events["event_type"] == event_type]
        if highlight_phase is not None and "phase" in subset:
            inside = subset["phase"] == highlight_phase
            ax.scatter(subset.loc[~inside, "date"], [lanes[event_type]] * (~inside).sum(),
                       color=colour, marker=marker, s=30, alpha=0.25, zorder=3)
            subset = subset[inside]
        ax.scatter(subset["date"], [lanes[event_type]] * len(subset), color=colour,
                   marker=marker, s=45, edgecolor="black", linewidth=0.4, zorder=4)

    ax.set_yticks(list(lanes.values()), [_label(t) for t in lanes])
    ax.set_ylim(-0.7, len(types) + 0.4)
    ax.set_xlim(phase_table["start"].min() - pd.Timedelta(days=120), last)
    ax.set_xlabel("Year")
    ax.grid(axis="x", color="#cccccc", linewidth=0.5)
    ax.set_axisbelow(True)
    return ax
