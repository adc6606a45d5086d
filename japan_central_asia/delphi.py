"""A class Delphi round on the drivers of Japan's Central Asia policy.

The Delphi method (Dalkey and Helmer, 1963) asks a panel to answer the same questions in two or
more anonymous rounds; between rounds each panellist sees a summary of the group's answers and
may revise. Here the panel is a class and the questions are the seven drivers of
:data:`japan_central_asia.scenarios.DRIVERS`: each student rates each driver from 1 to 5 for the
next ten years (1 = its first, "low" pole; 5 = its second, "high" pole).

Students
    call :func:`save_ratings` in their notebook; it checks the ratings and writes one small
    JSON file (``<student_id>_round<N>.json``) that they hand in.
Instructors
    put the files of a round in one folder and run::

        python -m japan_central_asia.delphi aggregate FOLDER [--round N]
                                           [--compare FOLDER2 [--compare-round M]] [--chart out.png]

    which prints the per-driver summary (:func:`aggregate`), the convergence between two rounds
    (:func:`compare`) and every file that was not counted, by name, with the reason.

Definitions used throughout (and stated in the chapter):

* **median** and **quartiles** Q1 and Q3 of the ratings, by linear interpolation between the
  ordered ratings (pandas' and numpy's default); **IQR** = Q3 − Q1;
* **consensus** on a driver when IQR ≤ 1 on the 1–5 scale (:data:`CONSENSUS_IQR`), a rule widely
  used in Delphi studies with short rating scales;
* **convergence** between rounds: the change of IQR per driver (negative = the panel moved
  closer together).

Files are never counted silently: a file that is not valid JSON, lacks a field, rates an unknown
driver, misses a driver, gives a rating outside 1–5, repeats a student already counted, or
belongs to another round is skipped and named in the ``problems`` list.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import pandas as pd

from .plotting import OKABE_ITO
from .scenarios import DRIVERS

__all__ = [
    "CONSENSUS_IQR",
    "FORMAT",
    "SCALE",
    "aggregate",
    "compare",
    "main",
    "plot_rounds",
    "save_ratings",
    "validate_ratings",
]

#: The rating scale: whole numbers from 1 (the driver's low pole) to 5 (its high pole).
SCALE = (1, 5)
#: Consensus on a driver when its interquartile range is at most this (on the 1–5 scale).
CONSENSUS_IQR = 1.0
#: The ``format`` field written into every ratings file.
FORMAT = "jca-delphi-ratings/1"

_STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


def _check_student_id(student_id) -> None:
    if not isinstance(student_id, str) or not _STUDENT_ID.match(student_id):
        raise ValueError(f"student_id {student_id!r} is not usable: use 1–40 letters, digits, '-' or "
                         "'_' (starting with a letter or digit), e.g. 'k-tanaka' or 'student07'")


def _check_round(round_) -> None:
    if isinstance(round_, bool) or not isinstance(round_, int) or round_ < 1:
        raise ValueError(f"round must be a whole number from 1 up, not {round_!r}")


def validate_ratings(ratings) -> dict[str, int]:
    """Check one student's ratings; return them in driver order or raise ``ValueError`` saying what is wrong.

    Every driver must be rated (use 3 for "no clear view"), with a whole number from 1 to 5.
    """
    low, high = SCALE
    if not isinstance(ratings, dict):
        raise ValueError(f"ratings must be a dict {{driver: rating}}, not {type(ratings).__name__}")
    unknown = [str(k) for k in ratings if k not in DRIVERS]
    if unknown:
        raise ValueError(f"unknown driver(s): {', '.join(unknown)}; the drivers are: {', '.join(DRIVERS)}")
    missing = [k for k in DRIVERS if k not in ratings]
    if missing:
        raise ValueError(f"no rating for: {', '.join(missing)} (rate every driver; use 3 if you have "
                         "no clear view)")
    for key in DRIVERS:
        value = ratings[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"the rating of {key} must be a whole number from {low} to {high}, not {value!r}")
        if not low <= value <= high:
            raise ValueError(f"the rating of {key} is {value}, outside the scale {low}–{high}")
    return {key: int(ratings[key]) for key in DRIVERS}


def save_ratings(path, student_id: str, ratings: dict[str, int], round: int = 1) -> Path:  # noqa: A002
    """Check ``ratings`` and write them as a small JSON file; return the file's path.

    ``path`` is a folder (the file is named ``<student_id>_round<round>.json`` inside it; the
    folder is created if needed) or a file name ending in ``.json``. An existing file of the same
    name is replaced, so a student can correct a rating before handing the file in. Bad input
    (unknown driver, missing driver, rating outside 1–5, unusable student id or round) raises
    ``ValueError`` and writes nothing.
    """
    _check_student_id(student_id)
    _check_round(round)
    clean = validate_ratings(ratings)
    path = Path(path)
    target = path if path.suffix == ".json" else path / f"{student_id}_round{round}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    record = {"format": FORMAT, "student_id": student_id, "round": round, "ratings": clean}
    target.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return target


def _read_one(path: Path) -> dict:
    """One file's record, or ``ValueError`` with the reason it cannot be counted."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError("not a UTF-8 text file") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(record, dict):
        raise ValueError("not a ratings record (expected a JSON object)")
    for key in ("student_id", "round", "ratings"):
        if key not in record:
            raise ValueError(f"the field '{key}' is missing")
    _check_student_id(record["student_id"])
    _check_round(record["round"])
    record["ratings"] = validate_ratings(record["ratings"])
    return record


