"""The module's four-phase periodisation of Japan's Central Asia policy.

The phases are data (``data/phases.csv``), so the introduction, the chapters, the tests and the
widgets all read the same boundaries.
"""

from __future__ import annotations

import pandas as pd

from .datasets import load

__all__ = ["phases", "phase_of", "phase_label"]


def phases() -> pd.DataFrame:
    """The four phases: number, name, start and end (end is empty for the open phase)."""
    return load("phases")


def phase_of(date, phase_table: pd.DataFrame | None = None) -> int:
    """Return the phase (1–4) that ``date`` falls in.

    Raises ``ValueError`` for a date before the first phase begins.
    """
    when = pd.Timestamp(date)
    table = phases() if phase_table is None else phase_table
    for row in table.itertuples():
        ends = row.end if not pd.isna(row.end) else pd.Timestamp.max
        if row.start <= when <= ends:
            return int(row.phase)
    first = table["start"].min().date()
    raise ValueError(f"{when.date()} lies outside the periodisation (it starts on {first})")


def phase_label(number: int, phase_table: pd.DataFrame | None = None) -> str:
    """``'Phase 3: Eurasian / Silk Road diplomacy (1997–2004)'``-style label for a phase number."""
    table = phases() if phase_table is None else phase_table
    match = table[table["phase"] == number]
    if match.empty:
        raise ValueError(f"there is no phase {number}; phases are {sorted(table['phase'])}")
    row = match.iloc[0]
    end = "today" if pd.isna(row["end"]) else str(row["end"].year)
    return f"Phase {number}: {row['name']} ({row['start'].year}–{end})"
