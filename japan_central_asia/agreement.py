"""How far do two coders agree? Cohen's kappa, and a student's coding compared with the module's.

Coding means sorting texts into a fixed set of categories ("codes"). Two careful readers do not
always code a claim the same way, so a study that codes texts reports how far independent
coders agree. The plain share of claims on which they agree (the *observed agreement*) flatters
them: two coders who guess would also agree now and then. Cohen's kappa (Cohen 1960) corrects
for that:

    kappa = (p_o - p_e) / (1 - p_e)

where ``p_o`` is the observed agreement and ``p_e`` the agreement expected by chance if each
coder kept their own mix of codes but assigned them independently: for each code, the share of
claims coder A gave it times the share coder B gave it, summed over the codes.

Kappa is 1 for perfect agreement, 0 for agreement no better than chance, negative for worse.

**Edge case, with a rule.** If both coders gave one and the same code to every claim, there is no
variation: ``p_o = p_e = 1`` and kappa is 0/0, undefined. :func:`cohens_kappa` then returns
``nan`` (not a number) instead of guessing; report the observed agreement instead.

Everything here is plain Python (fractions for exact arithmetic), so the numbers can be checked
by hand. :func:`compare_coding` and :func:`coding_report` serve the coding activity of the
chapter on the expert debates.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from fractions import Fraction

import pandas as pd

from .datasets import load
from .stance_explorer import NOT_ADDRESSED, QUESTIONS, check_question, question_codes

__all__ = [
    "agreement_details",
    "cohens_kappa",
    "coding_report",
    "compare_coding",
    "confusion_table",
    "kappa_label",
]


def _as_mapping(codes, which: str) -> dict:
    """Codes keyed by claim id. A plain sequence is keyed by position: '#1', '#2', ..."""
    if isinstance(codes, Mapping):
        return dict(codes)
    if isinstance(codes, pd.Series):
        return {str(k): v for k, v in codes.items()}
    if isinstance(codes, (str, bytes)) or not isinstance(codes, Iterable):
        raise ValueError(f"the {which} codes must be a dict claim_id → code (or a list of codes)")
    return {f"#{i}": code for i, code in enumerate(codes, start=1)}


def _blank(code) -> bool:
    return code is None or (isinstance(code, float) and math.isnan(code)) or str(code).strip() == ""


def _checked_pairs(codes_a, codes_b, categories, names=("first", "second")) -> tuple[list, list, list]:
    """The two codings as aligned lists (claim ids, a, b), after checking them; see :func:`cohens_kappa`."""
    a = _as_mapping(codes_a, names[0])
    b = _as_mapping(codes_b, names[1])
    if not a and not b:
        raise ValueError("there are no claims to compare: both codings are empty")
    for claim in a:
        if claim not in b:
            raise ValueError(f"claim '{claim}' is coded by the {names[0]} coder but missing from the {names[1]} coding")
    for claim in b:
        if claim not in a:
            raise ValueError(f"claim '{claim}' is coded by the {names[1]} coder but missing from the {names[0]} coding")
    allowed = None if categories is None else list(categories)
    for which, coding in zip(names, (a, b)):
        for claim, code in coding.items():
            if _blank(code):
                raise ValueError(f"claim '{claim}' has no code in the {which} coding")
            if allowed is not None and code not in allowed:
                raise ValueError(f"claim '{claim}': '{code}' is not an allowed code in the {which} coding; "
                                 f"use one of: {', '.join(map(str, allowed))}")
    ids = list(a)
    return ids, [a[i] for i in ids], [b[i] for i in ids]


def agreement_details(codes_a, codes_b, categories=None) -> dict:
    """Observed agreement, chance agreement and kappa, with the counts they come from.

    Returns a dict with ``n`` (claims), ``agreements``, ``observed`` (p_o), ``expected`` (p_e) and
    ``kappa`` (``nan`` when both coders used a single identical code throughout). The inputs are
    checked as in :func:`cohens_kappa`.
    """
    _ids, a, b = _checked_pairs(codes_a, codes_b, categories)
    n = len(a)
    agreements = sum(x == y for x, y in zip(a, b))
    observed = Fraction(agreements, n)
    count_a, count_b = Counter(a), Counter(b)
    expected = sum((Fraction(count_a[k], n) * Fraction(count_b[k], n) for k in set(a) | set(b)), Fraction(0))
    kappa = math.nan if expected == 1 else float((observed - expected) / (1 - expected))
    return {"n": n, "agreements": agreements, "observed": float(observed), "expected": float(expected),
            "kappa": kappa}


def cohens_kappa(codes_a, codes_b, categories=None) -> float:
    """Cohen's kappa for two coders who coded the same claims.

    ``codes_a`` and ``codes_b`` map claim ids to codes (a plain list of codes is keyed by
    position). ``categories``, if given, is the list of allowed codes. Raises ``ValueError``,
    naming the claim, when a claim is coded by one coder and missing from the other, when a code
    is empty, or when a code is not among ``categories``; and when there is nothing to compare.

    Perfect agreement gives 1.0. If both coders used one and the same code for every claim the
    statistic is undefined (0/0) and the function returns ``nan``: see the module docstring.
    """
    return agreement_details(codes_a, codes_b, categories)["kappa"]


def kappa_label(kappa: float) -> str:
    """Landis and Koch's (1977) verbal labels, a common (and arbitrary) convention."""
    if math.isnan(kappa):
        return "undefined (no variation)"
    if kappa < 0:
        return "worse than chance"
    for bound, label in ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial")):
        if kappa <= bound:
            return label
    return "almost perfect"


