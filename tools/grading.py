"""Grade a folder of exercise submissions with Otter-Grader, locally, in parallel, without Docker.

    python tools/grading.py SET SUBMISSIONS            # e.g. make grade SET=intro SUBMISSIONS=~/marking/intro
    python tools/grading.py SET SUBMISSIONS --timeout 60 --memory 1024 --jobs 4
    python tools/grading.py --worker ZIP NOTEBOOK RESULT.json   # one notebook, in this process (debugging)

Every ``*.ipynb`` in SUBMISSIONS is graded against the set's autograder
(``exercises/<set>/autograder/<set>-autograder.zip``, written by ``make assign``), and two things are
written into SUBMISSIONS — nothing else there, and nothing in the course folder, changes:

* ``gradebook.csv``: one row per submission file: the score of each autograded question, an empty
  column for each question marked by hand, ``total`` and ``possible`` (autograded points), ``status``
  and ``reason``;
* ``feedback/<name>.txt``: for the student: the score of each question and the messages of its
  public tests (hidden tests count in the score but their messages are not shown).

``status`` is one of

* ``graded``  — the notebook ran to the end and was graded (cells that raised errors simply lose the
  points of what they should have computed; ``reason`` names them);
* ``error``   — grading did not complete normally: the memory cap was reached, the kernel died, or
  Otter failed (scores are kept if Otter produced any);
* ``timeout`` — the notebook did not finish within ``--timeout`` seconds (it is stopped, with every
  process it started);
* ``invalid`` — the file is not a notebook of this set (empty, not JSON, not a notebook, or a notebook
  of another exercise set).

How a submission is graded: each one gets its own temporary folder and its own process (a pool of
``--jobs`` workers, one per core by default). The worker caps its address space (``RLIMIT_AS``,
``--memory`` MB, inherited by the notebook's kernel) and runs ``otter run``'s Python API on a copy of
the submission: Otter unpacks the autograder into the temporary folder, executes the notebook there
with a fresh kernel and runs *all* tests — public and hidden — from the autograder's own copy, so
editing the ``grader.check`` cells, defining a fake ``grader`` or editing the tests stored in the
notebook gains nothing. A submission that runs too long is killed with its whole process tree
(found by an environment marker, since Jupyter starts kernels in a session of their own).

Limits, honestly: the kernel runs as your user, so code written *to attack* the grader (patching
Otter's classes inside the kernel, rewriting the autograder's test files on disk) is not stopped;
such code is flagged in ``reason`` ("REVIEW: ...") so you can look at it. Grade untrusted work in a
container or a throw-away account if that matters to you.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import kernel_startup  # tools/kernel_startup.py: one kernel start-up at a time (port race)

REPO = Path(__file__).resolve().parent.parent
EXERCISES = REPO / "exercises"
STATUSES = ("graded", "error", "timeout", "invalid")
DEFAULT_TIMEOUT = 120
DEFAULT_MEMORY_MB = 2048
TOKEN_VARIABLE = "JCA_GRADING_TOKEN"

#: Code that reaches into the grader, flagged for a human to look at (it does not change the score).
SUSPICIOUS = [
    (re.compile(r"\b(Checker|GradingResults|TestFile|test_case)\b"), "uses Otter's grading classes"),
    (re.compile(r"\botter\s*\.\s*(execute|test_files|run|check|api)\b"), "uses Otter's internals"),
    (re.compile(r"init_grading_mode|_grading_mode|_tests_dir_override|OTTER_LOG"), "touches Otter's grading mode"),
    (re.compile(r"""['"](\./)?tests/?['"]|['"](\./)?tests/[\w.]+['"]"""), "refers to the tests folder"),
    (re.compile(r"^\s*(grader\s*=(?!\s*otter\.Notebook\()|def\s+grader\b|class\s+grader\b)", re.MULTILINE),
     "redefines `grader`"),
    (re.compile(r"^\s*grader\s*\.\s*\w+\s*=", re.MULTILINE), "changes `grader`"),
    (re.compile(r"\b(otter|jca|japan_central_asia)\s*\.\s*[\w.]+\s*=(?!=)"), "patches a module"),
    (re.compile(r"\bsys\s*\.\s*modules\b|\bimport\s+builtins\b|__builtins__"), "patches the interpreter"),
]


# --------------------------------------------------------------------------------------------------
# What a set's autograder contains
# --------------------------------------------------------------------------------------------------

