"""Write the robustness corpus for the grading tool: submissions that go wrong in every usual way.

    python tests/grading_corpus/make_corpus.py          # writes tests/grading_corpus/intro/

Every file is derived from the ``intro`` master through Otter Assign (a fresh build in a temporary
folder): the student version as handed out, and the same notebook with the solutions filled in. The
variants start from one of these two. ``expected.json`` says what ``tools/grading.py`` must report for
each file: its status, its autograded total (``null`` where the total is not the point, e.g. a
timeout) and a word the reason must contain. Totals are computed from the questions' points, so a
change of points in the master does not need edits here. tests/test_grading.py grades the corpus
and checks every line; it also checks that this script's output matches the committed files.
"""

from __future__ import annotations

import copy
import json
import re
import sys
import tempfile
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "tools"))
import assign  # noqa: E402  (tools/assign.py)

SET = "intro"

ESSAY = (
    "I would keep the boundary of 1 January 1994, while saying clearly that it is a convention. Phase 1 "
    "is about a task that ends: making the five states eligible for Japanese aid. The Tokyo Conference on "
    "Assistance to the New Independent States (29 October 1992) and the listing of the states as aid "
    "recipients from 1993 complete it. After that Japan's problem is the economic crisis and falling trade, "
    "which is what phase 2 is about. Merging the two phases would stress that the instruments stayed the "
    "same, but it would hide the change of priorities. Because the boundary is a choice, the counts per "
    "phase for phases 1 and 2 depend on it."
)


def sources(nb, pattern: str) -> int:
    """Index of the first cell whose source matches ``pattern`` (a regular expression)."""
    for index, cell in enumerate(nb.cells):
        if re.search(pattern, cell.source, flags=re.MULTILINE):
            return index
    raise LookupError(pattern)


def check_index(nb, question: str) -> int:
    return sources(nb, rf'^grader\.check\("{question}"\)')


def answer_index(nb, question: str) -> int:
    index = check_index(nb, question) - 1
    assert "otter_answer_cell" in nb.cells[index].metadata.get("tags", []), question
    return index


def block(nb, number: int) -> tuple[int, int]:
    """Cell range [start, end) of question ``number``: its heading up to the next heading."""
    start = sources(nb, rf"^## Question {number}:")
    end = sources(nb, rf"^## (Question {number + 1}:|Submitting)")
    return start, end


def new_cell(kind: str, source: str, name: str):
    cell = (nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell)(source)
    cell["id"] = f"corpus-{name}"
    return cell


MASTER = REPO / "exercises" / SET / f"{SET}-master.ipynb"


def base_notebooks(built: assign.Build | None = None) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """(student version, full solution) from an Otter Assign build of the master (a fresh one if not given)."""
    if built is None:
        with tempfile.TemporaryDirectory(prefix="jca-corpus-") as tmp:
            return base_notebooks(assign.build(MASTER, Path(tmp), run_tests=False))
    student = assign.normalise(nbformat.read(built.student, as_version=4), nbformat.read(MASTER, as_version=4))
    solutions = nbformat.read(built.autograder / f"{SET}.ipynb", as_version=4)
    by_id = {cell.get("id"): cell for cell in solutions.cells}
    full = copy.deepcopy(student)
    for cell in full.cells:
        if "otter_answer_cell" not in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "code":
            cell.source = by_id[cell["id"]].source
        else:
            cell.source = ESSAY
    return student, full


