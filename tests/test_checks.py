"""The cross-table checks pass on the shipped data and catch each kind of problem they claim to."""

import pandas as pd

import japan_central_asia as jca
from japan_central_asia import checks


def test_shipped_data_passes_every_check(repo):
    problems = checks.run_checks(repo)
    assert problems == [], "\n".join(map(str, problems))


def _events(**columns):
    base = {"date": [pd.Timestamp("1997-07-24")], "date_precision": ["day"], "phase": [3],
            "source_url": ["https://example.org/a"], "bibtex_key": [pd.NA]}
    base.update(columns)
    return pd.DataFrame(base)


def test_precision_mismatch_is_caught():
    table = _events(date=[pd.Timestamp("1997-07-24")], date_precision=["month"])
    [problem] = checks.check_precision("timeline", table, "date")
    assert (problem.row, problem.line, problem.column) == (1, 2, "date")
    assert "not day 01" in problem.message
    table = _events(date=[pd.Timestamp("1997-07-01")], date_precision=["year"])
    assert "not 1 January" in checks.check_precision("timeline", table, "date")[0].message
    assert checks.check_precision("timeline", _events(date=[pd.Timestamp("1997-07-01")], date_precision=["month"]), "date") == []


def test_wrong_phase_is_caught():
    phase_table = jca.phases()
    [problem] = checks.check_phases(_events(phase=[2]), phase_table)
    assert problem.column == "phase" and "in phase 3" in problem.message
    assert checks.check_phases(_events(phase=[3]), phase_table) == []
    [early] = checks.check_phases(_events(date=[pd.Timestamp("1990-01-01")]), phase_table)
    assert "outside the periodisation" in early.message


def test_missing_source_and_unknown_bibtex_key_are_caught():
    table = _events(source_url=[pd.NA], bibtex_key=[pd.NA])
    [problem] = checks.check_sources("timeline", table)
    assert problem.column == "source_url"
    table = _events(bibtex_key=["sadykova2013;nosuchkey1999"])
    [problem] = checks.check_bibtex("timeline", table, {"sadykova2013"})
    assert "nosuchkey1999" in problem.message


def test_out_of_range_date_is_caught():
    table = _events(date=[pd.Timestamp("2031-01-01")])
    [problem] = checks.check_range("timeline", table, "date", "1991-08-01", "2025-12-31")
    assert "outside" in problem.message


def test_undocumented_or_unused_file_is_caught(repo, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "chapters").mkdir()
    (tmp_path / "exercises").mkdir()
    (tmp_path / "data" / "README.md").write_text("## `phases.csv`\n", encoding="utf-8")
    (tmp_path / "data" / "phases.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "data" / "timeline.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "chapters" / "a.ipynb").write_text('{"source": "jca.load(\\"phases\\")"}', encoding="utf-8")
    problems = [str(p) for p in checks.check_documented_and_used(tmp_path)]
    assert problems == [
        "data/timeline.csv: is not documented in data/README.md",
        "data/timeline.csv: is not used by any notebook in chapters/ or exercises/",
    ]


def test_bibtex_keys_are_read(repo):
    keys = checks.bibtex_keys(repo / "references.bib")
    assert "sadykova2013" in keys


def test_command_line_reports_and_exits(repo, capsys):
    assert checks.main(["--repo", str(repo)]) == 0
    assert "data validation passed" in capsys.readouterr().out
