"""Checks across the datasets that a per-table schema cannot express.

Run from a checkout of the book::

    python -m japan_central_asia.checks --repo .

Each problem names the file, the row and the column. The checks:

* every table validates against its schema (:func:`japan_central_asia.validate`);
* dates agree with their precision (a ``month`` date falls on day 01, a ``year`` date on 1 January)
  and lie in the period the table covers;
* every row of the timeline, the phases and the glossary has a source (URL or BibTeX key);
* every BibTeX key resolves in ``references.bib``;
* every event's phase agrees with the periodisation in ``phases.csv``;
* every file in ``data/`` is documented in ``data/README.md`` and used by at least one notebook.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from .datasets import DatasetProblem, data_dir, dataset_names, load, split_list, validate
from .periods import phase_of

__all__ = ["bibtex_keys", "run_checks"]

#: Tables with a date and a date_precision column.
PRECISION_COLUMNS = {"timeline": "date", "aid": "date", "resource_deals": "date"}
#: The period each dated table may cover (inclusive).
DATE_RANGES = {
    ("timeline", "date"): ("1991-08-01", "2025-12-31"),
    ("dialogue_meetings", "date"): ("2004-01-01", "2026-12-31"),
    ("visits", "start_date"): ("1991-08-01", "2026-12-31"),
    ("aid", "date"): ("1991-08-01", "2026-12-31"),
    ("trade", "period_start"): ("1991-08-01", "2030-12-31"),
    ("resource_deals", "date"): ("1991-08-01", "2026-12-31"),
}
#: Tables whose rows must carry a source_url or a bibtex_key.
SOURCED_TABLES = ["timeline", "phases", "glossary"]
#: Tables with a bibtex_key column.
BIBTEX_TABLES = ["timeline", "phases", "glossary", "expert_claims"]


def bibtex_keys(bib_path: Path) -> set[str]:
    """The entry keys defined in a BibTeX file."""
    text = bib_path.read_text(encoding="utf-8")
    return set(re.findall(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", text, flags=re.MULTILINE))


def _problem(name: str, index: int, column: str | None, message: str) -> DatasetProblem:
    # index is the DataFrame position; row 1 is the first data row, line = row + 1.
    return DatasetProblem(f"data/{name}.csv", index + 1, index + 2, column, message)


def check_precision(name: str, table: pd.DataFrame, column: str) -> list[DatasetProblem]:
    problems = []
    for i, (when, precision) in enumerate(zip(table[column], table["date_precision"])):
        if precision == "month" and when.day != 1:
            problems.append(_problem(name, i, column, f"precision is 'month' but the date {when.date()} is not day 01"))
        if precision == "year" and (when.month, when.day) != (1, 1):
            problems.append(_problem(name, i, column, f"precision is 'year' but the date {when.date()} is not 1 January"))
    return problems


def check_range(name: str, table: pd.DataFrame, column: str, first: str, last: str) -> list[DatasetProblem]:
    problems = []
    low, high = pd.Timestamp(first), pd.Timestamp(last)
    for i, when in enumerate(table[column]):
        if pd.notna(when) and not low <= when <= high:
            problems.append(_problem(name, i, column, f"date {when.date()} lies outside {first} – {last}"))
    return problems


def check_sources(name: str, table: pd.DataFrame) -> list[DatasetProblem]:
    problems = []
    for i, (url, key) in enumerate(zip(table["source_url"].fillna(""), table["bibtex_key"].fillna(""))):
        if not url and not key:
            problems.append(_problem(name, i, "source_url", "no source: give a source_url or a bibtex_key"))
    return problems


def check_bibtex(name: str, table: pd.DataFrame, keys: set[str]) -> list[DatasetProblem]:
    problems = []
    for i, cell in enumerate(split_list(table["bibtex_key"])):
        for key in cell:
            if key not in keys:
                problems.append(_problem(name, i, "bibtex_key", f"key '{key}' is not in references.bib"))
    return problems


def check_phases(events: pd.DataFrame, phase_table: pd.DataFrame) -> list[DatasetProblem]:
    problems = []
    for i, (when, phase) in enumerate(zip(events["date"], events["phase"])):
        try:
            expected = phase_of(when, phase_table)
        except ValueError as error:
            problems.append(_problem("timeline", i, "date", str(error)))
            continue
        if expected != phase:
            problems.append(_problem("timeline", i, "phase",
                                     f"phase {phase} disagrees with phases.csv: {when.date()} is in phase {expected}"))
    return problems


def check_documented_and_used(repo: Path) -> list[DatasetProblem]:
    problems = []
    readme = (repo / "data" / "README.md").read_text(encoding="utf-8") if (repo / "data" / "README.md").is_file() else ""
    notebooks = [p for folder in ("chapters", "exercises") for p in (repo / folder).rglob("*.ipynb")
                 if ".ipynb_checkpoints" not in p.parts and "autograder" not in p.parts]
    notebook_text = "\n".join(p.read_text(encoding="utf-8") for p in notebooks)
    for path in sorted((repo / "data").glob("*.csv")):
        name = path.stem
        label = f"data/{path.name}"
        if name not in dataset_names():
            problems.append(DatasetProblem(label, None, None, None, "has no schema in data/schemas/"))
        if f"`{path.name}`" not in readme:
            problems.append(DatasetProblem(label, None, None, None, "is not documented in data/README.md"))
        used = re.search(rf"""(load|data_path)\(\\?["']{re.escape(name)}\\?["']""", notebook_text)
        if not used:
            problems.append(DatasetProblem(label, None, None, None, "is not used by any notebook in chapters/ or exercises/"))
    return problems


def run_checks(repo: Path) -> list[DatasetProblem]:
    """Run every check on the checkout at ``repo``; return the problems (empty list: all good)."""
    problems: list[DatasetProblem] = []
    names = dataset_names()
    for name in names:
        problems += validate(name)
    if problems:  # the cross-table checks need valid tables
        return problems
    tables = {name: load(name, validate_first=False) for name in names}
    keys = bibtex_keys(repo / "references.bib")
    for name, column in PRECISION_COLUMNS.items():
        problems += check_precision(name, tables[name], column)
    for (name, column), (first, last) in DATE_RANGES.items():
        problems += check_range(name, tables[name], column, first, last)
    for name in SOURCED_TABLES:
        problems += check_sources(name, tables[name])
    for name in BIBTEX_TABLES:
        problems += check_bibtex(name, tables[name], keys)
    problems += check_phases(tables["timeline"], tables["phases"])
    problems += check_documented_and_used(repo)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the module's datasets (schemas and cross-table checks).")
    parser.add_argument("--repo", type=Path, default=Path("."), help="checkout of the book (default: .)")
    args = parser.parse_args(argv)
    if args.repo.resolve() / "data" != data_dir().resolve():
        print(f"note: checking the package's data at {data_dir()}", file=sys.stderr)
    problems = run_checks(args.repo)
    for problem in problems:
        print(problem)
    if problems:
        print(f"data validation FAILED: {len(problems)} problem(s)")
        return 1
    print(f"data validation passed: {len(dataset_names())} datasets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
