"""Two questions in one message: its sentences, and the other answers they ask for (bot/clauses.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.clauses import (
    answers_an_off_topic_sentence,
    asking_sentences,
    asks,
    other_questions,
    question_beside_statement,
    questions_in,
    sets_aside,
)


def test_a_message_is_cut_into_its_sentences_and_joined_questions():
    assert questions_in("j'ai perdu ma carte vitale. et je n'ai pas d'adresse mail, je fais comment ?") == [
        "j'ai perdu ma carte vitale.", "et je n'ai pas d'adresse mail, je fais comment ?"]  # fmt: skip
    two = "je veux montrer mes résultats à mon cardiologue et comment je bloque mon ancien médecin ?"
    assert questions_in(two) == ["je veux montrer mes résultats à mon cardiologue",
                                 "comment je bloque mon ancien médecin ?"]  # fmt: skip
    assert questions_in("sms bizarre reçu, est-ce une arnaque ?\net aussi comment je ferme mon compte") == [
        "sms bizarre reçu, est-ce une arnaque ?", "comment je ferme mon compte"]  # fmt: skip


def test_a_question_of_two_words_counts_when_it_has_a_word_of_its_own():
    """« c obligatoire ? et sa coute de largent ? » got only the cost (a persona, 6 December 2026)."""
    assert questions_in("c obligatoire ? et sa coute de largent ? je doi payer ?") == [
        "c obligatoire ?", "et sa coute de largent ?", "je doi payer ?"]  # fmt: skip
    assert questions_in("et alors ? je fais comment pour activer") == []
    assert questions_in("ok merci. c gratuit") == []  # no question mark


def test_a_message_with_one_question_is_left_whole():
    for text in ("Comment activer mon espace santé ?", "mon fils et ma fille ont-ils un profil ?",
                 "ok merci. Et pour mon fils ?", "", "   "):  # fmt: skip
        assert questions_in(text) == []
    assert questions_in(None) == []  # type: ignore[arg-type]


@given(st.text(max_size=300))
def test_any_text_gives_sentences_of_three_words_or_nothing(text):
    sentences = questions_in(text)
    assert sentences == [] or (len(sentences) >= 2 and all(len(s.split()) >= 1 for s in sentences))


def test_other_questions_keeps_sure_on_topic_answers_other_than_the_one_given():
    sentences = [{"label": "faq/lost_carte_vitale", "confidence": 0.9, "off_topic": 0.0},
                 {"label": "faq/no_email", "confidence": 0.8, "off_topic": 0.1},
                 {"label": "faq/no_email", "confidence": 0.6, "off_topic": 0.1},
                 {"label": "faq/is_it_free", "confidence": 0.3, "off_topic": 0.0},
                 {"label": "faq/ask_appointment", "confidence": 0.9, "off_topic": 0.8},
                 {"label": "greet", "confidence": 0.99, "off_topic": 0.0}, "garbage"]  # fmt: skip
    assert other_questions("lost_carte_vitale", sentences, 0.5, 0.425) == ["no_email"]
    assert other_questions("lost_carte_vitale", sentences, 0.2, 0.9) == ["ask_appointment", "no_email", "is_it_free"]
    assert other_questions("x", None, 0.5, 0.425) == [] and other_questions("x", "bad", 0.5, 0.425) == []
    # a sentence that says nothing of the answer it was given is not offered (grounded: index, answer id)
    assert other_questions("lost_carte_vitale", sentences, 0.2, 0.9, grounded=lambda i, unit: i != 1) == [
        "ask_appointment", "no_email", "is_it_free"]  # no_email still comes from the third sentence
    assert other_questions("lost_carte_vitale", sentences, 0.2, 0.9, grounded=lambda i, unit: unit != "no_email") == [
        "ask_appointment", "is_it_free"]


@pytest.mark.parametrize(("sentence", "asked"), [
    ("la maman a fait la déclaration de naissance à la CPAM", False),  # an advisor's note on the situation
    ("Monsieur a changé de téléphone", False),
    ("il a perdu son code ?", True),
    ("et comment il fait", True),
    ("je peux le faire en ligne", True),
    ("couple avec bébé de 3 semaines, veulent activer le profil du bébé", True),
    ("elle a besoin d'une adresse mail", True),
])  # fmt: skip
def test_a_sentence_that_asks_is_told_from_one_that_tells_the_situation(sentence, asked):
    assert asks(sentence) is asked


@pytest.mark.parametrize(
    ("sentence", "aside"),
    [
        ("je veux pas supprimer, je veux AJOUTER le papier de l hopital", True),
        ("Je ne vous parle pas d'équipe de soins.", True),
        ("euh non je parle pas d urgence.", True),
        ("je ne veux pas que le cardiologue voie les papiers de l'urologue", False),  # it asks to prevent something
        ("je veux ajouter un document", False),
        ("est-ce que je peux supprimer un document ?", False),
    ],
)
def test_a_sentence_that_sets_a_topic_aside(sentence, aside):
    assert sets_aside(sentence) is aside


def test_an_answer_pulled_by_an_off_topic_sentence_is_told_apart():
    """The whole message's answer came from its off-topic sentence, not from a sure one on Mon espace santé."""
    home_insurance = {"label": "faq/ask_reimbursement", "confidence": 0.24, "off_topic": 0.74}
    blocking = {"label": "faq/block_professional", "confidence": 0.93, "off_topic": 0.0}
    assert answers_an_off_topic_sentence("insurer_cannot_require", [home_insurance, blocking], 0.5, 0.425)
    assert not answers_an_off_topic_sentence("block_professional", [home_insurance, blocking], 0.5, 0.425)
    assert not answers_an_off_topic_sentence("insurer_cannot_require", [{**home_insurance, "off_topic": 0.2}, blocking],
                                             0.5, 0.425)  # fmt: skip
    assert not answers_an_off_topic_sentence("insurer_cannot_require", None, 0.5, 0.425)


