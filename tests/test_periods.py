"""The periodisation: phases are contiguous and phase_of places dates correctly."""

import pandas as pd
import pytest

import japan_central_asia as jca


def test_four_contiguous_phases():
    table = jca.phases()
    assert list(table["phase"]) == [1, 2, 3, 4]
    for before, after in zip(table.itertuples(), table.iloc[1:].itertuples()):
        assert after.start - before.end == pd.Timedelta(days=1)
    assert pd.isna(table["end"].iloc[-1])  # the Dialogue phase is still open


@pytest.mark.parametrize(
    "date, phase",
    [("1991-12-16", 1), ("1993-12-31", 1), ("1994-01-01", 2), ("1997-07-23", 2),
     ("1997-07-24", 3), ("2002-04-12", 3), ("2004-08-27", 3), ("2004-08-28", 4), ("2025-12-20", 4)],
)
def test_phase_of(date, phase):
    assert jca.phase_of(date) == phase


def test_date_before_the_periodisation_is_refused():
    with pytest.raises(ValueError, match="outside the periodisation"):
        jca.phase_of("1990-05-01")


def test_phase_label():
    assert jca.phase_label(3).startswith("Phase 3: Eurasian / Silk Road diplomacy (1997–2004)")
    assert jca.phase_label(4).endswith("(2004–today)")
    with pytest.raises(ValueError, match="there is no phase 5"):
        jca.phase_label(5)
