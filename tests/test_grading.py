"""Graded exercises: student versions in step with their masters and free of solutions; the batch grader.

The batch test grades the robustness corpus (tests/grading_corpus/<set>/, written by
make_corpus.py) and checks every file's status, score and reason, and that nothing in the course
folder changed. It takes about a minute on two cores; set JCA_GRADING_TEST_TIMEOUT (seconds per
submission, default 45) on a slow machine.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml

import assign  # tools/assign.py (the root conftest.py puts tools/ on sys.path)
import grading  # tools/grading.py

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "grading_corpus"
sys.path.insert(0, str(CORPUS))
import make_corpus  # noqa: E402  (tests/grading_corpus/make_corpus.py)

MASTERS = assign.masters()
SETS = [assign.set_name(m) for m in MASTERS]
TIMEOUT = float(os.environ.get("JCA_GRADING_TEST_TIMEOUT", "45"))


@pytest.fixture(scope="session")
def builds(tmp_path_factory) -> dict[str, assign.Build]:
    """One fresh Otter Assign build per set, in a temporary folder (make assign also runs the tests)."""
    return {assign.set_name(m): assign.build(m, tmp_path_factory.mktemp(f"assign-{assign.set_name(m)}"),
                                             run_tests=False) for m in MASTERS}


def master_of(name: str) -> Path:
    return REPO / "exercises" / name / f"{name}-master.ipynb"


def _blocks(master: Path):
    """(question config, block kind, cell) for every cell inside a question of the master."""
    question, stack = None, []
    for cell in nbformat.read(master, as_version=4).cells:
        first = cell.source.strip().splitlines()[0].strip().upper() if cell.source.strip() else ""
        if cell.cell_type == "raw" and first.startswith("# BEGIN "):
            kind = first.removeprefix("# BEGIN ").lower()
            if kind == "question":
                question = yaml.safe_load("\n".join(cell.source.strip().splitlines()[1:]))
            stack.append(kind)
            continue
        if cell.cell_type == "raw" and first.startswith("# END "):
            stack.pop()
            continue
        if stack:
            yield question, stack[-1], cell


def test_there_is_an_exercise_set():
    assert "intro" in SETS


def test_the_layout_is_one_folder_per_set():
    for master in MASTERS:
        assert master.parent.name == assign.set_name(master), f"{master}: the folder must be named after the set"


@pytest.mark.parametrize("name", SETS)
def test_student_version_is_up_to_date_with_its_master(name, builds):
    committed = REPO / "exercises" / name / f"{name}.ipynb"
    assert committed.is_file(), f"{committed} is missing: run make assign"
    fresh = assign.normalise(nbformat.read(builds[name].student, as_version=4),
                             nbformat.read(master_of(name), as_version=4))
    problems = assign.differences(nbformat.read(committed, as_version=4), fresh)
    assert problems == [], "the student version is out of date with its master (run make assign):\n" + "\n".join(problems)


def test_an_edited_master_is_detected(builds, tmp_path):
    """The comparison notices a changed question text and a changed public test."""
    name = SETS[0]
    fresh = assign.normalise(nbformat.read(builds[name].student, as_version=4),
                             nbformat.read(master_of(name), as_version=4))
    edited = nbformat.reads(nbformat.writes(fresh), as_version=4)
    edited.cells[0].source += " (edited)"
    assert assign.differences(edited, fresh)
    edited = nbformat.reads(nbformat.writes(fresh), as_version=4)
    first = sorted(edited.metadata["otter"]["tests"])[0]
    edited.metadata["otter"]["tests"][first] += "\n# edited"
    assert assign.differences(edited, fresh) == ["the public tests in the notebook metadata differ"]


@pytest.mark.parametrize("name", SETS)
def test_student_version_has_no_solutions_and_no_hidden_tests(name):
    path = REPO / "exercises" / name / f"{name}.ipynb"
    assert path.is_file(), f"{path} is missing: run make assign"
    student = nbformat.read(path, as_version=4)
    text = nbformat.writes(student)
    everything = "\n".join(c.source for c in student.cells)
    assert not [c for c in student.cells if c.cell_type == "raw"], "Otter's raw marker cells are left in"
    assert "otter_assign_solution_cell" not in text
    for marker in ["# SOLUTION", "BEGIN SOLUTION", "END SOLUTION", "BEGIN TESTS", "TEST CONFIG", "hidden: true"]:
        assert marker not in text, f"{marker!r} is in the student version"
    code = "\n".join(c.source for c in student.cells if c.cell_type == "code")
    solution_lines, hidden_tests, solution_markdown = [], [], []
    for question, kind, cell in _blocks(master_of(name)):
        if kind == "solution" and cell.cell_type == "code":
            for line in cell.source.splitlines():
                stripped = re.sub(r"#\s*SOLUTION.*$", "", line).strip()
                if re.search(r"[^=!<>]=[^=]", stripped):  # an assignment: the whole solution line
                    solution_lines.append(stripped)
        elif kind == "solution":
            solution_markdown.append(cell.source)
        elif kind == "tests":
            config = yaml.safe_load(re.search(r"BEGIN TEST CONFIG(.*?)\"\"\"", cell.source, re.S).group(1))
            if config.get("hidden"):
                tree = ast.parse(cell.source)
                hidden_tests += [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert solution_lines and hidden_tests, "the master should have solutions and hidden tests"
    for answer in solution_lines:  # (a hint in the text may quote part of one; the code may not)
        assert answer not in code, f"a solution is in the student version: {answer}"
    for block in solution_markdown:
        assert block[:80] not in everything, "a model answer or rubric is in the student version"
    assert "Rubric" not in everything
    for test in hidden_tests:
        assert test not in text, f"the hidden test {test} is in the student version"
    stored = student.metadata["otter"]["tests"]
    assert stored, "the student version should carry its public tests"
    for source in stored.values():
        assert "hidden=True" not in source


@pytest.mark.parametrize("name", SETS)
def test_autograder_has_every_test_and_question(name, builds):
    with zipfile.ZipFile(builds[name].zip) as zf:
        tests = {Path(n).stem for n in zf.namelist() if n.startswith("tests/") and n.endswith(".py")}
        sources = "".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("tests/"))
        environment = zf.read("environment.yml").decode()
    questions = assign.questions(master_of(name))
    assert tests == {q["name"] for q in questions if not q["manual"]}
    assert "hidden=True" in sources
    assert "japan-central-asia @ git+" in environment  # Gradescope installs the package with its data


@pytest.mark.parametrize("name", SETS)
def test_every_question_states_objective_points_and_time(name):
    questions = {q["name"]: q for q in assign.questions(master_of(name))}
    seen, rubric = set(), set()
    for question, kind, cell in _blocks(master_of(name)):
        if kind == "question" and cell.cell_type == "markdown" and cell.source.lstrip().startswith("## "):
            text = cell.source
            assert "Learning objective assessed:" in text, question["name"]
            points = re.search(r"\*Points:\*\s*(\d+(?:\.\d+)?)", text)
            assert points and float(points.group(1)) == float(question["points"]), \
                f"{question['name']}: the points in the text differ from the config"
            assert re.search(r"\*Time:\*\s*about \d+ minutes", text), question["name"]
            seen.add(question["name"])
        if kind == "solution" and cell.cell_type == "markdown" and "Rubric" in cell.source:
            rubric.add(question["name"])
    assert seen == set(questions)
    manual = {n for n, q in questions.items() if q["manual"]}
    assert manual, "each set has at least one question marked by hand"
    assert manual <= rubric, f"manual questions without a rubric: {manual - rubric}"
    assert sum(1 for q in questions.values() if not q["manual"]) >= 5


def test_corpus_files_are_what_make_corpus_writes(builds):
    files = make_corpus.render(*make_corpus.base_notebooks(builds[make_corpus.SET]))
    folder = CORPUS / make_corpus.SET
    committed = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    stale = sorted(set(files) ^ set(committed) | {n for n in files if files[n] != committed.get(n)})
    assert not stale, f"tests/grading_corpus is out of date ({stale}): run python tests/grading_corpus/make_corpus.py"


def _tree_hash(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".OTTER_LOG"
            and ".ipynb_checkpoints" not in p.parts}


def test_grading_the_corpus(builds, tmp_path):
    name = make_corpus.SET
    source = CORPUS / name
    expected = json.loads((source / "expected.json").read_text())
    submissions = tmp_path / "submissions"
    shutil.copytree(source, submissions)
    before_course = _tree_hash(REPO / "exercises")
    before_submissions = _tree_hash(submissions)
    temporary = set(Path(tempfile.gettempdir()).glob("jca-grade-*"))

    results = grading.grade_folder(name, submissions, autograder=builds[name].zip, timeout=TIMEOUT,
                                   progress=False)

    # one row per notebook file, with the status, total and reason the corpus expects
    by_file = {r.file: r for r in results}
    assert set(by_file) == set(expected)
    problems = []
    for file, want in expected.items():
        got = by_file[file]
        if got.status != want["status"]:
            problems.append(f"{file}: status {got.status}, expected {want['status']} ({got.reason})")
        if want["total"] is not None and got.total() != want["total"]:
            problems.append(f"{file}: total {got.total()}, expected {want['total']} ({got.reason})")
        if want["reason"] and want["reason"] not in got.reason:
            problems.append(f"{file}: reason {got.reason!r} lacks {want['reason']!r}")
        if not want["reason"] and got.status == "graded" and "REVIEW" in got.reason:
            problems.append(f"{file}: flagged for review without cause: {got.reason}")
    assert not problems, "\n".join(problems)

    # the gradebook
    with (submissions / "gradebook.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    questions = assign.questions(master_of(name))
    auto = [q["name"] for q in questions if not q["manual"]]
    header = list(rows[0])
    assert header[0] == "file" and header[1:1 + len(auto)] == auto
    assert header[-4:] == ["total", "possible", "status", "reason"]
    assert any("manual" in column for column in header), "a column for the question marked by hand"
    assert [r["file"] for r in rows] == sorted(expected)
    possible = sum(q["points"] for q in questions if not q["manual"])
    for row in rows:
        assert float(row["possible"]) == possible and row["status"] in grading.STATUSES
        if row["status"] == "graded":
            assert sum(float(row[q]) for q in auto) == float(row["total"])

    # feedback: one file per submission, with the public tests' messages
    feedback = submissions / "feedback"
    assert sorted(p.name for p in feedback.iterdir()) == sorted(Path(f).stem + ".txt" for f in expected)
    untouched = (feedback / "untouched.txt").read_text()
    assert "Autograded score: 0 / " in untouched and "is still `...`" in untouched
    full = (feedback / "full_solution.txt").read_text()
    assert f"Autograded score: {possible:g} / {possible:g}" in full and "marked by your instructor" in full
    assert "did not finish" in (feedback / "infinite_loop.txt").read_text()

    # nothing else changed: not the course folder, not the submissions, no temporary folders left
    assert _tree_hash(REPO / "exercises") == before_course
    after = _tree_hash(submissions)
    added = {k for k in after if k not in before_submissions}
    assert {k for k in before_submissions if after.get(k) != before_submissions[k]} == set()
    assert added == {"gradebook.csv"} | {f"feedback/{Path(f).stem}.txt" for f in expected}
    assert set(Path(tempfile.gettempdir()).glob("jca-grade-*")) <= temporary


def test_invalid_files_are_reported_without_running_anything(tmp_path):
    (tmp_path / "empty.ipynb").write_text("")
    (tmp_path / "text.ipynb").write_text("not json")
    (tmp_path / "json.ipynb").write_text('{"cells": 3}')
    for name, why in [("empty.ipynb", "empty file"), ("text.ipynb", "not JSON"), ("json.ipynb", "not a notebook")]:
        nb, reason = grading.inspect_submission(tmp_path / name, "intro")
        assert nb is None and why in reason


def test_review_flags_catch_reaching_into_the_grader():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("grader = otter.Notebook('intro.ipynb')"),
        nbformat.v4.new_code_cell("x = 1"),
    ])
    assert grading.review_flags(nb, None) == []
    for code in ["class grader:\n    pass", "from otter.execute import Checker", "jca.load = lambda n: None",
                 "open('tests/q1.py', 'w')", "grader.check = print"]:
        nb.cells[1].source = code
        assert grading.review_flags(nb, None), code
