"""Stance explorer: the expert debates, read from the module's coded claims (``expert_claims``).

Each row of ``expert_claims`` is one claim by one expert (a short quotation or a close
paraphrase) that the module has coded on three debate questions:

* ``has_strategy`` — does Japan have a strategy in Central Asia? (yes / no / emerging)
* ``resources_or_values`` — is the policy driven by resources or by values? (resources / values / both)
* ``bilateral_or_multilateral`` — does it work bilaterally or through the multilateral
  "Central Asia plus Japan" Dialogue? (bilateral / multilateral / both)

``not_addressed`` means the claim says nothing on that question. The allowed codes are read from
the dataset's schema, so the explorer, the tests and the coding activity (:mod:`.agreement`)
always use the same vocabulary.

:func:`select_claims` and :func:`position_summary` are the pure queries (tested without a
kernel); :class:`StanceExplorer` wraps them in two dropdowns and a checkbox;
:func:`plot_positions` draws the whole coding as a grid (the static picture of what the
explorer explores). In the static book the explorer shows its default state; moving it needs a
live kernel (Binder, Colab, a JupyterHub).
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
from matplotlib.patches import Rectangle

from .datasets import schema
from .plotting import OKABE_ITO
from .widgets import ALL, MessageBox

__all__ = [
    "ALL",
    "CODE_STYLE",
    "NOT_ADDRESSED",
    "QUESTIONS",
    "StanceExplorer",
    "check_question",
    "experts",
    "known_through",
    "plot_positions",
    "position_summary",
    "question_codes",
    "select_claims",
]

#: The three debate questions: column of ``expert_claims`` → the question as students read it.
QUESTIONS = {
    "has_strategy": "Does Japan have a strategy in Central Asia?",
    "resources_or_values": "Resource diplomacy or values (soft power)?",
    "bilateral_or_multilateral": "Bilateral or multilateral: what is the Dialogue for?",
}

#: Short column titles for tables and charts.
SHORT = {"has_strategy": "strategy?", "resources_or_values": "resources or values?",
         "bilateral_or_multilateral": "bilateral or multilateral?"}

#: The code meaning "this claim says nothing on the question".
NOT_ADDRESSED = "not_addressed"

#: Fill colour and text colour of each code in :func:`plot_positions` (every cell is also labelled).
CODE_STYLE = {
    "yes": (OKABE_ITO["bluish green"], "black"),
    "emerging": (OKABE_ITO["sky blue"], "black"),
    "no": (OKABE_ITO["vermillion"], "black"),
    "resources": (OKABE_ITO["orange"], "black"),
    "values": (OKABE_ITO["reddish purple"], "black"),
    "both": (OKABE_ITO["yellow"], "black"),
    "multilateral": (OKABE_ITO["blue"], "white"),
    "bilateral": (OKABE_ITO["grey"], "black"),
    NOT_ADDRESSED: ("#FFFFFF", "#555555"),
}


def check_question(question: str) -> None:
    """Raise ``ValueError`` unless ``question`` is one of the three coded columns."""
    if question not in QUESTIONS:
        raise ValueError(f"'{question}' is not a debate question of this module; "
                         f"choose one of: {', '.join(QUESTIONS)}")


def question_codes(question: str) -> list[str]:
    """The codes allowed for ``question``, in the order of the dataset's schema."""
    check_question(question)
    field = next(f for f in schema("expert_claims")["fields"] if f["name"] == question)
    return list(field["constraints"]["enum"])


def experts(claims: pd.DataFrame) -> list[str]:
    """The experts (short names) in the order they first appear in the table."""
    return list(dict.fromkeys(claims["expert"]))


def known_through(claims: pd.DataFrame) -> pd.Series:
    """Where the module read each claim: its own source, or only "via Sadykova (2013)".

    The seed article is the only source the module could read for some claims; those are the
    rows whose ``bibtex_key`` is ``sadykova2013`` but whose expert is not Sadykova herself.
    """
    via_seed = (claims["bibtex_key"] == "sadykova2013") & (claims["expert"] != "Sadykova")
    own = claims["bibtex_key"] + " (" + claims["year"].astype(str) + ")"
    return own.where(~via_seed, "via Sadykova (2013)")


