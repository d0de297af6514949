"""The external evaluation set (tests/external): sourced, well-formed, and never trained on."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.text import normalize
from tools.calibrate import read_nlu
from tools.evaluation.questions import load_questions

# Cosine similarity of character 3-5-grams from which a training example counts as a near-copy of a question.
NEAR_DUPLICATE = 0.9
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
    exact = {normalize(t) for t in training}
    assert [q.id for q in questions if normalize(q.text) in exact] == []
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    train_matrix = vectorizer.fit_transform([normalize(t) for t in training])
    similarity = (vectorizer.transform([normalize(q.text) for q in questions]) @ train_matrix.T).max(axis=1)
    best = np.asarray(similarity.todense()).ravel()
    near = [(q.id, round(float(s), 2)) for q, s in zip(questions, best, strict=True) if s >= NEAR_DUPLICATE]
    assert near == [], "question(s) presque copiée(s) dans l'entraînement : retirez la formulation apprise"
