"""The stance explorer is driven as a student would: pick a question, an expert, try the impossible."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import japan_central_asia as jca
from japan_central_asia import stance_explorer as sx
from japan_central_asia.widgets import ALL


@pytest.fixture(scope="module")
def claims():
    return jca.load("expert_claims")


def test_codes_come_from_the_schema():
    assert sx.question_codes("has_strategy") == ["yes", "no", "emerging", "not_addressed"]
    assert sx.question_codes("bilateral_or_multilateral")[-1] == sx.NOT_ADDRESSED
    for question in sx.QUESTIONS:
        assert all(code in sx.CODE_STYLE for code in sx.question_codes(question))


def test_select_claims_filters_by_expert_and_question(claims):
    everyone = sx.select_claims(claims)
    assert len(everyone) == len(claims)
    assert set(sx.QUESTIONS) <= set(everyone.columns)
    uyama = sx.select_claims(claims, question="has_strategy", expert="Uyama")
    assert (uyama["expert"] == "Uyama").all() and len(uyama) == (claims["expert"] == "Uyama").sum()
    assert "code" in uyama.columns and "has_strategy" not in uyama.columns
    addressed = sx.select_claims(claims, question="has_strategy", hide_not_addressed=True)
    assert (addressed["code"] != sx.NOT_ADDRESSED).all()
    assert len(addressed) == (claims["has_strategy"] != sx.NOT_ADDRESSED).sum()


def test_claims_known_only_through_the_seed_are_marked(claims):
    marked = sx.known_through(claims) == "via Sadykova (2013)"
    seed = claims["bibtex_key"] == "sadykova2013"
    assert (marked == (seed & (claims["expert"] != "Sadykova"))).all()
    # Sadykova's own claims are cited to her article, not "via" it.
    assert not marked[claims["expert"] == "Sadykova"].any()


def test_summary_counts_every_code_including_zeros(claims):
    summary = sx.position_summary(claims, "bilateral_or_multilateral")
    assert summary["code"].tolist() == sx.question_codes("bilateral_or_multilateral")
    assert summary["claims"].sum() == len(claims)
    per_expert = sx.position_summary(claims, ALL, "Sadykova")
    assert per_expert.groupby("question")["claims"].sum().eq((claims["expert"] == "Sadykova").sum()).all()


@pytest.mark.parametrize(
    "kwargs, message",
    [({"question": "who_is_right"}, "not a debate question"),
     ({"expert": "Nobody"}, "not an expert"),
     ({"hide_not_addressed": True}, "needs a debate question")],
)
def test_impossible_queries_explain_themselves(claims, kwargs, message):
    with pytest.raises(ValueError, match=message):
        sx.select_claims(claims, **kwargs)


def test_explorer_updates_when_controls_change(claims):
    explorer = sx.StanceExplorer(claims)
    assert len(explorer.result) == len(claims)
    before = explorer.table.value
    explorer.set(expert="Yuasa")
    assert (explorer.result["expert"] == "Yuasa").all()
    assert explorer.table.value != before and "Yuasa" in explorer.message.text
    explorer.set(question="bilateral_or_multilateral", hide_not_addressed=True)
    assert (explorer.result["code"] == "multilateral").all()
    explorer.expert.value = ALL  # moving a control by hand redraws too
    assert explorer.result["expert"].nunique() > 1
    explorer.question.value = ALL
    assert explorer.message.is_error  # hiding needs a question: explained, not crashed


def test_impossible_input_keeps_the_last_good_state(claims):
    explorer = sx.StanceExplorer(claims)
    explorer.set(expert="Laumulin")
    shown = explorer.result.copy()
    explorer.set(expert="Nobody")
    assert explorer.message.is_error and "Nobody" in explorer.message.text
    assert explorer.expert.value == "Laumulin"
    assert explorer.result.equals(shown)


def test_plot_positions_labels_every_cell(claims):
    ax = sx.plot_positions(claims)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == len(claims) * len(sx.QUESTIONS)
    assert "multilateral" in texts
    plt.close("all")