def select_claims(
    claims: pd.DataFrame,
    *,
    question: str | None = None,
    expert: str | None = None,
    hide_not_addressed: bool = False,
) -> pd.DataFrame:
    """The claims of ``expert`` (``None``/:data:`ALL`: everyone), with their coding on ``question``.

    With a question, the result has one ``code`` column for it; with none (``None``/:data:`ALL`)
    it keeps all three coded columns. ``hide_not_addressed`` drops the claims coded
    ``not_addressed`` on the chosen question (it needs a question). Columns: ``claim_id``,
    ``expert``, ``year``, ``claim``, ``known through``, the code column(s) and
    ``coding_justification``. An unknown question or expert raises ``ValueError``.
    """
    if question not in (None, ALL):
        check_question(question)
    if expert not in (None, ALL) and expert not in experts(claims):
        raise ValueError(f"'{expert}' is not an expert in the claims table; choose one of: "
                         f"{', '.join(experts(claims))}")
    if hide_not_addressed and question in (None, ALL):
        raise ValueError("hiding 'not addressed' claims needs a debate question: choose one first")
    table = claims.copy()
    table["known through"] = known_through(table)
    if expert not in (None, ALL):
        table = table[table["expert"] == expert]
    base = ["claim_id", "expert", "year", "claim", "known through"]
    if question in (None, ALL):
        return table[base + list(QUESTIONS) + ["coding_justification"]].reset_index(drop=True)
    if hide_not_addressed:
        table = table[table[question] != NOT_ADDRESSED]
    table = table.rename(columns={question: "code"})
    return table[base + ["code", "coding_justification"]].reset_index(drop=True)


def position_summary(claims: pd.DataFrame, question: str | None = None,
                     expert: str | None = None) -> pd.DataFrame:
    """How many claims take each position: one row per (question, code), zeros included.

    ``question`` ``None``/:data:`ALL` summarises all three questions. Columns: ``question``,
    ``code``, ``claims`` and ``share`` (of the selected claims, rounded to 2 decimals).
    """
    chosen = select_claims(claims, expert=expert)
    questions = list(QUESTIONS) if question in (None, ALL) else [question]
    for q in questions:
        check_question(q)
    rows = []
    for q in questions:
        counts = chosen[q].value_counts()
        for code in question_codes(q):
            n = int(counts.get(code, 0))
            rows.append({"question": q, "code": code, "claims": n,
                         "share": round(n / len(chosen), 2) if len(chosen) else 0.0})
    return pd.DataFrame(rows)


def plot_positions(claims: pd.DataFrame, ax=None):
    """A grid of the module's coding: one row per claim (grouped by expert), one column per question.

    Every cell carries its code as text, so the chart does not rely on colour; claims known only
    through the seed article are marked with an asterisk. Returns the axes.
    """
    table = claims.reset_index(drop=True)
    n = len(table)
    if ax is None:
        _fig, ax = plt.subplots(figsize=(9, 0.36 * n + 1.6))
    seed_only = known_through(table) == "via Sadykova (2013)"
    for row, claim in table.iterrows():
        for col, question in enumerate(QUESTIONS):
            code = claim[question]
            fill, ink = CODE_STYLE.get(code, ("#FFFFFF", "black"))
            ax.add_patch(Rectangle((col, row), 1, 1, facecolor=fill, edgecolor="white", linewidth=1.5))
            label = "–" if code == NOT_ADDRESSED else code
            ax.text(col + 0.5, row + 0.5, label, ha="center", va="center", fontsize=9, color=ink)
    # Lines between experts.
    changes = [i for i in range(1, n) if table.loc[i, "expert"] != table.loc[i - 1, "expert"]]
    for i in changes:
        ax.axhline(i, color="black", linewidth=1.2)
    ax.set_xlim(0, len(QUESTIONS))
    ax.set_ylim(n, 0)
    ax.set_xticks([i + 0.5 for i in range(len(QUESTIONS))])
    ax.set_xticklabels([SHORT[q] for q in QUESTIONS])
    ax.xaxis.tick_top()
    ax.set_yticks([i + 0.5 for i in range(n)])
    ax.set_yticklabels([f"{e} · {c}{' *' if s else ''}" for e, c, s
                        in zip(table["expert"], table["claim_id"], seed_only)], fontsize=9)
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel("– = not addressed;  * = known only as reported by Sadykova (2013)", fontsize=9)
    return ax


