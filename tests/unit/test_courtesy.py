"""A request behind a greeting or a thank-you (bot/courtesy.py) and the classifier that ranks it on its own."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.courtesy import before_closing_thanks, courtesy_remainder, is_farewell, is_long_request, past_subject_remainder
from bot.intent_model import IntentModel
from bot.text import fold_accents


@pytest.mark.parametrize(
    ("text", "behind"),
    [
        ("bonjour komen jactive mon espace sante", "komen jactive mon espace sante"),
        ("Bonjour, j’ai perdu mon code provisoire", "j’ai perdu mon code provisoire"),
        ("Bonjour Madame, où sont stockées mes données ?", "où sont stockées mes données ?"),
        ("merci. et komen je voi les document de mon fils apres?", "et komen je voi les document de mon fils apres?"),
        ("ok merci, et pour mon fils ?", "et pour mon fils ?"),
        ("D’accord. Est-ce que mon employeur voit mon dossier ?", "Est-ce que mon employeur voit mon dossier ?"),
        ("bonjour, je voudrais de l'aide", "je voudrais de l'aide"),
        # a thank-you that ends a sentence inside the message: the question after it
        ("Je l'ai reçue, merci ! Je peux l'envoyer au labo depuis là ?", "Je peux l'envoyer au labo depuis là ?"),
        ("je l ai recu merci. et pour le labo ?", "et pour le labo ?"),
        ("ok c bon, merci. comment je fais pour le petit ?", "comment je fais pour le petit ?"),
        # what the thanks are for, then the question (a persona of 71, 6 December 2026)
        ("Je vous remercie pour votre patience. Justement, ce soir le petit a de la fièvre, je fais quoi ?",
         "Justement, ce soir le petit a de la fièvre, je fais quoi ?"),
        ("merci pour votre aide. et pour mon fils ?", "et pour mon fils ?"),
        # an advisor's next person, without a question mark (an advisor's session, 7 December 2026: « Avec plaisir »)
        ("ok merci. usager 2 : monsieur a changé de numéro, reçoit plus le sms",
         "usager 2 : monsieur a changé de numéro, reçoit plus le sms"),
        # « qu'est-ce » typed without its apostrophe (a persona of 82, 7 December 2026: « Je vous en prie »)
        ("merci. quest ce que je doit amener la bas", "quest ce que je doit amener la bas"),
    ],
)
def test_the_request_behind_the_courtesy_words(text, behind):
    assert courtesy_remainder(text) == behind


@pytest.mark.parametrize(
    "text",
    [
        "bonjour", "merci", "bonsoir madame", "merci beaucoup pour votre aide", "merci du renseignement",
        "merci, je comprends mieux",  # after a thank-you, only a question or a new request counts
        "c'est fait, merci beaucoup. Bonne journée", "ça marche, merci !",
        "hello l'équipe mon espace santé",  # only addresses the assistant
        "comment activer mon espace",  # no courtesy words first
        "", None,
    ],
)  # fmt: skip
def test_courtesy_alone_has_no_request(text):
    assert courtesy_remainder(text) is None


@given(st.sampled_from(["", "bonjour ", "Merci. ", "ok merci, ", "Bonjour Madame, "]), st.text(max_size=60))
def test_the_request_is_a_trimmed_end_of_the_message(courtesy, text):
    message = courtesy + text
    found = courtesy_remainder(message)

    def plain(value: str) -> str:
        return fold_accents(value.replace("’", "'"))

    # folding may turn a last character into a space (« ¨ »): both ends compared without trailing spaces
    assert found is None or (found and found.strip() == found
                             and plain(message).rstrip().endswith(plain(found).rstrip()))  # fmt: skip


TEXTS = ["j'ai perdu mon code provisoire", "je n'ai jamais reçu le code", "code pas reçu",
         "numéro de série de la carte vitale", "numéro de série carte vitale", "carte vitale série",
         "bonjour", "bonjour madame", "bonsoir", "bonjour bonjour", "salut", "coucou"]  # fmt: skip
LABELS = ["faq/code"] * 3 + ["faq/serial"] * 3 + ["greet"] * 6


def test_a_question_behind_a_greeting_gets_its_answer_and_a_greeting_stays_one():
    """Without the option, « bonjour bonjour, code perdu » is a greeting; with it, the code's answer."""
    rng = np.random.default_rng(0)
    dense = rng.normal(size=(len(TEXTS), 3))
    message, vector = ["bonjour bonjour bonjour, code perdu"], dense[6:7]
    plain = IntentModel(kind="svm", c=10).fit(TEXTS, LABELS, dense)
    assert plain.analyse(message, vector)[0][0][0][0] == "greet"
    polite = IntentModel(kind="svm", c=10, courtesy_labels=["greet"], courtesy_targets=["faq"],
                         courtesy_min_confidence=0.2).fit(TEXTS, LABELS, dense)  # fmt: skip
    assert polite.analyse(message, vector)[0][0][0][0] == "faq/code"
    assert polite.analyse(["bonjour madame"], vector)[0][0][0][0] == "greet"
    # a target below the minimum confidence leaves the greeting
    shy = IntentModel(kind="svm", c=10, courtesy_labels=["greet"], courtesy_targets=["faq"],
                      courtesy_min_confidence=1.0).fit(TEXTS, LABELS, dense)  # fmt: skip
    assert shy.analyse(message, vector)[0][0][0][0] == "greet"


