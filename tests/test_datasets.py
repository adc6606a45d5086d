"""Every dataset loads and validates; a corrupted copy fails with file, row and column named."""

import csv
import json

import pandas as pd
import pytest

import japan_central_asia as jca
from japan_central_asia.datasets import DatasetError

NAMES = jca.dataset_names()


def test_every_csv_has_a_schema_and_every_schema_a_csv(repo):
    csvs = sorted(p.stem for p in (repo / "data").glob("*.csv"))
    assert csvs == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_dataset_validates_and_loads(name):
    assert jca.validate(name) == []
    table = jca.load(name)
    assert len(table) > 0
    assert list(table.columns) == [f["name"] for f in jca.schema(name)["fields"]]


@pytest.mark.parametrize("name", NAMES)
def test_primary_key_is_unique(name):
    table = jca.load(name)
    key = jca.schema(name)["primaryKey"]
    assert not table.duplicated(subset=key).any()


def test_dates_become_datetimes_and_lists_split():
    events = jca.load("timeline")
    assert pd.api.types.is_datetime64_any_dtype(events["date"])
    countries = jca.split_list(events["countries"])
    assert all(isinstance(cell, list) for cell in countries)
    exploded = jca.explode_list(events, "themes")
    assert len(exploded) >= len(events)
    assert not exploded["themes"].str.contains(";").any()


def _first_constrained_field(name):
    """A field whose bad value the schema must catch: a typed or an enum/required field."""
    for field in jca.schema(name)["fields"]:
        constraints = field.get("constraints", {})
        if field.get("type") in {"date", "integer", "number"} and constraints.get("required"):
            return field["name"], "not-a-valid-value"
        if "enum" in constraints:
            return field["name"], "surely-not-in-the-vocabulary"
    for field in jca.schema(name)["fields"]:
        if field.get("constraints", {}).get("required"):
            return field["name"], ""  # a required cell left empty
    raise AssertionError(f"{name}: no constrained field to corrupt")


@pytest.mark.parametrize("name", NAMES)
def test_corrupted_copy_names_file_row_and_column(name, tmp_path):
    with open(jca.data_path(name), newline="", encoding="utf-8") as source:
        rows = list(csv.reader(source))
    header = rows[0]
    column, bad_value = _first_constrained_field(name)
    data_row = min(2, len(rows) - 1)  # second data row where there is one
    rows[data_row][header.index(column)] = bad_value
    corrupted = tmp_path / f"{name}.csv"
    with open(corrupted, "w", newline="", encoding="utf-8") as target:
        csv.writer(target).writerows(rows)

    problems = jca.validate(name, corrupted)
    assert problems, "the corrupted copy passed validation"
    first = problems[0]
    assert first.file == str(corrupted)
    assert first.row == data_row
    assert first.line == data_row + 1
    assert first.column == column
    message = str(first)
    assert f"row {data_row}" in message and f"'{column}'" in message and corrupted.name in message


def test_load_raises_dataset_error_with_location(monkeypatch, tmp_path):
    # Point the package at a copy of the data folder with one bad date.
    import shutil
    from japan_central_asia import datasets

    copy = tmp_path / "data"
    shutil.copytree(jca.data_dir(), copy)
    path = copy / "phases.csv"
    text = path.read_text(encoding="utf-8").replace("1994-01-01", "1994-13-01")
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(datasets, "data_dir", lambda: copy)
    with pytest.raises(DatasetError) as caught:
        jca.load("phases")
    message = str(caught.value)
    assert "data/phases.csv" in message and "row 2 (line 3)" in message and "'start'" in message


def test_missing_file_and_unknown_dataset_are_clear(tmp_path):
    problems = jca.validate("phases", tmp_path / "nowhere.csv")
    assert problems[0].message == "file not found"
    with pytest.raises(KeyError, match="unknown dataset 'nope'"):
        jca.load("nope")


def test_schemas_describe_every_field():
    for name in NAMES:
        descriptor = jca.schema(name)
        assert descriptor.get("title"), name
        for field in descriptor["fields"]:
            assert field.get("description"), f"{name}.{field['name']} has no description"
        json.dumps(descriptor)  # serialisable