@dataclass
class Question:
    name: str
    points: float
    manual: bool = False


def default_autograder(set_name: str) -> Path:
    return EXERCISES / set_name / "autograder" / f"{set_name}-autograder.zip"


def read_questions(autograder: Path) -> list[Question]:
    """Questions in order: from ``questions.json`` beside the zip (written by make assign), else the zip's tests."""
    manifest = autograder.parent / "questions.json"
    if manifest.is_file():
        found = [Question(q["name"], float(q["points"] or 0), bool(q.get("manual"))) for q in
                 json.loads(manifest.read_text(encoding="utf-8"))]
        if found:
            return found
    from otter.test_files import create_test_file
    from otter.nbmeta_config import NBMetadataConfig

    questions = []
    with tempfile.TemporaryDirectory(prefix="jca-grade-tests-") as tmp, zipfile.ZipFile(autograder) as zf:
        names = sorted(n for n in zf.namelist() if n.startswith("tests/") and n.endswith(".py"))
        for name in names:
            path = Path(zf.extract(name, tmp))
            test = create_test_file(str(path), NBMetadataConfig())
            questions.append(Question(test.name, float(test.possible)))
    return questions


# --------------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------------

@dataclass
class Result:
    file: str
    status: str
    reason: str = ""
    scores: dict[str, float] = field(default_factory=dict)      # autograded question -> points
    public: dict[str, list[dict]] = field(default_factory=dict)  # question -> public test results
    seconds: float = 0.0

    def total(self) -> float:
        return sum(self.scores.values())


def _number(value: float) -> str:
    value = round(float(value), 2)
    return str(int(value)) if value == int(value) else f"{value:g}"


# --------------------------------------------------------------------------------------------------
# Before grading: is it a notebook of this set?
# --------------------------------------------------------------------------------------------------

def inspect_submission(path: Path, set_name: str):
    """Return ``(notebook, None)`` for a gradable submission, or ``(None, reason)`` if it is invalid."""
    import nbformat

    try:
        raw = path.read_bytes()
    except OSError as problem:
        return None, f"cannot read the file: {problem}"
    if not raw.strip():
        return None, "empty file"
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        start = raw[:40].decode("utf-8", "replace").replace("\n", " ")
        return None, f"not a notebook: the file is not JSON (it starts {start!r})"
    if not isinstance(data, dict) or "cells" not in data or "nbformat" not in data:
        return None, "not a notebook: JSON without notebook cells"
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
        nbformat.validate(nb)
    except Exception as problem:  # nbformat raises several kinds
        return None, f"not a valid notebook: {str(problem).splitlines()[0][:200]}"
    named = nb.metadata.get("otter", {}).get("assignment_name")
    if named is not None and named != set_name:
        return None, f"this is a notebook of the exercise set '{named}', not '{set_name}'"
    if not any(cell.cell_type == "code" for cell in nb.cells):
        return None, "the notebook has no code cells"
    return nb, None


def review_flags(nb, student_version: Path | None) -> list[str]:
    """Things a human should look at: code that reaches into the grader, edited stored tests."""
    flags = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        for pattern, what in SUSPICIOUS:
            if pattern.search(cell.source):
                flags.append(f"cell {number} {what}")
    if student_version is not None and student_version.is_file():
        import nbformat

        reference = nbformat.read(student_version, as_version=4).metadata.get("otter", {}).get("tests")
        stored = nb.metadata.get("otter", {}).get("tests")
        if stored is not None and reference is not None and stored != reference:
            flags.append("the public tests stored in the notebook were edited (ignored: the autograder's tests were used)")
    unique = list(dict.fromkeys(flags))
    return unique[:5] + ([f"… {len(unique) - 5} more"] if len(unique) > 5 else [])


# --------------------------------------------------------------------------------------------------
# Grading one submission (parent side)
# --------------------------------------------------------------------------------------------------

_ACTIVE: dict = {}  # token -> worker process
_ACTIVE_LOCK = threading.Lock()