def _quartiles(values: pd.Series) -> tuple[float, float, float]:
    return (float(values.quantile(0.25)), float(values.median()), float(values.quantile(0.75)))


def aggregate(folder, round: int | None = None) -> tuple[pd.DataFrame, list[str]]:  # noqa: A002
    """Summarise every ``*.json`` ratings file in ``folder``: per driver n, median, Q1, Q3, IQR, consensus.

    ``round`` keeps only that round's files (the others are listed in ``problems`` as skipped);
    ``None`` counts every valid file and warns in ``problems`` if they come from several rounds.
    Files that cannot be counted are skipped and named in ``problems`` with the reason; a second
    file for a student already counted (in file-name order) is skipped too. Returns
    ``(summary, problems)``; ``summary`` has one row per driver in :data:`DRIVERS` order with
    columns ``driver``, ``name``, ``n``, ``median``, ``q1``, ``q3``, ``iqr``, ``consensus``.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder")
    if round is not None:
        _check_round(round)
    problems: list[str] = []
    counted: list[dict] = []
    seen: dict[tuple[str, int], str] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            record = _read_one(path)
        except ValueError as reason:
            problems.append(f"{path.name}: {reason} — skipped")
            continue
        if round is not None and record["round"] != round:
            problems.append(f"{path.name}: round {record['round']}, not round {round} — skipped")
            continue
        key = (record["student_id"], record["round"])
        if key in seen:
            problems.append(f"{path.name}: student '{record['student_id']}' (round {record['round']}) "
                            f"is already counted from {seen[key]} — skipped")
            continue
        seen[key] = path.name
        counted.append(record)
    rounds = sorted({r["round"] for r in counted})
    if round is None and len(rounds) > 1:
        problems.append(f"the files come from rounds {', '.join(map(str, rounds))}; they are counted "
                        "together — pass round=N (or --round N) to summarise one round")
    if not counted:
        problems.append(f"no valid ratings file in {folder}")
    ratings = pd.DataFrame([r["ratings"] for r in counted], columns=list(DRIVERS), dtype="float")
    rows = []
    for key, driver in DRIVERS.items():
        values = ratings[key].dropna()
        if values.empty:
            q1 = median = q3 = float("nan")
        else:
            q1, median, q3 = _quartiles(values)
        iqr = q3 - q1
        rows.append({"driver": key, "name": driver.name, "n": int(values.size), "median": median,
                     "q1": q1, "q3": q3, "iqr": iqr,
                     "consensus": bool(values.size > 0 and iqr <= CONSENSUS_IQR)})
    return pd.DataFrame(rows), problems


def compare(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Convergence between two rounds' summaries (from :func:`aggregate`): medians, IQRs and their change.

    ``iqr_change`` = IQR of the second round − IQR of the first: negative means the panel
    converged on that driver. ``trend`` says ``converged``, ``diverged`` or ``unchanged``.
    """
    a = first.set_index("driver")
    b = second.set_index("driver")
    table = pd.DataFrame({
        "name": a["name"],
        "n_1": a["n"], "n_2": b["n"],
        "median_1": a["median"], "median_2": b["median"],
        "iqr_1": a["iqr"], "iqr_2": b["iqr"],
    })
    table["iqr_change"] = table["iqr_2"] - table["iqr_1"]
    table["trend"] = table["iqr_change"].map(
        lambda x: "n/a" if pd.isna(x) else "converged" if x < 0 else "diverged" if x > 0 else "unchanged")
    table["consensus_1"] = a["consensus"]
    table["consensus_2"] = b["consensus"]
    return table.reset_index()


