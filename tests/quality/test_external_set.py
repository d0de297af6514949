"""The external evaluation set (tests/external): sourced, well-formed, and never trained on."""

from __future__ import annotations

import re

import pytest

from tools.calibrate import read_nlu
from tools.evaluation.questions import load_questions, near_copies

SOURCE_KINDS = {"official_faq", "reformulated_faq", "press", "forum", "advisor_account", "other"}


@pytest.fixture(scope="module")
def questions(root):
    return load_questions(root / "tests" / "external" / "questions")


@pytest.fixture(scope="module")
def training(root) -> list[str]:
    """Every sentence the classifier learns from: the NLU files, including the answers' generated from the bank
    (tests/quality/test_answer_bank.py checks that data/nlu/answers.yml is current)."""
    return [text for text, _ in read_nlu(root / "data" / "nlu")]


def test_every_question_names_its_public_source(questions):
    assert questions
    bad = [q.id for q in questions if not re.match(r"https?://\S+$", q.source) or q.source_kind not in SOURCE_KINDS]
    assert bad == []


def test_the_set_has_off_topic_questions_and_every_task(questions):
    tasks = {q.task for q in questions}
    assert {"activation", "children", "sharing", "closing", "account", "help", "off_topic"} <= tasks
    assert sum(q.task == "off_topic" for q in questions) >= 60


def test_no_question_is_trained_on_even_nearly(questions, training):
    near = [(questions[i].id, score) for i, score in near_copies([q.text for q in questions], training)]
    assert near == [], "question(s) presque copiée(s) dans l'entraînement : retirez la formulation apprise"