def test_the_question_of_a_message_is_found_beside_a_sentence_that_only_tells_the_situation():
    """« et apres moi je pourrai voir ses documents ? parce que c moi qui lui lis tout, il lit pas bien le francais »
    got the answer on other languages a second time (a son typing for his father, 7 December 2026)."""
    text = "et apres moi je pourrai voir ses documents ? parce que c moi qui lui lis tout, il lit pas bien le francais"
    assert len(questions_in(text)) == 2
    ranked = [{"label": "faq/caregiver_access", "confidence": 0.21, "off_topic": 0.0},
              {"label": "faq/other_languages", "confidence": 0.71, "off_topic": 0.01}]  # fmt: skip
    assert question_beside_statement("other_languages", text, ranked, 0.2, 0.425) == "caregiver_access"
    # the question too unsure, off-topic, or the sentence that pulled the answer asks too: no other question
    assert question_beside_statement("other_languages", text, [{**ranked[0], "confidence": 0.1}, ranked[1]], 0.2,
                                     0.425) is None  # fmt: skip
    assert question_beside_statement("other_languages", text, [{**ranked[0], "off_topic": 0.9}, ranked[1]], 0.2,
                                     0.425) is None  # fmt: skip
    asking = "et apres je pourrai voir ses documents ? et ca existe en turc ?"
    assert question_beside_statement("other_languages", asking, ranked, 0.2, 0.425) is None
    # a question joined to the next one asks too, its question mark at the end of the second
    joined = "c'est obligé et est-ce que c'est payant ?"
    assert asking_sentences(joined) == [True, True]
    assert question_beside_statement("is_it_mandatory", joined, [{"label": "faq/is_it_mandatory", "confidence": 0.6},
                                     {"label": "faq/is_it_free", "confidence": 0.9}], 0.2, 0.425) is None
    # ``alone``: the only sentence that asks (« si elle regarde mon dossier qu'est ce qui se passe ? ca se voit ? »)
    two = "il lit pas bien le francais. je pourrai voir ses documents ? ca se voit ?"
    ranked_two = [ranked[1], ranked[0], {"label": "faq/sensitive_care_visibility", "confidence": 0.97}]
    assert question_beside_statement("other_languages", two, ranked_two, 0.2, 0.425) == "sensitive_care_visibility"
    assert question_beside_statement("other_languages", two, ranked_two, 0.2, 0.425, alone=True) is None
    assert question_beside_statement("other_languages", text, ranked, 0.2, 0.425, alone=True) == "caregiver_access"
    # one sentence, or a ranking cut otherwise: nothing
    assert question_beside_statement("other_languages", "et apres moi je pourrai voir ses documents ?", ranked[:1],
                                     0.2, 0.425) is None  # fmt: skip
    assert question_beside_statement("other_languages", text, ranked[:1], 0.2, 0.425) is None


def test_a_question_that_says_nothing_of_its_own_asks_about_the_sentence_before():
    """« … J'ai reçu une lettre il y a deux ans avec un code pour mon espace santé mais je l'ai perdue. Que dois je
    faire ? » got the answer for those who clicked a scam link (« Que dois je faire ? » ranked alone, 0.75; a persona of
    76, 7 December 2026)."""
    from bot.answers.respond import says_nothing_of_its_own

    text = ("Mon petit fils ma installé ceci sur la tablette. J'ai reçu une lettre il y a deux ans avec un code pour "
            "mon espace santé mais je l'ai perdue. Que dois je faire ?")
    assert asking_sentences(text) == [False, False, True]
    assert asking_sentences(text, says_nothing_of_its_own) == [False, True, False]
    ranked = [{"label": "child_activation_start", "confidence": 0.29, "off_topic": 0.38},
              {"label": "faq/letter_code_2022", "confidence": 0.17, "off_topic": 0.0},
              {"label": "faq/scam_already_clicked", "confidence": 0.75, "off_topic": 0.16}]  # fmt: skip
    assert question_beside_statement("letter_code_2022", text, ranked, 0.5, 0.425, alone=True) == (
        "scam_already_clicked")  # what it was
    assert question_beside_statement("letter_code_2022", text, ranked, 0.5, 0.425, alone=True,
                                     vague=says_nothing_of_its_own) is None  # fmt: skip