def test_a_long_question_behind_a_thank_you_is_ranked_on_its_own_however_unsure():
    """« ok merci. la dame veut aussi activer MES mais sans CV… ca suffit ? » got « Avec plaisir » (two persona
    sessions, 6 December 2026): a request of ``LONG_REQUEST_WORDS`` words or more is a question of its own."""
    rng = np.random.default_rng(0)
    texts = [*TEXTS, "merci", "merci beaucoup", "ok merci", "merci bien", "super merci", "merci madame"]
    labels = [*LABELS, *["thanks"] * 6]
    dense = rng.normal(size=(len(texts), 3))
    model = IntentModel(kind="svm", c=10, courtesy_labels=["greet", "thanks"], courtesy_targets=["faq"],
                        courtesy_min_confidence=1.0).fit(texts, labels, dense)  # fmt: skip
    long_question = "ok merci. et le code de la carte vitale de ma mère, je le trouve où sur sa carte ?"
    short_question = "ok merci. et le code ?"
    assert is_long_request(courtesy_remainder(long_question))
    assert not is_long_request(courtesy_remainder(short_question))
    vector = dense[-1:]
    assert model.analyse([long_question], vector)[0][0][0][0].startswith("faq/")
    assert model.analyse([short_question], vector)[0][0][0][0] == "thanks"  # below the minimum confidence


@pytest.mark.parametrize(
    ("text", "new_question"),
    [
        ("ok pour l'email. mais sans mon accord elle peut ?", "mais sans mon accord elle peut ?"),
        ("D'accord pour le code ! Par contre, mon fils voit tout ?", "Par contre, mon fils voit tout ?"),
        ("merci pour le code. et pour ma fille ?", None),  # the same subject, for someone else
        ("ok merci. mais je n'ai pas de carte vitale ?", None),  # no subject acknowledged: courtesy_remainder
        ("ok pour l'email", None),
        ("je veux activer. mais comment ?", None),
        # a sentence that says the previous answer missed (a persona, 6 December 2026)
        ("jai pas parlé de ma famille lol. ma sage femme elle voit mes echos ou pas ?",
         "ma sage femme elle voit mes echos ou pas ?"),
        ("non c'est pas ça. il a pas reçu de code, on fait comment ?", "il a pas reçu de code, on fait comment ?"),
        ("non c'est pas ça", None),
        # a sentence that corrects what the previous answer assumed (a student of 19, 7 December 2026)
        ("mais jsuis pas mineur jai 19 ans. comment je cache un document moi meme dans l appli ?",
         "comment je cache un document moi meme dans l appli ?"),
        ("je suis pas mineur", None),
    ],
)
def test_a_new_question_after_an_acknowledged_subject(text, new_question):
    assert past_subject_remainder(text) == new_question


def test_the_question_after_an_acknowledged_subject_is_ranked_without_it():
    """« ok pour l'email. mais sans mon accord elle peut ? » got the e-mail answer again (a persona, 6 December
    2026): the acknowledged subject's words no longer choose the answer."""
    rng = np.random.default_rng(0)
    dense = rng.normal(size=(len(TEXTS), 3))
    options = {"kind": "svm", "c": 10, "courtesy_labels": ["greet"], "courtesy_targets": ["faq"]}
    model = IntentModel(**options).fit(TEXTS, LABELS, dense)
    message = "ok pour le numéro de série de la carte vitale série. mais le code ?"
    assert model.analyse([message], dense[:1])[0][0][0][0] == "faq/code"
    without_option = IntentModel(kind="svm", c=10).fit(TEXTS, LABELS, dense)
    assert without_option.analyse([message], dense[:1])[0][0][0][0] == "faq/serial"


