"""The questions written blind (tests/blind): each names an answer of the bank, and none is trained on."""

from __future__ import annotations

from bot.answers.bank import load_bank
from tools.blind import load_blind, outcome, summarize
from tools.calibrate import read_nlu
from tools.evaluation.questions import near_copies


def test_every_question_names_an_answer_of_the_bank(root):
    pairs = load_blind(root)
    bank = load_bank(root / "data" / "answers")
    assert len(pairs) > 1500
    assert sorted({unit_id for _, unit_id in pairs if unit_id not in bank}) == []


def test_no_question_is_trained_on_even_nearly(root):
    pairs = load_blind(root)
    training = [text for text, _ in read_nlu(root / "data" / "nlu")]
    near = [(pairs[i][0], score) for i, score in near_copies([text for text, _ in pairs], training)]
    assert near == [], "question(s) presque copiée(s) dans l'entraînement : retirez la formulation apprise"


def _parsed(intent: str, *ranking: str) -> dict:
    entries = [{"intent_response_key": f"faq/{unit_id}", "confidence": 0.9 - i / 10}
               for i, unit_id in enumerate(ranking)]  # fmt: skip
    return {"intent": {"name": intent},
            "response_selector": {"all_retrieval_intents": ["faq"], "faq": {"ranking": entries}}}  # fmt: skip


def test_an_outcome_reads_the_answer_given_and_the_three_likeliest():
    assert outcome(_parsed("faq", "is_it_free", "why_activate"), "is_it_free") == "right"
    assert outcome(_parsed("faq", "why_activate", "demo_mode", "is_it_free"), "is_it_free") == "top3"
    # unsure: not right, even when the answer ranked first was the right one (no answer is read), but among the three
    # likeliest offered as buttons
    assert outcome(_parsed("nlu_fallback", "is_it_free"), "is_it_free") == "top3"
    assert outcome(_parsed("out_of_scope", "why_activate"), "is_it_free") == "refused"
    assert outcome(_parsed("activation_start", "why_activate"), "is_it_free") == "wrong"
    assert outcome({}, "is_it_free") == "wrong"


def test_the_summary_counts_each_task():
    rows = [("a", "is_it_free", "right"), ("b", "is_it_free", "top3"), ("c", "hide_document", "refused")]
    summary = summarize(rows, {"is_it_free": "activation", "hide_document": "sharing"})
    assert (summary["total"], summary["right"], summary["top3"], summary["refused"]) == (3, 0.3333, 0.6667, 0.3333)
    assert summary["by_task"]["activation"] == {"total": 2, "right": 0.5, "top3": 1.0, "refused": 0.0}
