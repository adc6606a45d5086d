"""Start Jupyter kernels one at a time across processes.

Why: ``jupyter_client`` picks five free TCP ports, closes them and only then starts the kernel,
which binds them a second or so later. When two processes start kernels at the same moment
(``make nbval`` runs two pytest-xdist workers; ``make grade`` runs one grading worker per core),
one may be handed a port the other has just chosen; that kernel then fails with
``ZMQError: Address already in use`` and the client reports "Kernel died before replying to
kernel_info" (jupyter/jupyter_client#487). This happened once in CI, on every cell of one notebook.

The fix, as in other projects with the same problem: hold an exclusive file lock from choosing the
ports until the kernel has answered ``kernel_info`` (by then its ports are bound). Only start-up is
serialised (about a second per kernel); notebooks still run in parallel.

Used by ``conftest.py`` (nbval) and ``tools/grading.py`` (Otter, through nbclient).
"""

from __future__ import annotations

import fcntl
import functools
import os
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path

# Computed once, at import, so that forked grading workers (whose TMPDIR is changed afterwards)
# share the parent's lock file.
LOCK_PATH = Path(os.environ.get("JCA_KERNEL_LOCK")
                 or Path(tempfile.gettempdir()) / f"jca-kernel-start-{os.getuid()}.lock")


@contextmanager
def kernel_start_lock(path: Path | None = None):
    """Hold the machine-wide kernel start-up lock (released if the holder dies)."""
    with open(path or LOCK_PATH, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def patch_nbval() -> None:
    """Make nbval start each notebook's kernel under the lock (idempotent)."""
    import nbval.kernel

    original = nbval.kernel.start_new_kernel
    if getattr(original, "_jca_locked", False):
        return

    @functools.wraps(original)
    def start_new_kernel(*args, **kwargs):
        # A kernel that dies during start-up for a reason outside the notebook (a port taken by a
        # process that does not use this lock) gets one more try, reported as a warning; a kernel
        # that cannot start at all fails twice and the error reaches the test report as before.
        for attempt in (1, 2):
            try:
                with kernel_start_lock():
                    return original(*args, **kwargs)  # returns after kernel_info was answered
            except RuntimeError as problem:
                if attempt == 2 or "Kernel died" not in str(problem):
                    raise
                warnings.warn(f"kernel start-up failed ({problem}); starting it once more", stacklevel=2)

    start_new_kernel._jca_locked = True
    nbval.kernel.start_new_kernel = start_new_kernel


def patch_nbclient() -> None:
    """Make nbclient (used by Otter) start kernels under the lock (idempotent).

    ``async_start_new_kernel`` chooses the ports and launches the kernel;
    ``async_start_new_kernel_client`` waits for ``kernel_info``. The lock is taken in the first
    and released when the second ends, or at once if the first fails.
    """
    from nbclient.client import NotebookClient

    if getattr(NotebookClient.async_start_new_kernel, "_jca_locked", False):
        return
    start_kernel = NotebookClient.async_start_new_kernel
    start_client = NotebookClient.async_start_new_kernel_client

    async def async_start_new_kernel(self, **kwargs):
        lock = kernel_start_lock()
        lock.__enter__()
        self._jca_kernel_lock = lock
        try:
            return await start_kernel(self, **kwargs)
        except BaseException:
            self._jca_kernel_lock = None
            lock.__exit__(None, None, None)
            raise

    async def async_start_new_kernel_client(self):
        try:
            return await start_client(self)
        finally:
            lock = getattr(self, "_jca_kernel_lock", None)
            if lock is not None:
                self._jca_kernel_lock = None
                lock.__exit__(None, None, None)

    async_start_new_kernel._jca_locked = True
    NotebookClient.async_start_new_kernel = async_start_new_kernel
    NotebookClient.async_start_new_kernel_client = async_start_new_kernel_client
    # The synchronous names were bound to the old coroutines when the class was made.
    from nbclient.util import run_sync

    NotebookClient.start_new_kernel = run_sync(async_start_new_kernel)
    NotebookClient.start_new_kernel_client = run_sync(async_start_new_kernel_client)
