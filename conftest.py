"""pytest set-up for ``make nbval`` (pytest --nbval over chapters/ and exercises/).

nbval starts one kernel per notebook, and ``make nbval`` runs two pytest-xdist workers; their
kernel start-ups are serialised by a file lock, because two at once can race for the same TCP
ports (see tools/kernel_startup.py). Nothing about which cells run or how outputs compare changes.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))

import kernel_startup  # noqa: E402


def pytest_configure(config):
    if getattr(config.option, "nbval", False) or getattr(config.option, "nbval_lax", False):
        kernel_startup.patch_nbval()
