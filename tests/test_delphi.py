"""The class Delphi round, checked against answers computed by hand.

Quartiles are by linear interpolation between the ordered ratings (pandas' default): for n
ratings sorted as x[0] <= ... <= x[n-1], the p-quantile sits at position p * (n - 1).
With n = 4: Q1 at position 0.75, the median at 1.5, Q3 at 2.25.
"""

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from japan_central_asia import delphi
from japan_central_asia.scenarios import DRIVERS

KEYS = list(DRIVERS)  # energy_minerals, china_role, russia_role, us_alliance, sco, middle_corridor, ca_agency

ROUND_1 = {  # four valid students
    "s01": [5, 4, 2, 3, 1, 4, 4],
    "s02": [4, 5, 3, 3, 2, 2, 4],
    "s03": [4, 5, 1, 2, 1, 5, 3],
    "s04": [2, 4, 4, 4, 3, 3, 5],
}
ROUND_2 = {  # the same students after feedback
    "s01": [4, 4, 2, 3, 1, 4, 4],
    "s02": [4, 5, 3, 3, 2, 3, 4],
    "s03": [4, 5, 2, 3, 1, 4, 4],
    "s04": [3, 4, 3, 3, 2, 3, 5],
}


def write_round(folder, answers, round_):
    for student, values in answers.items():
        delphi.save_ratings(folder, student, dict(zip(KEYS, values)), round=round_)


@pytest.fixture
def round_1(tmp_path):
    folder = tmp_path / "round1"
    write_round(folder, ROUND_1, 1)
    # Four files that must be named in the problems and not counted:
    (folder / "broken.json").write_text('{"student_id": "s05", "round": 1, "ratings": {', encoding="utf-8")
    bad_range = dict(zip(KEYS, [3] * 7)) | {"sco": 7}
    (folder / "s06_round1.json").write_text(json.dumps(
        {"student_id": "s06", "round": 1, "ratings": bad_range}), encoding="utf-8")
    unknown = dict(zip(KEYS, [3] * 7)) | {"weather": 2}
    (folder / "s07_round1.json").write_text(json.dumps(
        {"student_id": "s07", "round": 1, "ratings": unknown}), encoding="utf-8")
    # s02 again (all 1s): sorts after s02_round1.json, so it is the one skipped.
    (folder / "s02_second_try.json").write_text(json.dumps(
        {"student_id": "s02", "round": 1, "ratings": dict(zip(KEYS, [1] * 7))}), encoding="utf-8")
    return folder


def row(summary, key):
    return summary.set_index("driver").loc[key]


def test_save_ratings_writes_a_small_json_file(tmp_path):
    path = delphi.save_ratings(tmp_path, "k-tanaka", dict(zip(KEYS, [3, 4, 2, 3, 1, 4, 5])), round=2)
    assert path.name == "k-tanaka_round2.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record == {"format": delphi.FORMAT, "student_id": "k-tanaka", "round": 2,
                      "ratings": dict(zip(KEYS, [3, 4, 2, 3, 1, 4, 5]))}
    named = delphi.save_ratings(tmp_path / "mine.json", "k-tanaka", dict(zip(KEYS, [3] * 7)))
    assert named.name == "mine.json"


@pytest.mark.parametrize(
    "student, ratings, round_, message",
    [("s1", dict(zip(KEYS, [3] * 7)) | {"sco": 6}, 1, "outside the scale 1–5"),
     ("s1", dict(zip(KEYS, [3] * 7)) | {"sco": 0}, 1, "outside the scale 1–5"),
     ("s1", dict(zip(KEYS, [3] * 7)) | {"sco": 2.5}, 1, "whole number"),
     ("s1", dict(zip(KEYS, [3] * 7)) | {"sco": True}, 1, "whole number"),
     ("s1", dict(zip(KEYS, [3] * 7)) | {"climate": 3}, 1, "unknown driver.*climate"),
     ("s1", {"sco": 3}, 1, "no rating for: energy_minerals"),
     ("s 1/..", dict(zip(KEYS, [3] * 7)), 1, "student_id"),
     ("s1", dict(zip(KEYS, [3] * 7)), 0, "round must be"),
     ("s1", [3] * 7, 1, "must be a dict")],
)
def test_save_ratings_refuses_bad_input_and_writes_nothing(tmp_path, student, ratings, round_, message):
    with pytest.raises(ValueError, match=message):
        delphi.save_ratings(tmp_path, student, ratings, round=round_)
    assert list(tmp_path.iterdir()) == []


