"""The intent model on a tiny data set: learns, tolerates typos and accents, ranks every intent."""

import numpy as np
import pytest

from bot.intent_model import IntentModel, fold, stems

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


def test_stems_join_the_forms_of_a_word_with_or_without_accents():
    assert stems("activée") == stems("activation") == stems("activer") == stems("ACTIVÉ") == "activ"
    assert stems("Résultats") == stems("resultat") == "resultat"
    assert stems("je clôture") == stems("JE CLOTURERAI") == "je clotur"


def test_with_stems_the_word_features_hold_the_stems_and_old_models_still_work():
    plain = IntentModel(kind="svm").fit(TEXTS, INTENTS)
    stemmed = IntentModel(kind="svm", with_stems=True).fit(TEXTS, INTENTS)
    assert "jam" in stemmed.word.vocabulary_ and "jam" not in plain.word.vocabulary_  # « jamais » gives « jam »
    assert stemmed.rank(["je n'ai pas recu mon code"])[0][0][0] == "code"
    column = len(stemmed.char.vocabulary_) + stemmed.word.vocabulary_["jam"]
    assert stemmed._features(["jamais"], None, fit=False)[0, column] > 0
    del stemmed.__dict__["with_stems"]  # a model saved before the option: its text only, no stems
    assert stemmed._features(["jamais"], None, fit=False)[0, column] == 0


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


def test_an_advisors_introduction_is_not_ranked():
    texts = [*TEXTS, "france services près de nancy", "une france services à épinal", "trouver une france services"]
    model = IntentModel(kind="svm").fit(texts, [*INTENTS, "desk", "desk", "desk"])
    introduced = "Je suis conseillère France Services à Nancy. Une dame a perdu son code provisoire"
    assert model.rank([introduced])[0][0][0] == "code"
    assert model.rank(["conseiller France Services à Nancy"])[0][0][0] == "desk"  # introduces no one: kept whole


def test_a_greeting_needs_a_word_of_the_greetings():
    """« aaa bbb ccc » or « bof » ranked first as a greeting by their letters alone get no confidence, so the gate
    asks to rephrase; a greeting with a typo, or a label that is not a courtesy, keeps its own."""
    model = IntentModel(kind="svm", courtesy_labels=["greet"]).fit(TEXTS, INTENTS)
    (label, confidence), *_ = model.analyse(["bonjourr"])[0][0]
    assert (label, confidence > 0.3) == ("greet", True)
    for nonsense in ("aaa bbb ccc", "bof", "zzz"):
        assert model.analyse([nonsense])[0][0][0] == ("greet", 0.0), nonsense
    assert model.analyse(["carte vitale serie"])[0][0][0][1] > 0  # not a courtesy label: untouched
    assert model.analyse(["👋"])[0][0][0][1] > 0  # no word at all: nothing to judge
    ungrounded = model._ungrounded("aaa", ([("greet", 0.9), ("code", 0.1)], 0.2))
    assert ungrounded == ([("greet", 0.0), ("code", 0.1)], 0.2)


def test_a_message_that_names_the_service_is_never_off_topic_for_the_detector():
    """« CV volée, il veut activer MES quand même » was declined for its « CV » and « volée »: a message that names
    Mon espace santé gets off-topic probability 0; the same words without the name keep the detector's verdict."""
    from bot.text import names_the_service

    off = ["déclarer mes impôts", "impôts en ligne", "carte bleue volée", "cv volée pour mon emploi", "code wifi"]
    model = IntentModel(kind="svm", negative_label="out_of_scope").fit(
        [*TEXTS, *off], [*INTENTS, *["out_of_scope"] * len(off)]
    )
    assert model.analyse(["cv volée, déclarer mes impôts"])[0][1] > 0.5
    for named in ("cv volée, déclarer mes impôts dans Mon espace santé", "CV volée, il veut activer MES quand même",
                  "mes impôts et mon DMP", "monespacesante.fr impôts"):  # fmt: skip
        assert model.analyse([named])[0][1] == 0.0, named
        assert model.off_topic_scores([named])[0] == -np.inf, named  # what calibrate's cross-validation reads
    assert not names_the_service("COMMENT DECLARER MES IMPOTS")  # all capitals: « MES » is the possessive
    assert not names_the_service("Comment fonctionne l'Espace Santé Jeunes ?")
    assert names_the_service("Mon Espace Santé") and names_the_service("mon espace sante")