def _token_processes(token: str) -> list[int]:
    """Processes that carry ``token`` in their environment (the worker, its kernel, anything they started)."""
    marker = f"{TOKEN_VARIABLE}={token}"
    found = []
    try:
        import psutil

        for process in psutil.process_iter():
            try:
                if process.environ().get(TOKEN_VARIABLE) == token:
                    found.append(process.pid)
            except (psutil.Error, OSError):
                continue
        return found
    except ImportError:
        pass
    proc = Path("/proc")
    for entry in proc.iterdir() if proc.is_dir() else []:
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _kill_everything(process, token: str) -> None:
    """Kill the worker's process group and every process carrying the token (kernels have their own session)."""
    for _ in range(3):
        if process.exitcode is None:  # still running (never signal a pid that may have been reused)
            try:
                os.kill(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:  # the worker's session: anything it started that is still alive keeps the group id reserved
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        pids = [pid for pid in _token_processes(token) if pid != os.getpid()]
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if not pids:
            break
        time.sleep(0.2)
    process.join(10)


def _prepare_copy(nb, set_name: str, destination: Path) -> Path:
    """The copy Otter grades: named as the set's notebook, with the standard kernel and the set's name."""
    import nbformat

    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata.setdefault("otter", {})["assignment_name"] = set_name
    destination.mkdir(parents=True, exist_ok=True)
    path = destination / f"{set_name}.ipynb"
    nbformat.write(nb, path)
    return path


def _tail(path: Path, limit: int = 2000) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - limit))
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return ""


def grade_one(path: Path, set_name: str, autograder: Path, questions: list[Question],
              timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB,
              student_version: Path | None = None) -> Result:
    """Grade one submission file in its own temporary folder and process."""
    started = time.monotonic()
    nb, invalid = inspect_submission(path, set_name)
    if invalid:
        return Result(path.name, "invalid", invalid, seconds=time.monotonic() - started)
    flags = review_flags(nb, student_version)

    work = Path(tempfile.mkdtemp(prefix="jca-grade-"))
    token = uuid.uuid4().hex
    try:
        copy = _prepare_copy(nb, set_name, work / "submission")
        for folder in ("tmp", "ipython", "runtime"):
            (work / folder).mkdir()
        # jsonschema (imported with nbformat by Otter in every kernel) optionally imports
        # rfc3987_syntax, which builds a parser for 2-3 s; grading needs no IRI checks, so the
        # kernel finds this stand-in first and jsonschema skips that check (it allows the ImportError).
        stand_in = work / "pythonpath" / "rfc3987_syntax"
        stand_in.mkdir(parents=True)
        (stand_in / "__init__.py").write_text('raise ImportError("not loaded while grading (slow, unused)")\n')
        environment = {
            TOKEN_VARIABLE: token,
            "TMPDIR": str(work / "tmp"),              # Otter's own temporary folder goes here too
            "IPYTHONDIR": str(work / "ipython"),
            "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
            "PYTHONDONTWRITEBYTECODE": "1",
            "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "MPLBACKEND": "Agg",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(work / "pythonpath"), os.environ.get("PYTHONPATH")])),
        }
        # The result comes back through a pipe, not a file: the notebook's kernel, which runs as the
        # same user, could overwrite a file, but it does not inherit the pipe.
        receiver, sender = _context().Pipe(duplex=False)
        process = _context().Process(target=_forked_worker, name=f"grade {path.name}",
                                     args=(str(autograder), str(copy), memory_mb, str(work), environment, sender))
        process.start()
        sender.close()
        with _ACTIVE_LOCK:
            _ACTIVE[token] = process
        data, deadline = None, time.monotonic() + timeout
        try:
            while (remaining := deadline - time.monotonic()) > 0:
                if receiver.poll(min(remaining, 0.5)):
                    try:
                        data = json.loads(receiver.recv_bytes())
                    except (EOFError, OSError, ValueError):
                        pass  # the worker died without a result
                    break
                if process.exitcode is not None and not receiver.poll(0):
                    break
            if data is not None:
                process.join(10)
            timed_out = data is None and process.exitcode is None
        finally:
            receiver.close()
            _kill_everything(process, token)  # also ends anything the notebook left running
            with _ACTIVE_LOCK:
                _ACTIVE.pop(token, None)
        seconds = time.monotonic() - started
        if timed_out:
            return Result(path.name, "timeout", _join([
                f"did not finish within {_number(timeout)} s and was stopped (an endless loop, or very slow code?)",
                *(["REVIEW: " + "; ".join(flags)] if flags else [])]), seconds=seconds)
        return _read_worker_result(path.name, data, process.exitcode, work, questions, flags, memory_mb, seconds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


_CONTEXT = None


def _context():
    """A forkserver that has imported Otter once: each worker is forked from it, ready to grade.

    (Importing Otter takes seconds; a fresh interpreter per submission would pay that every time.)
    """
    global _CONTEXT
    if _CONTEXT is None:
        import multiprocessing

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["otter.run", "nbformat", "nbconvert.preprocessors"])
        _CONTEXT = context
    return _CONTEXT


