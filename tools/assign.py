"""Build the graded exercise sets with Otter Assign.

    python tools/assign.py                 # every set: exercises/<set>/<set>-master.ipynb
    python tools/assign.py intro           # one set
    python tools/assign.py --check         # report sets whose student version is out of date; write nothing

For each master notebook ``exercises/<set>/<set>-master.ipynb`` this runs ``otter assign`` in a
temporary folder and writes

* ``exercises/<set>/<set>.ipynb`` — the **student version** (committed; what the book, Binder and
  students see): no solutions, no hidden tests, public tests in its metadata, outputs from a fresh
  run stored (so nbval can compare them);
* ``exercises/<set>/autograder/`` — the **autograder** (gitignored): the notebook with solutions,
  ``<set>-autograder.zip`` (upload it to Gradescope, or grade locally with ``tools/grading.py``)
  and ``questions.json`` (every question with its points, manual ones included).

Otter names its outputs after the master file, so the master is copied to ``<set>.ipynb`` first:
the init cell's ``otter.Notebook("<set>.ipynb")`` then names the student file. The autograder's
``requirements.txt`` (installed on Gradescope) is written here from ``repository.url`` in
``_config.yml``, the one place the repository is set. Otter also runs the autograder against the
solutions and stops if any test fails (``--no-run-tests`` skips that).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import io
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

REPO = Path(__file__).resolve().parent.parent
EXERCISES = REPO / "exercises"
sys.path.insert(0, str(Path(__file__).resolve().parent))
import notebooks as authoring  # noqa: E402  (tools/notebooks.py)

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def masters(root: Path = EXERCISES) -> list[Path]:
    """Every master notebook, sorted by set name."""
    return sorted(p for p in root.glob("*/*-master.ipynb") if ".ipynb_checkpoints" not in p.parts)


def set_name(master: Path) -> str:
    return master.name.removesuffix("-master.ipynb")


def student_path(master: Path) -> Path:
    return master.parent / f"{set_name(master)}.ipynb"


def autograder_dir(master: Path) -> Path:
    return master.parent / "autograder"


def autograder_zip(set_dir: Path) -> Path:
    return set_dir / "autograder" / f"{set_dir.name}-autograder.zip"


def requirements_text() -> str:
    """What Gradescope installs besides Otter: the module's package (with its data) from the repository."""
    return f"japan-central-asia @ git+{authoring.repository_url()}\n"


def questions(master: Path) -> list[dict]:
    """The questions of a master notebook, in order: name, points, manual."""
    found = []
    for cell in nbformat.read(master, as_version=4).cells:
        lines = cell.source.strip().splitlines()
        if cell.cell_type == "raw" and lines and lines[0].strip().upper() == "# BEGIN QUESTION":
            config = yaml.safe_load("\n".join(lines[1:])) or {}
            found.append({"name": config["name"], "points": config.get("points"),
                          "manual": bool(config.get("manual", False))})
    return found


@dataclass
class Build:
    student: Path          # the student notebook Otter wrote
    autograder: Path       # Otter's autograder folder (notebook with solutions, zip, ...)
    zip: Path              # the Gradescope / otter run zip, <set>-autograder.zip (questions.json beside it)
    log: str               # what Otter printed


def build(master: Path, workdir: Path, run_tests: bool = True) -> Build:
    """Run Otter Assign on ``master`` inside ``workdir``; nothing outside ``workdir`` is written."""
    from otter.assign import main as otter_assign

    name = set_name(master)
    source = workdir / "source"
    source.mkdir(parents=True)
    shutil.copy(master, source / f"{name}.ipynb")
    (source / "requirements.txt").write_text(requirements_text(), encoding="utf-8")
    out = workdir / "dist"
    log = io.StringIO()
    with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        otter_assign(str(source / f"{name}.ipynb"), str(out), no_pdfs=True, no_run_tests=not run_tests)
    zips = sorted((out / "autograder").glob(f"{name}-autograder_*.zip"))
    if len(zips) != 1:
        raise RuntimeError(f"{master}: expected one autograder zip from otter assign, found {zips}")
    stable = zips[0].with_name(f"{name}-autograder.zip")  # Otter adds a timestamp; grading wants one name
    zips[0].rename(stable)
    (out / "autograder" / "questions.json").write_text(json.dumps(questions(master), indent=2) + "\n",
                                                       encoding="utf-8")
    return Build(out / "student" / f"{name}.ipynb", out / "autograder", stable, log.getvalue())


