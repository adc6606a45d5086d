"""Cohen's kappa against answers worked out by hand, and the coding activity's comparison table."""

import math

import pytest

import japan_central_asia as jca
from japan_central_asia import agreement as ag


def _codes(pairs):
    """Expand [(code_a, code_b, how_many), ...] into two dicts keyed c1, c2, ..."""
    a, b, i = {}, {}, 0
    for code_a, code_b, count in pairs:
        for _ in range(count):
            i += 1
            a[f"c{i}"], b[f"c{i}"] = code_a, code_b
    return a, b


def test_textbook_two_by_two_example():
    # 50 items, two coders, yes/no. Cross-table (A rows, B columns):
    #            B yes  B no
    #   A yes      20     5     -> A says yes 25/50 = 0.5
    #   A no       10    15     -> A says no  25/50 = 0.5
    #   B yes 30/50 = 0.6, B no 20/50 = 0.4
    # observed p_o = (20 + 15) / 50 = 0.70
    # expected p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.30 + 0.20 = 0.50
    # kappa = (0.70 - 0.50) / (1 - 0.50) = 0.40
    a, b = _codes([("yes", "yes", 20), ("yes", "no", 5), ("no", "yes", 10), ("no", "no", 15)])
    details = ag.agreement_details(a, b)
    assert details["n"] == 50 and details["agreements"] == 35
    assert details["observed"] == pytest.approx(0.70)
    assert details["expected"] == pytest.approx(0.50)
    assert ag.cohens_kappa(a, b) == pytest.approx(0.40)
    assert ag.kappa_label(0.40) == "fair"


def test_three_categories_by_hand():
    # A: yes yes yes yes no no emerging emerging yes no
    # B: yes yes yes no  no no emerging yes      yes emerging
    # agreements: items 1,2,3,5,6,7,9 -> 7 of 10, p_o = 0.70
    # A: yes 5, no 3, emerging 2; B: yes 5, no 3, emerging 2
    # p_e = 0.5*0.5 + 0.3*0.3 + 0.2*0.2 = 0.25 + 0.09 + 0.04 = 0.38
    # kappa = (0.70 - 0.38) / (1 - 0.38) = 0.32 / 0.62 = 16/31 = 0.5161...
    a = ["yes", "yes", "yes", "yes", "no", "no", "emerging", "emerging", "yes", "no"]
    b = ["yes", "yes", "yes", "no", "no", "no", "emerging", "yes", "yes", "emerging"]
    assert ag.cohens_kappa(a, b) == pytest.approx(16 / 31)
    table = ag.confusion_table(a, b, categories=["yes", "no", "emerging"])
    assert table.loc["yes", "yes"] == 4 and table.loc["yes", "no"] == 1
    assert table.to_numpy().trace() == 7 and table.to_numpy().sum() == 10


def test_perfect_agreement_is_one_and_order_of_keys_does_not_matter():
    a = {"x": "yes", "y": "no", "z": "emerging"}
    b = {"z": "emerging", "x": "yes", "y": "no"}
    assert ag.cohens_kappa(a, b) == 1.0
    assert ag.kappa_label(1.0) == "almost perfect"


def test_systematic_disagreement_is_minus_one():
    # p_o = 0; p_e = 0.5*0.5 + 0.5*0.5 = 0.5; kappa = (0 - 0.5) / 0.5 = -1
    assert ag.cohens_kappa(["yes", "no", "yes", "no"], ["no", "yes", "no", "yes"]) == pytest.approx(-1.0)


def test_no_variation_rule():
    # Both coders give one and the same code throughout: p_o = p_e = 1, kappa = 0/0 -> nan by rule.
    kappa = ag.cohens_kappa({"a": "yes", "b": "yes"}, {"a": "yes", "b": "yes"})
    assert math.isnan(kappa)
    assert ag.kappa_label(kappa).startswith("undefined")
    # Only one coder without variation is defined: p_o = 0.5, p_e = 1*0.5 + 0*0.5 = 0.5 -> kappa 0.
    assert ag.cohens_kappa(["yes"] * 4, ["yes", "yes", "no", "no"]) == pytest.approx(0.0)


@pytest.mark.parametrize(
    "a, b, categories, named",
    [({"uyama-01": "yes", "yuasa-01": "no"}, {"uyama-01": "yes"}, None, "yuasa-01"),
     ({"uyama-01": "yes"}, {"uyama-01": "yes", "laumulin-02": "no"}, None, "laumulin-02"),
     ({"uyama-01": "yes"}, {"uyama-01": "maybe"}, ["yes", "no"], "uyama-01"),
     ({"sadykova-03": "yes"}, {"sadykova-03": ""}, None, "sadykova-03")],
)
def test_bad_input_names_the_claim(a, b, categories, named):
    with pytest.raises(ValueError, match=named):
        ag.cohens_kappa(a, b, categories)


def test_empty_input_is_refused():
    with pytest.raises(ValueError, match="no claims"):
        ag.cohens_kappa({}, {})


@pytest.fixture(scope="module")
def claims():
    return jca.load("expert_claims")


def test_compare_coding_against_the_module(claims):
    module = dict(zip(claims["claim_id"], claims["has_strategy"]))
    chosen = ["uyama-01", "yuasa-01", "sadykova-01"]
    student = {c: module[c] for c in chosen}
    table = ag.compare_coding(student, "has_strategy", claims)
    assert list(table.columns) == ["claim_id", "expert", "claim", "module code", "student code",
                                   "agree?", "module justification"]
    assert set(table["claim_id"]) == set(chosen)
    assert (table["agree?"] == "yes").all()
    # Change one code: exactly that claim is flagged, with the module's reason beside it.
    other = "no" if module["sadykova-01"] != "no" else "yes"
    table = ag.compare_coding({**student, "sadykova-01": other}, "has_strategy", claims)
    flagged = table[table["agree?"] == "NO"]
    assert flagged["claim_id"].tolist() == ["sadykova-01"]
    assert flagged["module justification"].iloc[0] == claims.set_index("claim_id").loc[
        "sadykova-01", "coding_justification"]
    report = ag.coding_report({**student, "sadykova-01": other}, "has_strategy", claims)
    assert "2 of 3" in report and "sadykova-01" in report


def test_compare_coding_refuses_bad_input_by_name(claims):
    with pytest.raises(ValueError, match="uyama-99"):
        ag.compare_coding({"uyama-99": "yes"}, "has_strategy", claims)
    with pytest.raises(ValueError, match="uyama-01"):
        ag.compare_coding({"uyama-01": "resources"}, "has_strategy", claims)
    with pytest.raises(ValueError, match="not a debate question"):
        ag.compare_coding({"uyama-01": "yes"}, "who_is_right", claims)
    with pytest.raises(ValueError, match="at least one"):
        ag.compare_coding({}, "has_strategy", claims)