def variants(student, full) -> dict[str, tuple[object, dict]]:
    """name -> (notebook, or bytes for a non-notebook file; expected result)."""
    points = {q["name"]: q["points"] for q in assign.questions(MASTER) if not q["manual"]}
    total = sum(points.values())
    q = {int(re.match(r"q(\d+)_", name).group(1)): name for name in points}

    def without(*numbers):
        return total - sum(points[q[n]] for n in numbers)

    out: dict[str, tuple[object, dict]] = {}
    out["full_solution"] = (full, {"status": "graded", "total": total, "reason": ""})
    out["untouched"] = (student, {"status": "graded", "total": 0, "reason": ""})

    nb = copy.deepcopy(full)
    nb.cells[answer_index(nb, q[2])].source += "\nlast_state = ("
    out["syntax_error"] = (nb, {"status": "graded", "total": without(2), "reason": "SyntaxError"})

    nb = copy.deepcopy(full)
    cell = nb.cells[answer_index(nb, q[3])]
    cell.source = "events_per_year = len(events) / 0  # a mistake\n" + cell.source
    out["exception"] = (nb, {"status": "graded", "total": without(3), "reason": "ZeroDivisionError"})

    nb = copy.deepcopy(full)
    cell = nb.cells[answer_index(nb, q[4])]
    cell.source = "while True:  # waits for ever\n    pass\n" + cell.source
    out["infinite_loop"] = (nb, {"status": "timeout", "total": None, "reason": "did not finish"})

    nb = copy.deepcopy(full)
    cell = nb.cells[answer_index(nb, q[5])]
    cell.source = ("def fill_memory():\n    blocks = []\n    while True:\n"
                   "        blocks.append(bytearray(64 * 1024 * 1024))\n\nfill_memory()\n" + cell.source)
    out["memory_hog"] = (nb, {"status": "error", "total": None, "reason": "memory"})

    nb = copy.deepcopy(full)
    cell = nb.cells[answer_index(nb, q[6])]
    cell.source = 'import sys\nsys.exit("done for today")\n' + cell.source
    out["sys_exit"] = (nb, {"status": "graded", "total": without(6), "reason": "SystemExit"})

    nb = copy.deepcopy(full)
    nb.cells.insert(answer_index(nb, q[6]), new_cell("code", "import os\nos._exit(1)", "os-exit"))
    out["kernel_exit"] = (nb, {"status": "error", "total": None, "reason": "kernel died"})

    nb = copy.deepcopy(full)
    for number in (4, 3):  # later one first, so the indexes stay right
        check = check_index(nb, q[number])
        del nb.cells[check - 1:check + 1]
    out["deleted_cells"] = (nb, {"status": "graded", "total": without(3, 4), "reason": ""})

    nb = copy.deepcopy(full)
    start, end = block(nb, 5)
    moved = nb.cells[start:end]
    del nb.cells[start:end]
    submit = sources(nb, r"^## Submitting")
    nb.cells[submit:submit] = moved  # question 5 after question 7: still right
    check, answer = check_index(nb, q[1]), answer_index(nb, q[1])
    nb.cells[answer], nb.cells[check] = nb.cells[check], nb.cells[answer]  # q1's check runs before its answer
    out["reordered_cells"] = (nb, {"status": "graded", "total": without(1), "reason": ""})

    nb = copy.deepcopy(student)
    fake = ("# Everything passes!\nclass FakeGrader:\n    def check(self, question):\n"
            "        print(question, 'All tests passed!')\n\ngrader = FakeGrader()")
    nb.cells.insert(sources(nb, r"^events = jca\.load"), new_cell("code", fake, "fake-grader"))
    for cell in nb.cells:
        if cell.source.startswith("grader.check("):
            cell.source = 'grader.check("q6_other_periodisation")  # edited'
    tests = nb.metadata["otter"]["tests"]
    for name in tests:  # every stored test replaced by one that always passes
        tests[name] = (f'from otter.test_files import test_case\n\nOK_FORMAT = False\n\nname = "{name}"\n'
                       f"points = {points[name]}\n\n@test_case(points={points[name]}, hidden=False)\n"
                       "def test_always_passes():\n    pass\n")
    out["tampered_tests"] = (nb, {"status": "graded", "total": 0, "reason": "REVIEW"})

    nb = copy.deepcopy(student)
    patch = ("from otter.test_files.exception_test import ExceptionTestFile\n"
             "from otter.test_files.abstract_test import TestCaseResult\n\n"
             "def run(self, global_environment):\n"
             "    self.test_case_results = [TestCaseResult(test_case=tc, message='ok', passed=True) for tc in self.test_cases]\n\n"
             "ExceptionTestFile.run = run")
    nb.cells.insert(sources(nb, r"^events = jca\.load"), new_cell("code", patch, "patch-otter"))
    # Known limit: code that patches Otter inside the kernel can change results; it is flagged, not stopped.
    out["patched_otter"] = (nb, {"status": "graded", "total": None, "reason": "REVIEW"})

    nb = copy.deepcopy(full)
    for number in (1, 2):
        cell = nb.cells[answer_index(nb, q[number])]
        cell.source = cell.source.replace("events_1991", "ev_1991")
    cell = nb.cells[answer_index(nb, q[3])]
    cell.source = cell.source.replace("per_phase", "counts")
    out["renamed_variables"] = (nb, {"status": "graded", "total": without(1, 3), "reason": ""})

    nb = copy.deepcopy(full)
    nb.cells[answer_index(nb, q[2])].source += "\nlast_state = [last_state]"
    nb.cells[answer_index(nb, q[3])].source += "\nper_phase = per_phase.to_dict()"
    nb.cells[answer_index(nb, q[5])].source += '\ndialogue_start = "2004-08-28"'
    nb.cells[answer_index(nb, q[6])].source = "q6_answer = 3"
    # q2 keeps its (hidden) gap_days point, q5 its (hidden) value point: 1 of 3 and 1 of 2
    wrong_total = without(2, 3, 5, 6) + 1 + 1
    out["wrong_types"] = (nb, {"status": "graded", "total": wrong_total, "reason": ""})

    nb = copy.deepcopy(full)
    printer = 'for line in range(200_000):\n    print(f"line {line}: " + "x" * 80)'
    nb.cells.insert(answer_index(nb, q[1]), new_cell("code", printer, "huge-output"))
    out["huge_output"] = (nb, {"status": "graded", "total": total, "reason": "very large output"})

    nb = copy.deepcopy(full)
    nb.metadata["otter"]["assignment_name"] = "silk_road"
    out["other_set"] = (nb, {"status": "invalid", "total": 0, "reason": "silk_road"})

    out["empty"] = (b"", {"status": "invalid", "total": 0, "reason": "empty file"})
    out["not_a_notebook"] = (b"My answers are in the attached Word file.\n",
                             {"status": "invalid", "total": 0, "reason": "not a notebook"})
    return out


def render(student, full) -> dict[str, bytes]:
    """file name -> bytes of every corpus file, expected.json included."""
    files, expected = {}, {}
    for name, (content, result) in variants(student, full).items():
        filename = f"{name}.ipynb"
        files[filename] = content if isinstance(content, bytes) else (nbformat.writes(content) + "\n").encode()
        expected[filename] = result
    files["expected.json"] = (json.dumps(expected, indent=2, sort_keys=True) + "\n").encode()
    return files


def main() -> int:
    folder = HERE / SET
    folder.mkdir(exist_ok=True)
    files = render(*base_notebooks())
    for old in folder.iterdir():
        if old.is_file() and old.name not in files:
            old.unlink()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    print(f"wrote {len(files)} files to {folder.relative_to(REPO)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