def confusion_table(codes_a, codes_b, categories=None, names=("module", "student")) -> pd.DataFrame:
    """Cross-table of the two codings: rows are coder A's codes, columns coder B's; the diagonal agrees."""
    _ids, a, b = _checked_pairs(codes_a, codes_b, categories, names)
    order = list(categories) if categories is not None else sorted(set(a) | set(b))
    table = pd.DataFrame(0, index=pd.Index(order, name=f"{names[0]} ↓ / {names[1]} →"), columns=order)
    for x, y in zip(a, b):
        table.loc[x, y] += 1
    return table


def compare_coding(student: dict, question: str, claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """A student's codes for some claims beside the module's, with the module's reasons.

    ``student`` maps claim ids of ``expert_claims`` to codes for ``question`` (one of
    :data:`~.stance_explorer.QUESTIONS`). Returns one row per coded claim, in the order of the
    table: ``claim_id``, ``expert``, ``claim``, ``module code``, ``student code``, ``agree?`` and
    ``module justification``. Raises ``ValueError`` naming the claim for an id that is not in the
    table or a code that is not allowed for the question.
    """
    check_question(question)
    claims = load("expert_claims") if claims is None else claims
    if not isinstance(student, Mapping) or not student:
        raise ValueError("code at least one claim: give a dict claim_id → code")
    known = set(claims["claim_id"])
    for claim in student:
        if claim not in known:
            raise ValueError(f"claim '{claim}' is not in expert_claims; check the id (e.g. 'uyama-01')")
    chosen = claims[claims["claim_id"].isin(list(student))]
    module = dict(zip(chosen["claim_id"], chosen[question]))
    _checked_pairs(module, student, question_codes(question), ("module", "student"))
    table = pd.DataFrame({
        "claim_id": chosen["claim_id"],
        "expert": chosen["expert"],
        "claim": chosen["claim"],
        "module code": chosen[question],
        "student code": chosen["claim_id"].map(student),
    })
    table["agree?"] = (table["module code"] == table["student code"]).map({True: "yes", False: "NO"})
    table["module justification"] = chosen["coding_justification"]
    return table.reset_index(drop=True)


def coding_report(student: dict, question: str, claims: pd.DataFrame | None = None) -> str:
    """One paragraph: how many claims agree, chance agreement, kappa and its conventional label."""
    table = compare_coding(student, question, claims)
    details = agreement_details(dict(zip(table["claim_id"], table["module code"])),
                                dict(zip(table["claim_id"], table["student code"])))
    differ = table.loc[table["agree?"] == "NO", "claim_id"].tolist()
    kappa = details["kappa"]
    kappa_text = "undefined (both codings use one code only)" if math.isnan(kappa) else f"{kappa:.2f}"
    text = (f"{QUESTIONS[question]} You agree with the module on {details['agreements']} of {details['n']} "
            f"claims (observed agreement {details['observed']:.2f}; agreement expected by chance "
            f"{details['expected']:.2f}). Cohen's kappa = {kappa_text}: {kappa_label(kappa)}.")
    if differ:
        text += " You differ on: " + ", ".join(differ) + "; read the module's justification for each."
    not_addressed = (table["student code"] == NOT_ADDRESSED).sum()
    if not_addressed:
        text += f" You coded {not_addressed} claim(s) as not addressing the question."
    return text
