"""Choosing the temperature and the refusal thresholds (tools/calibrate.py), on small hand-made data."""

import shutil

import numpy as np
import yaml

from bot.answers.bank import load_bank
from bot.understanding import Thresholds
from tools.calibrate import choose, cross_validated_declines, cross_validated_refusals, temperature_for, write
from tools.evaluation.offline import ReplyTexts, label_of
from tools.evaluation.questions import Question


def test_temperature_sharpens_confident_scores():
    scores = np.array([[2.0, 0.0], [1.5, 0.0], [0.0, 1.0]])
    truth = np.array([0, 0, 1])
    assert temperature_for(scores, truth) > temperature_for(scores, np.array([1, 1, 0]))


def test_refusals_count_low_confidence_and_off_topic_flags_on_in_scope_examples_only():
    confidences = np.array([0.9, 0.2, 0.9, 0.1])
    off_topic = np.array([0.0, 0.0, 0.8, 0.9])
    in_scope = np.array([True, True, True, False])
    assert cross_validated_refusals(confidences, off_topic, in_scope, Thresholds(0.5, 0.5, 0.5)) == 2 / 3
    assert cross_validated_refusals(confidences, off_topic, in_scope, Thresholds(0.1, 0.1, 0.95)) == 0.0
    # a sure answer overrules the detector: the third example is no longer refused
    answers = np.array([True, True, True, True])
    keep = Thresholds(0.5, 0.5, 0.5, keep=0.85)
    assert cross_validated_refusals(confidences, off_topic, in_scope, keep, answers) == 1 / 3
    assert cross_validated_refusals(confidences, off_topic, in_scope, keep, ~answers) == 2 / 3


def test_declines_count_off_topic_examples_unless_a_sure_answer_overrules():
    confidences = np.array([0.9, 0.2, 0.99, 0.3])
    off_topic = np.array([0.0, 0.0, 0.8, 0.9])
    in_scope = np.array([True, True, False, False])
    answers = np.array([True, True, True, True])
    assert cross_validated_declines(confidences, off_topic, in_scope, Thresholds(0.1, 0.1, 0.5), answers) == 1.0
    assert cross_validated_declines(confidences, off_topic, in_scope, Thresholds(0.1, 0.1, 0.5, 0.95), answers) == 0.5


JOKE = Question("q2", "une blague", "https://x", "other", "off_topic", expect="decline")


def rows_of(question: Question, ranking: list, off_topic: float, joke: tuple) -> list[tuple]:
    """Two validation rows: ``question`` as classified, and an off-topic joke classified as ``joke``."""
    return [(question, ranking, off_topic), (JOKE, *joke)]


def test_choose_prefers_right_answers_within_what_is_allowed(root):
    replies = ReplyTexts(load_bank(root / "data" / "answers"), root / "domain")
    code = Question("q1", "code perdu", "https://x", "press", "activation", facts=(("nouveau",),))
    rows = rows_of(code, [("faq/code_missing", 0.3)], 0.1, ([("faq/is_it_free", 0.2)], 0.0))
    best, result = choose(rows, replies, root)
    assert 0.2 < best.answer <= 0.3 and result.right == 1.0 and result.declined == 1.0
    strict, _ = choose(rows, replies, root, allowed=lambda t: t.answer <= 0.1 and t.decline > 0.5)
    assert strict.answer <= 0.1
    assert best.keep > 1  # nothing to gain from overruling the detector: it is never overruled
    # the bonus (off-topic training examples declined) breaks a tie on the dev questions
    lower, _ = choose(rows, replies, root, bonus=lambda t: 1.0 - t.decline)
    assert lower.decline == 0.125  # the lowest that still answers « code perdu » (off-topic 0.1)


def test_choose_overrules_the_detector_for_a_sure_answer_when_it_helps(root):
    replies = ReplyTexts(load_bank(root / "data" / "answers"), root / "domain")
    lost = Question("q1", "carte vitale perdue", "https://x", "press", "help", facts=(("ameli",),))
    best, result = choose(rows_of(lost, [("faq/lost_carte_vitale", 0.97)], 0.9, ([("faq/is_it_free", 0.5)], 0.9)),
                          replies, root)
    assert 0.5 < best.keep <= 0.97 and result.right == 1.0 and result.declined == 1.0


def test_write_updates_config_and_thresholds_in_place(tmp_path, root):
    (tmp_path / "config").mkdir()
    (tmp_path / "config.yml").write_text((root / "config.yml").read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copy(root / "config" / "thresholds.yml", tmp_path / "config" / "thresholds.yml")
    write(tmp_path, {"temperature": 9.0, "thresholds": Thresholds(0.125, 0.25, 0.5, 0.9, decline_in_conversation=0.7)})
    config = yaml.safe_load((tmp_path / "config.yml").read_text(encoding="utf-8"))
    assert [s["temperature"] for s in config["pipeline"] if "temperature" in s] == [9]
    before = yaml.safe_load((root / "config" / "thresholds.yml").read_text())["understanding"]
    understanding = yaml.safe_load((tmp_path / "config" / "thresholds.yml").read_text())["understanding"]
    chosen = {"answer_min_confidence": 0.125, "intent_min_confidence": 0.25, "decline_min_confidence": 0.5,
              "keep_answer_min_confidence": 0.9, "decline_in_conversation_min_confidence": 0.7}  # fmt: skip
    assert understanding == {**before, **chosen}  # what calibration does not choose (« see also ») is kept
    assert "# " in (tmp_path / "config.yml").read_text(encoding="utf-8")  # comments kept


def test_offline_replies_read_like_the_assistant(root):
    replies = ReplyTexts(load_bank(root / "data" / "answers"), root / "domain")
    assert "Vérifié le" in replies.text("faq/code_missing")
    assert replies.text("out_of_scope").startswith("Je ne réponds qu'aux questions")
    assert replies.text("nlu_fallback").startswith("Je ne suis pas sûr")
    assert replies.text("activation_start").startswith("Étape {step} sur {total}")
    selector = {
        "all_retrieval_intents": ["faq"],
        "faq": {"ranking": [{"intent_response_key": "faq/x", "confidence": 1}]},
    }
    assert label_of({"intent": {"name": "faq"}, "response_selector": selector}) == "faq/x"
    assert label_of({"intent": {"name": "greet"}}) == "greet" and label_of({}) == "nlu_fallback"