def plot_rounds(first: pd.DataFrame, second: pd.DataFrame | None = None, ax=None,
                labels: tuple[str, str] = ("round 1", "round 2")):
    """Each driver's median (marker) and interquartile range (bar), one row per driver.

    With ``second``, both rounds are drawn one above the other (round 1: circles, round 2:
    diamonds, in two Okabe–Ito colours), so convergence shows as a shorter bar. Drivers with
    consensus (IQR ≤ 1) are marked "consensus" at the right. Returns the axes.
    """
    import matplotlib.pyplot as plt

    summaries = [(first, labels[0], OKABE_ITO["blue"], "o")]
    if second is not None:
        summaries.append((second, labels[1], OKABE_ITO["vermillion"], "D"))
    if ax is None:
        _fig, ax = plt.subplots(figsize=(9, 0.65 * len(first) + 1.5))
    n = len(first)
    offsets = [0.0] if second is None else [-0.17, 0.17]
    for (summary, label, colour, marker), offset in zip(summaries, offsets):
        y = [i + offset for i in range(n)]
        ax.hlines(y, summary["q1"], summary["q3"], color=colour, linewidth=5, alpha=0.55)
        ax.scatter(summary["median"], y, color=colour, marker=marker, s=60, edgecolor="black",
                   linewidth=0.6, zorder=3, label=f"{label}: median (marker) and Q1–Q3 (bar)")
    last = summaries[-1][0]
    for i, agreed in enumerate(last["consensus"]):
        if agreed:
            ax.text(5.55, i, "consensus", va="center", fontsize=9)
    ax.set_yticks(range(n), first["name"])
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0.8, 6.4)
    ax.set_xticks(range(1, 6))
    ax.set_xlabel("rating: 1 = low pole … 5 = high pole")
    ax.grid(axis="x", color="#cccccc", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=1, fontsize=9)
    return ax


def _format_summary(summary: pd.DataFrame) -> str:
    shown = summary.drop(columns=["name"]).copy()
    shown["consensus"] = shown["consensus"].map({True: "yes", False: "no"})
    return shown.to_string(index=False, float_format=lambda x: f"{x:.2f}")


def main(argv: list[str] | None = None) -> int:
    """The instructor's command (see the module docstring); returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m japan_central_asia.delphi",
        description="Summarise a class Delphi round: per-driver median, quartiles, IQR and consensus "
                    f"(IQR ≤ {CONSENSUS_IQR:g}); list every file that was not counted.")
    sub = parser.add_subparsers(dest="command", required=True)
    agg = sub.add_parser("aggregate", help="summarise the ratings files in FOLDER")
    agg.add_argument("folder", type=Path, help="folder with the students' *.json files")
    agg.add_argument("--round", type=int, default=None, help="count only this round's files")
    agg.add_argument("--compare", type=Path, default=None, metavar="FOLDER2",
                     help="a second round's folder (may be the same folder with --compare-round)")
    agg.add_argument("--compare-round", type=int, default=None, metavar="M",
                     help="count only this round's files in FOLDER2")
    agg.add_argument("--chart", type=Path, default=None, metavar="OUT.png", help="also draw a chart")
    args = parser.parse_args(argv)

    try:
        first, problems = aggregate(args.folder, args.round)
        second = problems2 = None
        if args.compare is not None:
            second, problems2 = aggregate(args.compare, args.compare_round)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    print(f"Delphi summary of {args.folder}" + (f", round {args.round}" if args.round else ""))
    print(_format_summary(first))
    _print_problems(args.folder, problems)
    if second is not None:
        print(f"\nDelphi summary of {args.compare}"
              + (f", round {args.compare_round}" if args.compare_round else ""))
        print(_format_summary(second))
        _print_problems(args.compare, problems2)
        print("\nConvergence (iqr_change < 0: the panel moved closer together)")
        table = compare(first, second)[["driver", "median_1", "median_2", "iqr_1", "iqr_2",
                                        "iqr_change", "trend"]]
        print(table.to_string(index=False, float_format=lambda x: f"{x:.2f}"))
    if args.chart is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        ax = plot_rounds(first, second)
        ax.figure.tight_layout()
        ax.figure.savefig(args.chart, dpi=100)
        plt.close(ax.figure)
        print(f"\nChart written to {args.chart}")
    return 0


def _print_problems(folder: Path, problems: list[str]) -> None:
    if problems:
        print(f"\nNot counted or worth checking in {folder} ({len(problems)}):")
        for line in problems:
            print(f"  - {line}")
    else:
        print(f"\nEvery file in {folder} was counted.")


if __name__ == "__main__":
    sys.exit(main())
