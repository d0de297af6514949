"""The intent model on a tiny data set: learns, tolerates typos and accents, ranks every intent."""

import numpy as np
import pytest

from bot.intent_model import IntentModel, fold

TEXTS = [
    "j'ai perdu mon code provisoire",
    "je n'ai jamais reçu le code",
    "code pas reçu",
    "où est le numéro de série de la carte vitale",
    "numéro de série carte vitale",
    "carte vitale série",
    "bonjour",
    "salut",
    "bonsoir madame",
]
INTENTS = ["code"] * 3 + ["serial"] * 3 + ["greet"] * 3


def test_fold_removes_case_accents_and_curly_apostrophes():
    assert fold("J’AI REÇU l'écran") == "j'ai recu l'ecran"


def test_learns_and_survives_typos_and_missing_accents():
    model = IntentModel(c=10).fit(TEXTS, INTENTS)
    assert model.rank(["jai pa recu mon kode"])[0][0][0] == "code"
    assert model.rank(["numero de serie de ma carte"])[0][0][0] == "serial"
    assert model.rank(["BONJOUR"])[0][0][0] == "greet"


def test_ranking_has_every_intent_and_sums_to_one():
    ranking = IntentModel().fit(TEXTS, INTENTS).rank(["code"])[0]
    assert sorted(name for name, _ in ranking) == ["code", "greet", "serial"]
    assert abs(sum(p for _, p in ranking) - 1) < 1e-6
    assert ranking == sorted(ranking, key=lambda pair: -pair[1])


def test_dense_vectors_are_used_when_given():
    rng = np.random.default_rng(0)
    dense = rng.normal(size=(len(TEXTS), 4))
    model = IntentModel(dense_weight=1.0).fit(TEXTS, INTENTS, dense)
    assert len(model.rank(["bonjour"], dense[:1])[0]) == 3


def test_empty_inputs_and_single_intent():
    model = IntentModel().fit(TEXTS, INTENTS)
    assert model.rank([]) == []
    with pytest.raises(ValueError):
        IntentModel().fit(["a", "b"], ["x", "x"])


def test_svm_scores_equal_the_svms_own_decision_function():
    rng = np.random.default_rng(2)
    dense = rng.normal(size=(len(TEXTS), 4))
    model = IntentModel(kind="svm", dense_weight=1.0).fit(TEXTS, INTENTS, dense)
    queries = ["jai pa recu mon kode", "carte", "bonjour madame", "", "xyz"]
    features = model._features(queries, rng.normal(size=(len(queries), 4)), fit=False)
    expected = features @ model._weights.astype(np.float64) + model.classifier.intercept_  # the model in float64
    got = model.scores(features)
    assert got.dtype == np.float64 and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("intents", [INTENTS, ["code"] * 3 + ["other"] * 6])  # multinomial, then binary
def test_fast_probabilities_equal_scikit_learns(intents):
    rng = np.random.default_rng(1)
    dense = rng.normal(size=(len(TEXTS), 4))
    model = IntentModel(dense_weight=1.0).fit(TEXTS, intents, dense)
    queries = ["jai pa recu mon kode", "carte", "bonjour madame", "", "xyz"]
    features = model._features(queries, rng.normal(size=(len(queries), 4)), fit=False)
    expected = model.classifier.predict_proba(features)
    got = model._probabilities(features)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