def normalise(nb: nbformat.NotebookNode, master: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Stable cell ids, the book's kernelspec, and check cells whose output the web page hides.

    Cells copied from the master keep its ids; the cells Otter adds (check cells, answer prompts)
    get random ids from Otter, replaced here by ids derived from their position and text, so that
    rebuilding an unchanged master gives an identical student notebook. The check cells are tagged
    ``remove-output``: in the HTML book their "not yet correct" reports would only confuse readers;
    in Jupyter they show as usual.
    """
    nb = copy.deepcopy(nb)
    master_ids = {cell.get("id") for cell in master.cells}
    seen: set[str] = set()
    for number, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source.startswith("grader.check("):
            tags = cell.metadata.setdefault("tags", [])
            if "remove-output" not in tags:
                tags.append("remove-output")
        cell_id = cell.get("id")
        if not cell_id or cell_id not in master_ids or cell_id in seen:
            digest = hashlib.sha1(f"{number}\0{cell.cell_type}\0{cell.source}".encode()).hexdigest()
            cell_id = f"otter-{digest[:10]}"
        seen.add(cell_id)
        cell["id"] = cell_id
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    return nb


def signature(nb: nbformat.NotebookNode) -> dict:
    """What must agree between a committed student version and a fresh build: cells and tests.

    Volatile things (outputs, execution counts, cell ids, language_info) are left out.
    """
    return {
        "cells": [(c.cell_type, "".join(c.source) if isinstance(c.source, list) else c.source,
                   sorted(c.metadata.get("tags", []))) for c in nb.cells],
        "otter": json.loads(json.dumps(nb.metadata.get("otter", {}), sort_keys=True)),
    }


def differences(committed: nbformat.NotebookNode, fresh: nbformat.NotebookNode) -> list[str]:
    """Human-readable differences between two student versions (empty if they agree)."""
    a, b = signature(committed), signature(fresh)
    problems = []
    if len(a["cells"]) != len(b["cells"]):
        problems.append(f"{len(a['cells'])} cells committed, {len(b['cells'])} in a fresh build")
    for number, (old, new) in enumerate(zip(a["cells"], b["cells"]), start=1):
        if old != new:
            problems.append(f"cell {number} differs: committed {old[1][:60]!r}…, fresh {new[1][:60]!r}…")
    if a["otter"] != b["otter"]:
        problems.append("the public tests in the notebook metadata differ")
    return problems


def _execute_copy(nb: nbformat.NotebookNode, name: str, beside: Path | None = None) -> nbformat.NotebookNode:
    """Execute ``nb`` as ``<tmp>/<name>`` (so Otter's log and any files stay out of the course folder).

    ``beside`` is copied next to it: the master's init cell reads the student notebook's public tests.
    """
    with tempfile.TemporaryDirectory(prefix="jca-assign-run-") as tmp:
        path = Path(tmp) / name
        if beside is not None:
            shutil.copy(beside, Path(tmp) / beside.name)
        nbformat.write(nb, path)
        authoring.execute(path)
        executed = nbformat.read(path, as_version=4)
    for cell in executed.cells:  # nbclient's timestamps would make every rebuild differ
        cell.metadata.pop("execution", None)
    return executed


def _write_if_changed(nb: nbformat.NotebookNode, path: Path) -> bool:
    text = nbformat.writes(nb) + "\n"
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def assign(master: Path, run_tests: bool = True, execute: bool = True) -> list[str]:
    """Build one set in place: student version, executed master, autograder folder. Returns a report."""
    name = set_name(master)
    report = []
    with tempfile.TemporaryDirectory(prefix=f"jca-assign-{name}-") as tmp:
        result = build(master, Path(tmp), run_tests=run_tests)
        master_nb = nbformat.read(master, as_version=4)
        fresh = normalise(nbformat.read(result.student, as_version=4), master_nb)
        target = student_path(master)
        if execute:
            fresh = normalise(_execute_copy(fresh, target.name), master_nb)
            changed = _write_if_changed(fresh, target)
        else:
            committed = nbformat.read(target, as_version=4) if target.is_file() else None
            changed = committed is None or bool(differences(committed, fresh))
            if changed:
                _write_if_changed(fresh, target)
        report.append(f"{target.relative_to(REPO)}: " + (
            "up to date" if not changed else "written" if execute else
            "written WITHOUT outputs (nbval compares them: run again without --no-execute)"))
        if execute:
            executed = _execute_copy(master_nb, master.name, beside=target)
            changed = _write_if_changed(executed, master)
            report.append(f"{master.relative_to(REPO)}: {'outputs refreshed' if changed else 'outputs up to date'}")

        destination = autograder_dir(master)
        shutil.rmtree(destination, ignore_errors=True)
        destination.mkdir(parents=True)
        for item in result.autograder.iterdir():
            (shutil.copytree if item.is_dir() else shutil.copy)(item, destination / item.name)
        report.append(f"{destination.relative_to(REPO)}/: autograder written "
                      f"({'tests passed on the solutions' if run_tests else 'tests not run'})")
    return report


def check(master: Path) -> list[str]:
    """Problems that make the committed student version of ``master`` out of date (none = up to date)."""
    target = student_path(master)
    if not target.is_file():
        return [f"{target.relative_to(REPO)} does not exist: run make assign"]
    with tempfile.TemporaryDirectory(prefix="jca-assign-check-") as tmp:
        built = nbformat.read(build(master, Path(tmp), run_tests=False).student, as_version=4)
        fresh = normalise(built, nbformat.read(master, as_version=4))
    problems = differences(nbformat.read(target, as_version=4), fresh)
    return [f"{target.relative_to(REPO)}: {p} (run make assign)" for p in problems]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="*", help="set names (default: every exercises/<set>/<set>-master.ipynb)")
    parser.add_argument("--check", action="store_true", help="only report out-of-date student versions")
    parser.add_argument("--no-run-tests", action="store_true", help="do not run the tests against the solutions")
    parser.add_argument("--no-execute", action="store_true", help="do not re-execute the notebooks")
    args = parser.parse_args(argv)
    found = masters()
    if args.sets:
        by_name = {set_name(m): m for m in found}
        unknown = [s for s in args.sets if s not in by_name]
        if unknown:
            parser.error(f"no master notebook for {unknown}; sets: {sorted(by_name)}")
        found = [by_name[s] for s in args.sets]
    if not found:
        print("no master notebooks in exercises/*/<set>-master.ipynb")
        return 1
    failed = False
    for master in found:
        if args.check:
            problems = check(master)
            for problem in problems:
                print(problem)
            if not problems:
                print(f"{student_path(master).relative_to(REPO)}: up to date")
            failed |= bool(problems)
        else:
            for line in assign(master, run_tests=not args.no_run_tests, execute=not args.no_execute):
                print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
