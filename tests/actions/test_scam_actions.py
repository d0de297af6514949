"""« Est-ce une arnaque ? »: the form's question and the check, run against hand-built trackers (no Rasa server)."""

from actions import scam as a
from bot import scam
from bot.answers.render import HUMAN_BUTTON, answer_payload
from tests.actions.helpers import build_tracker, run_action, slot_values

SCAM_SMS = "Ameli : votre nouvelle carte vitale est disponible, frais d'envoi 1,90 € : https://ameli-vital.fr/carte"


def test_the_question_asks_for_the_message_in_the_reader_s_wording():
    for audience in ("citizen", "advisor"):
        messages, events = run_action(a.ActionAskPastedMessage(), build_tracker(audience=audience))
        assert messages[0]["text"] == scam.ask_text(audience) and events == []
    assert scam.ask_text("advisor") != scam.ask_text("citizen")


def test_a_pasted_scam_gets_its_warning_signs_the_closing_line_and_buttons():
    tracker = build_tracker(SCAM_SMS, "faq", active_loop="scam_check_form", pasted_message=SCAM_SMS)
    messages, _ = run_action(a.ActionCheckMessage(), tracker)
    text = messages[0]["text"]
    assert "signes d'alerte" in text and "ameli-vital.fr" in text
    assert text.splitlines()[-1] == scam.CLOSING
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert answer_payload("report_phishing") in payloads and HUMAN_BUTTON["payload"] in payloads
    assert "/check_message" in payloads


def test_the_pasted_message_is_forgotten_after_the_check():
    tracker = build_tracker(SCAM_SMS, "faq", pasted_message=SCAM_SMS)
    _, events = run_action(a.ActionCheckMessage(), tracker)
    slots = slot_values(events)
    assert slots["pasted_message"] is None and slots["last_topic"] == "official_email_scam"


def test_advisors_read_what_the_message_shows():
    tracker = build_tracker(SCAM_SMS, "faq", pasted_message=SCAM_SMS, audience="advisor")
    messages, _ = run_action(a.ActionCheckMessage(), tracker)
    assert messages[0]["text"].startswith("Le message montre 3 signes d'alerte :")
    assert messages[0]["text"].splitlines()[-1] == scam.CLOSING


def test_the_action_redacts_the_message_before_checking_it(monkeypatch):
    seen = []

    def spy(text):
        seen.append(text)
        return "[texte masqué]"

    monkeypatch.setattr(a, "redact", spy)
    tracker = build_tracker(SCAM_SMS, "faq", pasted_message=SCAM_SMS)
    messages, _ = run_action(a.ActionCheckMessage(), tracker)
    assert seen == [SCAM_SMS]
    assert messages[0]["text"].startswith("Je n'ai pas pu lire ce message.")  # it checked the redacted text only


def test_personal_data_in_the_pasted_message_never_comes_back():
    pasted = f"{SCAM_SMS} Rappelez le 06 12 34 56 78, écrivez à jeanne.martin@exemple-mail.fr"
    pasted += ", NIR 1 85 05 78 006 084 36"
    messages, _ = run_action(a.ActionCheckMessage(), build_tracker(pasted, "faq", pasted_message=pasted))
    text = messages[0]["text"]
    digits = "".join(c for c in text if c.isdigit())
    assert "12345678" not in digits and "1850578" not in digits and "jeanne" not in text.lower()


def test_no_message_or_a_button_payload_is_not_checked():
    for pasted in (None, "", '/faq{"answer": "ask_human"}'):
        messages, events = run_action(a.ActionCheckMessage(), build_tracker("x", "faq", pasted_message=pasted))
        assert messages[0]["text"].startswith("Je n'ai pas reçu de message à vérifier.")
        assert slot_values(events)["pasted_message"] is None


def test_inside_a_guide_the_check_offers_to_resume():
    tracker = build_tracker(SCAM_SMS, "faq", pasted_message=SCAM_SMS, procedure="activation", procedure_step=2.0)
    messages, _ = run_action(a.ActionCheckMessage(), tracker)
    assert messages[-1].get("response") == "utter_offer_resume"


OWN_QUESTION = "nn c pas une arnaque jcrois, jveux juste activer mon compte, je tape le code ou ??"


def test_the_persons_own_question_typed_instead_of_the_message_is_answered():
    """Newcomers' session, 5 December 2026: « jveux juste activer mon compte » was checked as a received message."""
    tracker = build_tracker(OWN_QUESTION, "activation_start", pasted_message=OWN_QUESTION)
    messages, events = run_action(a.ActionCheckMessage(), tracker)
    assert messages[0]["response"] == scam.NOT_A_MESSAGE_RESPONSE
    assert messages[1]["response"] == "utter_activation_step_prepare"  # the guide's first step, in the same turn
    slots = slot_values(events)
    assert slots["pasted_message"] is None and slots["procedure"] == "activation"


def test_a_received_message_is_still_checked_whatever_the_classifier_says():
    for text, intent, confidence in [
        (SCAM_SMS, "faq", 0.9),  # warning signs: always checked
        ("Votre service Mon espace santé a été créé. Activez-le sur monespacesante.fr", "activation_start", 0.9),
        (OWN_QUESTION, "activation_start", 0.3),  # the classifier is not sure of the question
        (OWN_QUESTION, "out_of_scope", 0.9),  # nothing to answer it with
    ]:
        messages, events = run_action(a.ActionCheckMessage(), build_tracker(text, intent, confidence,
                                                                            pasted_message=text))
        assert messages[0].get("response") != scam.NOT_A_MESSAGE_RESPONSE, text
        assert "procedure" not in slot_values(events), text


def test_an_own_request_says_what_the_person_wants_and_has_no_warning_sign():
    assert scam.is_own_request(OWN_QUESTION, scam.check(OWN_QUESTION))
    assert scam.is_own_request("jsp ou mettre le code", scam.check("jsp ou mettre le code"))
    for text in [SCAM_SMS, "Bonjour, je voudrais votre mot de passe pour mettre à jour votre dossier",
                 "Votre espace va être suspendu", "", "x" * 300 + " je veux activer"]:
        assert not scam.is_own_request(text, scam.check(text)), text
    assert not scam.is_own_request(None, scam.check(None))
