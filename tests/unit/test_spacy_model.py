"""The trimmed spaCy model (rasa_ext/nlu/spacy_model.py) gives exactly the tokens and vectors of fr_core_news_md."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from rasa_ext.nlu import spacy_model
from tools.quality import read_examples

ROOT = Path(__file__).resolve().parents[2]
# Words the training data may lack: accents, SMS style, capitals (lowercased as Rasa does), rare words.
EXTRA = [
    "JE VEUX ACTIVER MON ESPACE SANTÉ", "jai pa recu mon code", "Où est la France Services de Saint-Dié-des-Vosges ?",
    "mon kiné ne doit pas voir mes docs", "l'hôpital m'a envoyé un compte-rendu", "aujourd'hui c'est urgent !!!",
    "anticonstitutionnellement", "xyzqw", "😀 merci", "",
]  # fmt: skip


@pytest.fixture(scope="module")
def models():
    spacy = pytest.importorskip("spacy")
    target = ROOT / spacy_model.TARGET
    if not spacy_model.is_built(target):
        spacy_model.build(target)
    # The same loading as Rasa's SpacyNLP (parser disabled, the rest of the source model runs).
    return spacy.load(spacy_model.SOURCE, disable=["parser"]), spacy.load(target)


def sentences() -> list[str]:
    texts = list(EXTRA)
    for folder in (ROOT / "data" / "nlu", ROOT / "tests" / "nlu"):
        texts += [text for examples in read_examples(folder).values() for text, _ in examples]
    return texts


def test_config_loads_the_trimmed_model_by_path():
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    spacy_nlp = next(c for c in config["pipeline"] if c["name"] == "SpacyNLP")
    assert spacy_nlp["model"] == spacy_model.TARGET.as_posix()
    assert not spacy_nlp.get("case_sensitive"), "the trimmed model only keeps lowercase words"


def test_the_trimmed_model_runs_no_component(models):
    _, trimmed = models
    assert trimmed.pipe_names == []
    assert trimmed.vocab.vectors.shape[1] == 300


def test_same_tokens_and_vectors_on_every_sentence(models):
    full, trimmed = models
    texts = sentences()
    assert len(texts) > 5000
    lowered = [text.lower() for text in texts]  # Rasa's SpacyNLP lowercases (case_sensitive: false)
    for text, expected, got in zip(texts, full.pipe(lowered, batch_size=256), trimmed.pipe(lowered), strict=True):
        assert [t.text for t in got] == [t.text for t in expected], text
        vectors_expected = np.array([t.vector for t in expected])
        vectors_got = np.array([t.vector for t in got])
        assert np.array_equal(vectors_got, vectors_expected), text


def test_a_capitalised_word_has_no_vector_in_the_trimmed_model(models):
    """The check above could not fail if nothing had been dropped."""
    full, trimmed = models
    assert full.vocab.has_vector("Paris") and not trimmed.vocab.has_vector("Paris")
    assert trimmed.vocab.has_vector("paris")
    assert len(trimmed.vocab.strings) < len(full.vocab.strings) / 10