def _forked_worker(autograder: str, submission: str, memory_mb: int, work: str, environment: dict,
                   sender) -> None:
    """Entry point of a worker process: own session, own folder, own environment, output to files."""
    os.setsid()  # a process group of its own, so that it can be killed as a whole
    os.chdir(work)
    os.environ.update(environment)
    tempfile.tempdir = None  # recomputed from TMPDIR
    for fd, name in ((1, "stdout.txt"), (2, "stderr.txt")):
        handle = os.open(os.path.join(work, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(handle, fd)
        os.close(handle)
    sys.stdout = open(1, "w", closefd=False)
    sys.stderr = open(2, "w", closefd=False)
    summary = worker(autograder, submission, memory_mb)
    sender.send_bytes(json.dumps(summary).encode())
    sender.close()
    os._exit(0)


def _join(parts: list[str]) -> str:
    return " | ".join(p for p in parts if p)


def _read_worker_result(name, data, returncode, work, questions, flags, memory_mb, seconds) -> Result:
    review = ["REVIEW: " + "; ".join(flags)] if flags else []
    if data is None:
        if returncode is not None and returncode < 0:
            what = signal.Signals(-returncode).name if -returncode in signal.Signals._value2member_map_ else -returncode
            why = f"the grading process was killed by {what}"
            if what == "SIGXFSZ":
                why += " (the notebook wrote a file larger than the size limit)"
        else:
            last = _tail(work / "stderr.txt").strip().splitlines()
            why = f"the grading process failed (exit code {returncode}): {last[-1][:300] if last else 'no message'}"
        return Result(name, "error", _join([why, *review]), seconds=seconds)

    scores, public = {}, {}
    for question in questions:
        if question.manual:
            continue
        found = data.get("tests", {}).get(question.name)
        scores[question.name] = float(found["score"]) if found else 0.0
        public[question.name] = found["public"] if found else []
    cell_errors = data.get("cell_errors", [])
    described = [f"cell {e['cell']} raised {e['ename']}" + (f": {e['evalue']}" if e['evalue'] else "")
                 for e in cell_errors[:3]]
    if len(cell_errors) > 3:
        described.append(f"… {len(cell_errors) - 3} more cell errors")
    notes = []
    if data.get("output_bytes", 0) > 5_000_000:
        notes.append(f"very large output ({data['output_bytes'] / 1e6:.0f} MB)")

    if data.get("fatal"):
        status = "error"
        fatal = data["fatal"]
        if "DeadKernel" in fatal or "Kernel died" in fatal:
            fatal = ("the kernel died while running the notebook (the memory cap of "
                     f"{memory_mb} MB was reached, or the notebook stopped its kernel with exit() or os._exit())")
        reasons = [fatal, *described]
        if not data.get("tests"):
            scores, public = {}, {}
    elif any(e["ename"] == "MemoryError" for e in cell_errors):
        status = "error"
        reasons = [f"memory cap of {memory_mb} MB reached (MemoryError); scores are those of the rest of the notebook",
                   *described]
    else:
        status = "graded"
        reasons = described
    return Result(name, status, _join([*reasons, *notes, *review]), scores, public, seconds)


# --------------------------------------------------------------------------------------------------
# The worker: runs in its own process, under the memory cap
# --------------------------------------------------------------------------------------------------

def worker(autograder: str, submission: str, memory_mb: int) -> dict:
    """Grade ``submission`` with ``otter run``'s Python API under the memory cap; return a JSON-able summary."""
    import resource

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    big = 1024 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (big, big))

    summary: dict = {"tests": {}, "cell_errors": [], "output_bytes": 0}
    try:
        kernel_startup.patch_nbclient()
        import nbformat
        from otter.run import main as otter_run

        original = nbformat.read(submission, as_version=4)
        results = otter_run(submission, autograder=autograder, output_dir=None, no_logo=True)
        if results.has_catastrophic_failure():
            summary["fatal"] = f"Otter could not grade the notebook: {results.summary()[:300]}"
        for name, test_file in results.results.items():
            summary["tests"][name] = {
                "score": float(test_file.score),
                "possible": float(test_file.possible),
                "public": [{"passed": bool(r.passed), "message": _public_message(r.message)}
                           for r in test_file.test_case_results if not r.test_case.hidden],
            }
        summary["cell_errors"], summary["output_bytes"] = _cell_errors(results.notebook, original)
    except BaseException as problem:  # MemoryError, DeadKernelError, OtterRuntimeError, ...
        summary["fatal"] = f"{type(problem).__name__}: {str(problem).strip().splitlines()[0][:300] if str(problem).strip() else ''}"
    return summary


def _public_message(message: str | None) -> str:
    """The useful part of a test message: the exception line (the assertion's own text)."""
    lines = [line.strip() for line in (message or "").strip().splitlines() if line.strip()]
    if not lines:
        return ""
    if "passed" in lines[0]:
        return "passed"
    return lines[-1][:500]


def _cell_errors(executed, original) -> tuple[list[dict], int]:
    """Errors raised by the submission's own cells (numbered as in the submission) and the output size."""
    if executed is None:
        return [], 0
    positions = {cell.get("id"): number for number, cell in enumerate(original.cells, start=1) if cell.get("id")}
    by_source = {}
    for number, cell in enumerate(original.cells, start=1):
        by_source.setdefault(cell.source, number)
    errors, size = [], 0
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            size += len(output.get("text", "")) + sum(len(str(v)) for v in output.get("data", {}).values())
            if output.get("output_type") == "error":
                number = positions.get(cell.get("id")) or by_source.get(cell.source)
                if number is None:
                    continue  # one of Otter's own cells
                evalue = re.sub(r"\(\S+\.py, line (\d+)\)", r"(line \1)", str(output.get("evalue", "")))
                errors.append({"cell": number, "ename": output.get("ename", "Error"), "evalue": evalue[:200]})
    return errors, size


# --------------------------------------------------------------------------------------------------
# The batch
# --------------------------------------------------------------------------------------------------

def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


class Progress:
    """One status line on stderr (rewritten in place on a terminal, one line per submission otherwise)."""

    def __init__(self, total: int, label: str):
        self.total, self.label, self.done = total, label, 0
        self.counts = {status: 0 for status in STATUSES}
        self.started = time.monotonic()
        self.tty = sys.stderr.isatty()
        self.show()

    def update(self, result: Result) -> None:
        self.done += 1
        self.counts[result.status] += 1
        self.show(result)

    def show(self, result: Result | None = None) -> None:
        width = 24
        filled = int(width * self.done / self.total) if self.total else width
        counts = ", ".join(f"{n} {s}" for s, n in self.counts.items() if n)
        line = (f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
                f" {time.monotonic() - self.started:.0f} s" + (f" ({counts})" if counts else ""))
        if self.tty:
            sys.stderr.write("\r" + line + ("\n" if self.done == self.total else ""))
        elif result is not None:
            sys.stderr.write(f"{line}  {result.file}: {result.status}\n")
        sys.stderr.flush()


def grade_folder(set_name: str, submissions: Path, autograder: Path | None = None, timeout: float = DEFAULT_TIMEOUT,
                 memory_mb: int = DEFAULT_MEMORY_MB, jobs: int | None = None, progress: bool = True) -> list[Result]:
    """Grade every ``*.ipynb`` in ``submissions``; write ``gradebook.csv`` and ``feedback/`` there."""
    autograder = Path(autograder) if autograder else default_autograder(set_name)
    if not autograder.is_file():
        raise SystemExit(f"no autograder at {autograder}: run make assign first")
    submissions = Path(submissions)
    files = sorted(p for p in submissions.glob("*.ipynb") if p.is_file())
    questions = read_questions(autograder)
    student_version = EXERCISES / set_name / f"{set_name}.ipynb"
    jobs = jobs or default_jobs()
    bar = Progress(len(files), f"grading {set_name}") if progress else None
    results: list[Result] = []
    pool = ThreadPoolExecutor(max_workers=jobs)  # each task runs one worker process
    try:
        futures = {pool.submit(grade_one, f, set_name, autograder, questions, timeout, memory_mb,
                               student_version): f for f in files}
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as problem:  # a bug here must not lose the other students' grades
                result = Result(futures[future].name, "error", f"grading tool failed: {type(problem).__name__}: {problem}")
            results.append(result)
            if bar:
                bar.update(result)
    except KeyboardInterrupt:
        with _ACTIVE_LOCK:
            active = list(_ACTIVE.items())
        for token, process in active:
            _kill_everything(process, token)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    results.sort(key=lambda r: r.file)
    write_gradebook(submissions / "gradebook.csv", results, questions)
    write_feedback(submissions / "feedback", results, questions, set_name)
    return results


def write_gradebook(path: Path, results: list[Result], questions: list[Question]) -> None:
    auto = [q for q in questions if not q.manual]
    manual = [q for q in questions if q.manual]
    possible = sum(q.points for q in auto)
    header = (["file"] + [q.name for q in auto] + [f"{q.name} (manual, {_number(q.points)})" for q in manual]
              + ["total", "possible", "status", "reason"])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for r in results:
            scored = bool(r.scores)
            writer.writerow([r.file] + [_number(r.scores.get(q.name, 0)) if scored else "" for q in auto]
                            + ["" for _ in manual] + [_number(r.total()), _number(possible), r.status, r.reason])


def write_feedback(folder: Path, results: list[Result], questions: list[Question], set_name: str) -> None:
    folder.mkdir(exist_ok=True)
    auto = [q for q in questions if not q.manual]
    possible = sum(q.points for q in auto)
    explain = {
        "timeout": "Your notebook did not finish running in the time allowed, so it could not be graded.",
        "error": "Grading did not complete normally.",
        "invalid": "This file could not be graded as a notebook of this exercise set.",
    }
    for r in results:
        lines = [f"Exercise set: {set_name}", f"File: {r.file}", f"Status: {r.status}"]
        if r.status != "graded":
            lines.append(explain[r.status])
        details = [part for part in r.reason.split(" | ") if part and not part.startswith("REVIEW:")]
        if details:  # notes for the instructor ("REVIEW: ...") stay in the gradebook
            lines.append(f"Details: {'; '.join(details)}")
        lines.append("")
        if r.scores:
            lines.append(f"Autograded score: {_number(r.total())} / {_number(possible)}")
            lines.append("")
            for q in questions:
                if q.manual:
                    lines.append(f"{q.name}: marked by your instructor ({_number(q.points)} points)")
                    continue
                lines.append(f"{q.name}: {_number(r.scores.get(q.name, 0))} / {_number(q.points)}")
                for number, test in enumerate(r.public.get(q.name, []), start=1):
                    lines.append(f"  public test {number}: " + ("passed" if test["passed"] else f"not yet: {test['message']}"))
                lines.append("  (hidden tests also count towards this score)")
        else:
            lines.append(f"No autograded score. Fix the problem above and run every cell (Kernel → Restart & Run All) "
                         "before handing in again.")
        stem = Path(r.file).stem
        (folder / f"{stem}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        parser = argparse.ArgumentParser(prog="grading.py --worker")
        parser.add_argument("autograder")
        parser.add_argument("submission")
        parser.add_argument("result_file")
        parser.add_argument("--memory", type=int, default=DEFAULT_MEMORY_MB)
        args = parser.parse_args(argv[1:])
        summary = worker(args.autograder, args.submission, args.memory)
        Path(args.result_file).write_text(json.dumps(summary, indent=2), encoding="utf-8")
        return 0

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", help="exercise set, e.g. intro")
    parser.add_argument("submissions", type=Path, help="folder of submitted .ipynb files")
    parser.add_argument("--autograder", type=Path, help="autograder zip (default: exercises/<set>/autograder/<set>-autograder.zip)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per submission (default 120)")
    parser.add_argument("--memory", type=int, default=DEFAULT_MEMORY_MB, help="address-space cap per submission in MB (default 2048)")
    parser.add_argument("--jobs", type=int, default=None, help="submissions graded at once (default: one per core)")
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        parser.error(f"{args.submissions} is not a folder")
    results = grade_folder(args.set, args.submissions, args.autograder, args.timeout, args.memory, args.jobs)
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    print(f"{len(results)} submissions: " + ", ".join(f"{n} {s}" for s, n in counts.items())
          + f". Wrote {args.submissions / 'gradebook.csv'} and {args.submissions / 'feedback'}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