def test_aggregate_known_answers(round_1):
    summary, problems = delphi.aggregate(round_1)
    assert list(summary["driver"]) == KEYS
    assert (summary["n"] == 4).all()          # s01–s04 only
    # energy_minerals: 5, 4, 4, 2 -> sorted 2, 4, 4, 5. Median (4 + 4) / 2 = 4;
    # Q1 = 2 + 0.75 * (4 - 2) = 3.5; Q3 = 4 + 0.25 * (5 - 4) = 4.25; IQR 0.75 -> consensus.
    energy = row(summary, "energy_minerals")
    assert (energy["median"], energy["q1"], energy["q3"], energy["iqr"]) == (4.0, 3.5, 4.25, 0.75)
    assert bool(energy["consensus"]) is True
    # china_role: 4, 5, 5, 4 -> 4, 4, 5, 5. Median 4.5; Q1 = 4; Q3 = 5; IQR 1 -> consensus (<= 1).
    china = row(summary, "china_role")
    assert (china["median"], china["q1"], china["q3"], china["iqr"]) == (4.5, 4.0, 5.0, 1.0)
    assert bool(china["consensus"]) is True
    # russia_role: 2, 3, 1, 4 -> 1, 2, 3, 4. Median 2.5; Q1 = 1.75; Q3 = 3.25; IQR 1.5 -> no consensus.
    russia = row(summary, "russia_role")
    assert (russia["median"], russia["q1"], russia["q3"], russia["iqr"]) == (2.5, 1.75, 3.25, 1.5)
    assert bool(russia["consensus"]) is False
    # middle_corridor: 4, 2, 5, 3 -> 2, 3, 4, 5. Median 3.5; Q1 2.75; Q3 4.25; IQR 1.5 -> no consensus.
    corridor = row(summary, "middle_corridor")
    assert (corridor["median"], corridor["iqr"], bool(corridor["consensus"])) == (3.5, 1.5, False)
    # sco: 1, 2, 1, 3 -> 1, 1, 2, 3. Median 1.5; Q1 1; Q3 2.25; IQR 1.25. (The duplicate s02 file,
    # all 1s, would have pulled this down had it been counted.)
    assert (row(summary, "sco")["median"], row(summary, "sco")["iqr"]) == (1.5, 1.25)
    assert len(problems) == 4


def test_every_bad_file_is_named_with_its_reason(round_1):
    _summary, problems = delphi.aggregate(round_1)
    text = "\n".join(problems)
    assert "broken.json: not valid JSON" in text
    assert "s06_round1.json: the rating of sco is 7, outside the scale 1–5 — skipped" in text
    assert "s07_round1.json: unknown driver(s): weather" in text
    assert "s02_second_try.json: student 's02' (round 1) is already counted from s02_round1.json" in text
    assert all(line.endswith("skipped") for line in problems)


def test_rounds_are_kept_apart(tmp_path):
    folder = tmp_path / "both"
    write_round(folder, ROUND_1, 1)
    write_round(folder, ROUND_2, 2)
    summary, problems = delphi.aggregate(folder, round=2)
    assert (summary["n"] == 4).all()
    assert sum("not round 2 — skipped" in p for p in problems) == 4
    mixed, warnings = delphi.aggregate(folder)
    assert (mixed["n"] == 8).all()
    assert any("rounds 1, 2" in w for w in warnings)


def test_convergence_between_rounds(tmp_path):
    write_round(tmp_path / "r1", ROUND_1, 1)
    write_round(tmp_path / "r2", ROUND_2, 2)
    first, _ = delphi.aggregate(tmp_path / "r1")
    second, problems = delphi.aggregate(tmp_path / "r2")
    assert problems == []
    table = delphi.compare(first, second).set_index("driver")
    # russia_role round 2: 2, 3, 2, 3 -> 2, 2, 3, 3. Q1 = 2; Q3 = 3; IQR 1 (was 1.5): change -0.5.
    assert table.loc["russia_role", "iqr_2"] == 1.0
    assert table.loc["russia_role", "iqr_change"] == -0.5
    assert table.loc["russia_role", "trend"] == "converged"
    assert bool(table.loc["russia_role", "consensus_2"]) and not bool(table.loc["russia_role", "consensus_1"])
    # china_role did not change (4, 5, 5, 4 both times): IQR 1 -> 1.
    assert table.loc["china_role", "iqr_change"] == 0.0 and table.loc["china_role", "trend"] == "unchanged"
    # energy_minerals round 2: 4, 4, 4, 3 -> 3, 4, 4, 4. Q1 = 3 + 0.75 = 3.75; Q3 = 4; IQR 0.25 (was 0.75).
    assert table.loc["energy_minerals", "iqr_2"] == 0.25
    assert table.loc["energy_minerals", "iqr_change"] == -0.5


def test_empty_or_missing_folder(tmp_path):
    summary, problems = delphi.aggregate(tmp_path)
    assert (summary["n"] == 0).all() and not summary["consensus"].any()
    assert problems == [f"no valid ratings file in {tmp_path}"]
    with pytest.raises(ValueError, match="is not a folder"):
        delphi.aggregate(tmp_path / "nowhere")


def test_chart_draws_both_rounds(tmp_path):
    write_round(tmp_path / "r1", ROUND_1, 1)
    write_round(tmp_path / "r2", ROUND_2, 2)
    ax = delphi.plot_rounds(delphi.aggregate(tmp_path / "r1")[0], delphi.aggregate(tmp_path / "r2")[0])
    assert len(ax.get_yticklabels()) == len(KEYS)
    assert len(ax.collections) == 4   # two bars and two marker sets
    plt.close("all")


def test_instructor_command(round_1, tmp_path, capsys):
    write_round(tmp_path / "r2", ROUND_2, 2)
    chart = tmp_path / "out.png"
    status = delphi.main(["aggregate", str(round_1), "--round", "1", "--compare", str(tmp_path / "r2"),
                          "--chart", str(chart)])
    out = capsys.readouterr().out
    assert status == 0
    assert "energy_minerals" in out and "4.25" in out
    assert "broken.json: not valid JSON" in out and "s02_second_try.json" in out
    assert "Convergence" in out and "converged" in out
    assert chart.exists() and chart.stat().st_size > 0


def test_instructor_command_on_a_missing_folder(tmp_path, capsys):
    assert delphi.main(["aggregate", str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_command_runs_as_a_module(round_1):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "japan_central_asia.delphi", "aggregate", str(round_1)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "consensus" in done.stdout and "broken.json" in done.stdout