@pytest.mark.parametrize(("text", "before"), [
    # a persona of 69 (6 December 2026) got « Avec plaisir » for two questions on his late wife's space
    ("Mon épouse nous a quittés en septembre. Dois-je fermer son espace, et en ai-je un moi-même ? J'ai jeté la lettre "
     "de 2022. Je vous remercie de votre aide.",
     "Mon épouse nous a quittés en septembre. Dois-je fermer son espace, et en ai-je un moi-même ? J'ai jeté la lettre "
     "de 2022."),
    ("comment activer mon espace ? merci d'avance", "comment activer mon espace ?"),
    ("je voudrais savoir comment fermer mon espace, merci", "je voudrais savoir comment fermer mon espace"),
    ("Bonjour, comment on fait pour le code ? Cordialement", "Bonjour, comment on fait pour le code ?"),
    # nothing asked before the thanks, or only thanks
    ("c'est fait, merci beaucoup. Bonne journée", None), ("ça marche, merci !", None), ("merci beaucoup", None),
    ("je comprends mieux merci", None), ("Merci de me dire comment activer", None), ("", None), (None, None),
])  # fmt: skip
def test_the_request_before_a_closing_thank_you(text, before):
    assert before_closing_thanks(text) == before


@pytest.mark.parametrize(("text", "farewell"), [
    ("Je vous remercie sincèrement pour votre patience et pour toutes ces informations. Je vais appeler la France "
     "Services de Verdun pour prendre rendez-vous. Bonne fin de journée.", True),
    ("merci beaucoup, j'irai à la France Services de Nancy. Au revoir", True),
    ("merci bonne journée", True),
    ("merci, et comment je fais pour activer ? bonne journée", False),  # a question
    ("merci. comment activer. bonne journée", False),  # a question without its mark
    ("merci pour tout, la France Services de Verdun elle ouvre quand. bonne journée", False),
    ("je vais appeler la France Services de Verdun. Bonne journée.", False),  # no thanks first
    ("merci, je vais appeler la France Services de Verdun", False),  # no sign-off
    ("Je vous remercie pour votre aide. Je me rendrai à la France Services de Vittel mardi. Je vous souhaite une "
     "excellente journée. Bien cordialement, [nom]", True),  # the name redacted on the site
])  # fmt: skip
def test_a_farewell_thanks_and_signs_off_asking_nothing(text, farewell):
    """« Je vous remercie… Je vais appeler la France Services de Verdun… Bonne fin de journée. » got the nearest desks
    again (a persona of 66, 7 December 2026)."""
    assert is_farewell(text) is farewell


def test_a_farewell_is_a_goodbye_whatever_else_it_names():
    """The farewell of a persona of 66 named the desk she would call and got the nearest desks again: with the goodbye
    among the courtesy labels, a farewell is ranked a goodbye, sure; a message that asks keeps its own ranking."""
    texts = [*TEXTS, "au revoir", "bonne journée", "au revoir madame"]
    labels = [*LABELS, "goodbye", "goodbye", "goodbye"]
    model = IntentModel(kind="svm", c=10, courtesy_labels=["greet", "goodbye"], courtesy_targets=["faq"],
                        courtesy_min_confidence=0.2).fit(texts, labels)  # fmt: skip
    farewell = "merci beaucoup, je vais redemander un code provisoire. Bonne journée"
    assert model.analyse([farewell])[0][0][0] == ("goodbye", 1.0)
    assert model.analyse(["merci, comment je redemande un code provisoire ? bonne journée"])[0][0][0][0] == "faq/code"
    without = IntentModel(kind="svm", c=10, courtesy_labels=["greet"]).fit(texts, labels)
    assert without.analyse([farewell])[0][0][0] != ("goodbye", 1.0)  # not a courtesy label: the classifier decides


@pytest.mark.parametrize(("text", "rest"), [
    ("Bien, j'appellerai ce numéro. Autre sujet : qui choisir comme personne de confiance ?",
     "Autre sujet : qui choisir comme personne de confiance ?"),
    ("autre question : comment activer ?", None),  # nothing before it
    ("comment activer ? autre question, ma fille peut voir ?", None),  # the sentence before asks too
])  # fmt: skip
def test_another_subject_leaves_the_previous_one_behind(text, rest):
    """« Bien, j'appellerai ce numéro. Autre sujet : … personne de confiance ? » got the 3422 (a persona of 88, 7
    December 2026): the question after « autre sujet » is ranked on its own."""
    assert past_subject_remainder(text) == rest



def test_thanks_then_the_next_person_moves_on():
    """An advisor's « ok merci. personne suivante » got « Avec plaisir » (7 December 2026): the move to the next
    person that ends a message is ranked first."""
    rng = np.random.default_rng(0)
    texts = [*TEXTS, "merci", "merci beaucoup", "ok merci", "merci bien", "usager suivant", "personne suivante",
             "nouvel usager", "au suivant"]  # fmt: skip
    labels = [*LABELS, *["thanks"] * 4, *["new_person"] * 4]
    dense = rng.normal(size=(len(texts), 3))
    model = IntentModel(kind="svm", c=10, courtesy_labels=["greet", "thanks"], courtesy_targets=["faq"]).fit(
        texts, labels, dense)
    vector = dense[-1:]
    assert model.analyse(["ok merci. personne suivante"], vector)[0][0][0][0] == "new_person"
    assert model.analyse(["ok merci beaucoup"], vector)[0][0][0][0] == "thanks"
