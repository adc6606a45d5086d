"""Load the module's datasets, validated against their declared schemas.

Every table in ``data/`` has a Frictionless Table Schema in ``data/schemas/<name>.schema.json``.
:func:`load` validates the CSV against that schema before returning a :class:`pandas.DataFrame`,
so a malformed file stops with a :class:`DatasetError` that names the file, the row and the column
instead of producing a silently wrong table.

Paths are resolved from this package, never from the working directory: a notebook loads the
same data whether it runs in the repository, on Binder, on a JupyterHub or alone in Colab.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = [
    "DatasetError",
    "DatasetProblem",
    "data_dir",
    "data_path",
    "dataset_names",
    "load",
    "schema",
    "validate",
]

#: Separator used inside list-valued cells (``Kazakhstan;Uzbekistan``).
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class DatasetProblem:
    """One problem found in a data file.

    ``row`` is the data row (1 = first row after the header) and ``line`` the line of the file
    (the header is line 1), so that both a pandas user and a text-editor user can find it.
    """

    file: str
    row: int | None
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row} (line {self.line})")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class DatasetError(ValueError):
    """Raised when a data file does not match its schema. ``problems`` lists every problem."""

    def __init__(self, name: str, problems: list[DatasetProblem]):
        self.name = name
        self.problems = problems
        shown = "\n  ".join(str(p) for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(
            f"dataset '{name}' is malformed ({len(problems)} problem(s)):\n  {shown}{more}"
        )


def data_dir() -> Path:
    """Return the folder that holds the CSV files.

    An installed package carries them as ``japan_central_asia/data``; in a checkout of the book
    (editable install, Binder, JupyterHub) they are the top-level ``data/`` beside the package.
    """
    package = Path(__file__).resolve().parent
    for candidate in (package / "data", package.parent / "data"):
        if (candidate / "schemas").is_dir():
            return candidate
    raise FileNotFoundError(f"no data folder found beside {package}: is the package installed whole?")


def dataset_names() -> list[str]:
    """Names of all datasets that have a schema, sorted."""
    schema_dir = data_dir() / "schemas"
    return sorted(p.name.removesuffix(".schema.json") for p in schema_dir.glob("*.schema.json"))


def _check_name(name: str) -> None:
    names = dataset_names()
    if name not in names:
        raise KeyError(f"unknown dataset '{name}'; the datasets are: {', '.join(names)}")


def data_path(name: str) -> Path:
    """Path of the CSV file of dataset ``name`` — for a plain ``pd.read_csv``."""
    _check_name(name)
    return data_dir() / f"{name}.csv"


def schema(name: str) -> dict:
    """The Table Schema of dataset ``name`` as a dictionary."""
    _check_name(name)
    path = data_dir() / "schemas" / f"{name}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def validate(name: str, path: str | Path | None = None) -> list[DatasetProblem]:
    """Validate a CSV file against the schema of dataset ``name``; return the problems found.

    ``path`` defaults to the shipped file; pass another path to check a copy (an edited or
    corrupted file) against the same schema.
    """
    from frictionless import Resource, Schema  # imported here: only validation needs it

    descriptor = schema(name)
    csv_path = Path(path) if path is not None else data_path(name)
    label = f"data/{csv_path.name}" if path is None else str(csv_path)
    if not csv_path.is_file():
        return [DatasetProblem(label, None, None, None, "file not found")]
    # Frictionless refuses absolute paths unless they sit under basepath.
    resource = Resource(
        path=csv_path.name,
        basepath=str(csv_path.parent.resolve()),
        schema=Schema.from_descriptor(descriptor),
        encoding="utf-8",
    )
    report = resource.validate(limit_errors=1000)
    problems = []
    for task in report.tasks:
        for error in task.errors:
            line = getattr(error, "row_number", None)
            column = getattr(error, "field_name", None) or getattr(error, "label", None)
            problems.append(
                DatasetProblem(
                    file=label,
                    row=line - 1 if line is not None else None,
                    line=line,
                    column=column,
                    message=_plain_message(error),
                )
            )
    for error in report.errors:  # errors outside any task (e.g. unreadable file)
        problems.append(DatasetProblem(label, None, None, None, error.message))
    return problems


def _plain_message(error) -> str:
    """A shorter message than Frictionless's, keeping the essentials."""
    cell = getattr(error, "cell", None)
    note = getattr(error, "note", "") or ""
    kind = type(error).__name__
    if kind == "TypeError":
        expected = {"date": "a date (YYYY-MM-DD)", "integer": "a whole number", "number": "a number"}
        field_type = note.split('"')[1].split("/")[0] if '"' in note else "value"
        return f"value {cell!r} is not {expected.get(field_type, 'a valid ' + field_type)}"
    if kind == "ConstraintError":
        return f"value {cell!r} breaks a constraint: {note}"
    if kind in {"UniqueError", "PrimaryKeyError"}:
        return f"duplicate value {cell!r}: {note}" if cell else f"duplicate key: {note}"
    return error.message


def load(name: str, *, validate_first: bool = True) -> pd.DataFrame:
    """Load dataset ``name`` as a DataFrame, validated against its schema.

    Date columns (schema type ``date``) become ``datetime64``; integer columns with empty
    cells become pandas' nullable ``Int64``; text stays text (list-valued cells such as
    ``countries`` keep their ``;`` separator — see :func:`split_list`).

    Raises :class:`DatasetError` naming file, row and column if the file is malformed.
    """
    if validate_first:
        problems = validate(name)
        if problems:
            raise DatasetError(name, problems)
    fields = schema(name)["fields"]
    dtypes: dict[str, str] = {}
    date_columns = []
    for field in fields:
        kind = field.get("type", "string")
        if kind == "date":
            date_columns.append(field["name"])
        elif kind == "integer":
            dtypes[field["name"]] = "Int64"
        elif kind == "number":
            dtypes[field["name"]] = "float64"
        else:
            dtypes[field["name"]] = "string"
    table = pd.read_csv(data_path(name), dtype=dtypes, keep_default_na=False, na_values=[""])
    for column in date_columns:
        table[column] = pd.to_datetime(table[column], format="%Y-%m-%d")
    return table


def split_list(values: pd.Series) -> pd.Series:
    """Split a ``;``-separated text column into Python lists (empty cell → empty list)."""
    return values.fillna("").map(lambda cell: [v for v in str(cell).split(LIST_SEPARATOR) if v])


def explode_list(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per value of a ``;``-separated column (e.g. one row per event and theme)."""
    out = table.assign(**{column: split_list(table[column])}).explode(column)
    return out.dropna(subset=[column]).reset_index(drop=True)
