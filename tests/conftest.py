"""Shared fixtures: the repository root and a scratch copy of a dataset."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# tools/ is put on sys.path by the repository's root conftest.py (loaded first), so tests import
# assign, grading and kernel_startup directly.


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
