"""Word families (data/lexicon): which families a message names, and what they change for the classifier."""

from pathlib import Path

import numpy as np
import pytest

from bot.intent_model import IntentModel, family_rows
from bot.lexicon import Lexicon, family_token, load_lexicon

FAMILIES = """
families:
  professionnel: [médecin, docteur, ophtalmo, sage-femme]
  document: [ordonnance, compte rendu]
  enfant: [enfant, ado]
  carte vitale: [carte vitale]
"""


@pytest.fixture
def lexicon(tmp_path: Path) -> Lexicon:
    (tmp_path / "families.yml").write_text(FAMILIES, encoding="utf-8")
    return load_lexicon(tmp_path)


def test_words_and_expressions_are_found_whatever_the_case_accents_and_hyphens(lexicon):
    assert lexicon.families("Envoyer mon COMPTE RENDU à mon Ophtalmo") == ["fam_document", "fam_professionnel"]
    assert lexicon.families("la sage-femme") == ["fam_professionnel"]
    assert lexicon.families("la Carte Vitale de mon ado") == ["fam_carte_vitale", "fam_enfant"]
    assert lexicon.families("medecin, docteur") == ["fam_professionnel"]  # once, without its accent


def test_only_whole_words_count_and_a_message_without_family_has_its_own_token(lexicon):
    assert lexicon.families("adorable docteurs") == []  # neither « ado » nor « docteur » alone
    assert lexicon.tokens("bonjour") == "fam_none"
    assert family_token("Carte Vitale") == "fam_carte_vitale"


def test_the_words_of_an_expression_are_not_read_again_on_their_own():
    lexicon = load_lexicon()  # the project's: « femme » alone is a spouse, « sage femme » a professional
    assert lexicon.families("ma sage femme ne voit pas mes examens") == ["fam_professionnel", "fam_document"]
    assert lexicon.families("ma femme ne voit pas mes examens") == ["fam_conjoint", "fam_document"]


def test_a_word_in_two_families_is_refused(tmp_path):
    (tmp_path / "families.yml").write_text("families:\n  a: [code]\n  b: [Code]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="deux familles"):
        load_lexicon(tmp_path)


def test_sms_and_sound_alike_spellings_are_read_as_the_usual_words(tmp_path):
    (tmp_path / "spellings.yml").write_text("spellings:\n  komen: comment\n  jai: j'ai\n  c: c'est\n  foto: photo\n",
                                            encoding="utf-8")  # fmt: skip
    lexicon = load_lexicon(tmp_path)
    assert lexicon.respell("Komen jactive ? jai pa de FOTO") == "comment jactive ? j'ai pa de photo"
    # whole words only, and not before an apostrophe: the « c » of « c'est » stays
    assert lexicon.respell("c'est la photocopie, c grave") == "c'est la photocopie, c'est grave"
    assert Lexicon().respell("komen") == "komen"  # no spellings: unchanged


def test_a_spelling_of_several_words_is_refused(tmp_path):
    (tmp_path / "spellings.yml").write_text("spellings:\n  mot de pass: mot de passe\n", encoding="utf-8")
    with pytest.raises(ValueError, match="un seul mot"):
        load_lexicon(tmp_path)


def test_the_project_spellings_reach_the_classifier():
    """« komen jactive mon espace » reads as « comment j'active mon espace » before its features are made."""
    lexicon = load_lexicon()
    said = lexicon.respell("komen jactive mon espace, jai pa de foto")
    assert said == "comment j'active mon espace, j'ai pas de photo"
    texts = ["comment activer mon espace", "comment j'active mon espace", "activer mon espace santé",
             "bonjour", "salut", "bonsoir"]  # fmt: skip
    model = IntentModel(kind="svm", c=10, lexicon=lexicon).fit(texts, ["activate"] * 3 + ["greet"] * 3)
    typed, usual = (model._features([text], None, fit=False) for text in ("komen jactive", "comment j'active"))
    assert typed.nnz > 0 and (typed != usual).nnz == 0


def test_the_project_lexicon_loads_and_each_family_has_several_words():
    lexicon = load_lexicon()
    members: dict[str, int] = {}
    for token in [*lexicon.words.values(), *(token for _, token in lexicon.expressions)]:
        members[token] = members.get(token, 0) + 1
    assert len(members) >= 20
    assert min(members.values()) >= 2
    assert lexicon.families("je veux transmettre mes résultats au cardiologue") == [
        "fam_partager", "fam_document", "fam_professionnel"]  # fmt: skip


TEXTS = ["envoyer mon ordonnance au médecin", "transmettre le compte rendu au docteur", "partager avec le médecin",
         "le profil de mon enfant", "mon enfant a un espace", "ajouter mon enfant",
         "bonjour", "salut", "bonsoir"]  # fmt: skip
LABELS = ["share"] * 3 + ["child"] * 3 + ["greet"] * 3


def test_the_families_let_an_unseen_word_reach_the_answer_its_family_learned(lexicon):
    """« ado » and « ophtalmo » are in no training sentence: only their families carry them to the answer."""
    with_families = IntentModel(kind="svm", lexicon=lexicon, lexicon_weight=1.0).fit(TEXTS, LABELS)
    assert with_families.rank(["mon ado"])[0][0][0] == "child"
    assert with_families.rank(["pour l'ophtalmo"])[0][0][0] == "share"
    without = IntentModel(kind="svm").fit(TEXTS, LABELS)
    assert without.rank(["pour l'ophtalmo"])[0][0][0] != "share"


def test_a_model_saved_before_the_option_still_classifies(lexicon):
    model = IntentModel(kind="svm", lexicon=lexicon).fit(TEXTS, LABELS)
    width = model._features(["mon ado"], None, fit=False).shape[1]
    del model.__dict__["lexicon"]
    assert model._features(["mon ado"], None, fit=False).shape[1] < width


def test_the_fast_family_rows_equal_scikit_learn_s_transform(lexicon):
    model = IntentModel(kind="svm", lexicon=lexicon).fit(TEXTS, LABELS)
    families = [lexicon.tokens(t) for t in [*TEXTS, "ophtalmo ado docteur ordonnance ado", "rien", "enfant enfant"]]
    expected = model.families.transform(families).toarray()
    assert np.allclose(family_rows(model.families, families).toarray(), expected)
    assert expected.any()