class StanceExplorer:
    """Choose a debate question and/or an expert; see each claim, its coding and a count of positions.

    >>> explorer = StanceExplorer(load("expert_claims"))          # doctest: +SKIP
    >>> explorer.set(question="has_strategy", expert="Uyama")     # doctest: +SKIP
    >>> explorer.result, explorer.summary                          # the tables shown
    """

    def __init__(self, claims: pd.DataFrame, *, question: str = "has_strategy") -> None:
        self.claims = claims.reset_index(drop=True)
        self.question = widgets.Dropdown(
            options=[(ALL, ALL), *[(text, key) for key, text in QUESTIONS.items()]],
            value=question, description="Question", layout=widgets.Layout(width="60%"),
        )
        self.expert = widgets.Dropdown(options=[ALL, *experts(self.claims)], value=ALL,
                                       description="Expert")
        self.hide = widgets.Checkbox(value=False, description="hide claims that do not address it",
                                     indent=False)
        self.message = MessageBox()
        # HTML widgets, not Output: plain widget state renders in the static book and re-runs identically.
        self.summary_table = widgets.HTML()
        self.table = widgets.HTML()
        self.result = pd.DataFrame()
        self.summary = pd.DataFrame()
        for control in (self.question, self.expert, self.hide):
            control.observe(lambda _change: self.update(), names="value")
        self.widget = widgets.VBox([self.question, widgets.HBox([self.expert, self.hide]),
                                    self.message.widget, self.summary_table, self.table])
        self.update()

    def _query(self, question, expert, hide):
        result = select_claims(self.claims, question=question, expert=expert, hide_not_addressed=hide)
        summary = position_summary(self.claims, question, expert)
        return result, summary

    def set(self, *, question: str | None = None, expert: str | None = None,
            hide_not_addressed: bool | None = None) -> None:
        """Set the controls from code; an impossible choice is explained and nothing is lost."""
        wanted = (self.question.value if question is None else question,
                  self.expert.value if expert is None else expert,
                  self.hide.value if hide_not_addressed is None else hide_not_addressed)
        try:
            self._query(*wanted)
        except ValueError as problem:
            self.message.error(str(problem))
            return
        with self.question.hold_trait_notifications(), self.expert.hold_trait_notifications(), \
                self.hide.hold_trait_notifications():
            self.question.value, self.expert.value, self.hide.value = wanted
        self.update()

    def update(self) -> None:
        """Recompute :attr:`result` and :attr:`summary` from the controls and redraw the tables."""
        try:
            result, summary = self._query(self.question.value, self.expert.value, self.hide.value)
        except ValueError as problem:
            self.message.error(str(problem))
            return
        self.result, self.summary = result, summary
        who = "all experts" if self.expert.value == ALL else self.expert.value
        if self.question.value == ALL:
            self.message.info(f"{len(result)} claims by {who}, with the module's coding on all three questions.")
        else:
            addressed = summary[summary["code"] != NOT_ADDRESSED]
            counts = ", ".join(f"{c}: {n}" for c, n in zip(addressed["code"], addressed["claims"]))
            self.message.info(f"{who}: {len(result)} claims shown. Positions on this question: {counts}; "
                              f"not addressed: {int(summary.loc[summary['code'] == NOT_ADDRESSED, 'claims'].sum())}.")
        self.summary_table.value = self._summary_html(summary)
        shown = result.rename(columns={**SHORT, "coding_justification": "why the module codes it so"})
        self.table.value = shown.to_html(index=False, border=0, classes="stance-table")

    @staticmethod
    def _summary_html(summary: pd.DataFrame) -> str:
        rows = []
        for question, part in summary.groupby("question", sort=False):
            cells = [f"{code.replace('_', ' ')}: {n}" for code, n in zip(part["code"], part["claims"])]
            rows.append({"question": QUESTIONS[question], "claims per position": " · ".join(cells)})
        table = pd.DataFrame(rows).to_html(index=False, border=0, classes="stance-summary")
        return "<p><strong>Summary of positions</strong></p>" + table

    def _ipython_display_(self) -> None:
        display(self.widget)

