"""Shared fixtures: the repository root and a scratch copy of a dataset."""

from pathlib import Path
import sys

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
