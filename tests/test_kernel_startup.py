"""The kernel start-up lock (tools/kernel_startup.py) that keeps parallel kernels off each other's ports."""

import fcntl
import importlib.util
import subprocess
import sys
import textwrap
import threading
import time
from types import SimpleNamespace

import nbformat
import pytest

import kernel_startup  # tools/ is on sys.path (root conftest.py)


@pytest.fixture()
def lock_path(tmp_path, monkeypatch):
    path = tmp_path / "kernel-start.lock"
    monkeypatch.setattr(kernel_startup, "LOCK_PATH", path)
    return path


def hold(path):
    """Take the lock through a separate open file, as another process would."""
    handle = open(path, "a")
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def test_lock_excludes_other_processes(tmp_path, repo):
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(repo / 'tools')!r})
        from pathlib import Path
        import kernel_startup
        with kernel_startup.kernel_start_lock(Path(sys.argv[1])):
            start = time.monotonic()
            time.sleep(0.4)
            print(start, time.monotonic())
    """)
    lock = tmp_path / "shared.lock"
    runs = [subprocess.Popen([sys.executable, "-c", script, str(lock)], stdout=subprocess.PIPE, text=True)
            for _ in range(3)]
    intervals = sorted(tuple(map(float, run.communicate(timeout=30)[0].split())) for run in runs)
    assert len(intervals) == 3
    for (_, first_end), (second_start, _) in zip(intervals, intervals[1:]):
        assert second_start >= first_end, f"two processes held the lock at once: {intervals}"


def test_lock_is_released_when_the_holder_dies(tmp_path, repo):
    lock = tmp_path / "shared.lock"
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(repo / 'tools')!r})
        from pathlib import Path
        import kernel_startup
        with kernel_startup.kernel_start_lock(Path(sys.argv[1])):
            os._exit(3)
    """)
    assert subprocess.run([sys.executable, "-c", script, str(lock)], timeout=30).returncode == 3
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises BlockingIOError if still held


def test_nbval_start_waits_for_the_lock(lock_path, monkeypatch):
    import nbval.kernel

    calls = []
    monkeypatch.setattr(nbval.kernel, "start_new_kernel", lambda **kwargs: calls.append(kwargs) or "kernel")
    kernel_startup.patch_nbval()
    kernel_startup.patch_nbval()  # idempotent: wrapped once
    assert nbval.kernel.start_new_kernel.__wrapped__.__name__ == "<lambda>"

    holder = hold(lock_path)
    results = []
    thread = threading.Thread(target=lambda: results.append(nbval.kernel.start_new_kernel(kernel_name="k")),
                              daemon=True)
    thread.start()
    try:
        time.sleep(0.5)
        assert calls == [], "nbval started a kernel while another process held the start-up lock"
    finally:
        holder.close()  # releases the lock
    thread.join(10)
    assert calls == [{"kernel_name": "k"}] and results == ["kernel"]


def test_root_conftest_patches_nbval_only_for_nbval_runs(repo, monkeypatch):
    spec = importlib.util.spec_from_file_location("root_conftest", repo / "conftest.py")
    root_conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(root_conftest)
    patched = []
    monkeypatch.setattr(root_conftest.kernel_startup, "patch_nbval", lambda: patched.append(True))
    root_conftest.pytest_configure(SimpleNamespace(option=SimpleNamespace(nbval=False, nbval_lax=False)))
    assert patched == []
    root_conftest.pytest_configure(SimpleNamespace(option=SimpleNamespace(nbval=True, nbval_lax=False)))
    assert patched == [True]


def test_nbclient_kernel_start_waits_for_the_lock_and_then_runs(lock_path, monkeypatch):
    """End to end with a real kernel, as Otter starts it while grading."""
    from nbclient import NotebookClient

    for name in ("async_start_new_kernel", "async_start_new_kernel_client",
                 "start_new_kernel", "start_new_kernel_client"):
        monkeypatch.setattr(NotebookClient, name, getattr(NotebookClient, name))
    started = []
    original_start = NotebookClient.async_start_new_kernel

    async def recording_start(self, **kwargs):
        started.append(time.monotonic())
        return await original_start(self, **kwargs)

    NotebookClient.async_start_new_kernel = recording_start
    kernel_startup.patch_nbclient()
    kernel_startup.patch_nbclient()  # idempotent

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    client = NotebookClient(notebook, kernel_name="python3", timeout=60)
    holder = hold(lock_path)
    errors = []

    def run():
        try:
            client.execute()
        except Exception as problem:  # reported below, not lost in the thread
            errors.append(problem)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        time.sleep(1.0)
        assert started == [], "a kernel was started while the lock was held"
        assert client.km is None or not client.km.has_kernel
    finally:
        released = time.monotonic()
        holder.close()
    thread.join(90)
    assert not thread.is_alive() and errors == []
    assert notebook.cells[0].outputs[0]["text"] == "42\n"
    assert len(started) == 1 and started[0] >= released
    # The lock was released after start-up, so another process can take it now.
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_nbval_start_retries_once_after_a_start_up_death(lock_path, monkeypatch):
    import nbval.kernel

    attempts = []

    def dies_then_starts(**kwargs):
        attempts.append(kwargs)
        if len(attempts) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return "kernel"

    monkeypatch.setattr(nbval.kernel, "start_new_kernel", dies_then_starts)
    kernel_startup.patch_nbval()
    with pytest.warns(UserWarning, match="starting it once more"):
        assert nbval.kernel.start_new_kernel(kernel_name="k") == "kernel"
    assert len(attempts) == 2


def test_nbval_start_reports_a_kernel_that_cannot_start(lock_path, monkeypatch):
    import nbval.kernel

    attempts = []

    def always_dies(**kwargs):
        attempts.append(kwargs)
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(nbval.kernel, "start_new_kernel", always_dies)
    kernel_startup.patch_nbval()
    with pytest.warns(UserWarning), pytest.raises(RuntimeError, match="Kernel died"):
        nbval.kernel.start_new_kernel(kernel_name="k")
    assert len(attempts) == 2
    # Other start-up errors are not retried.
    monkeypatch.setattr(nbval.kernel, "start_new_kernel", lambda **kwargs: attempts.append(kwargs) or 1 / 0)
    kernel_startup.patch_nbval()
    with pytest.raises(ZeroDivisionError):
        nbval.kernel.start_new_kernel(kernel_name="k")
    assert len(attempts) == 3
