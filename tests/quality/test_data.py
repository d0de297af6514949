"""Checks on the training data, held-out sentences and domain, without a trained model."""

from __future__ import annotations

import json
import re

import pytest

from actions.actions import responses_sent
from bot import procedures
from tools import quality


@pytest.mark.parametrize("check", sorted(quality.CHECKS))
def test_the_project_check_passes(check, root):
    """The checks of `make validate` (tools/quality.py), one implementation: examples per intent,
    duplicates and held-out sentences, personal data, official links, the answer bank."""
    assert quality.CHECKS[check](root) == []


@pytest.fixture(scope="module")
def train(root):
    return {intent: [e for e, _ in lines] for intent, lines in quality.read_examples(root / "data" / "nlu").items()}


@pytest.fixture(scope="module")
def held_out(root):
    return {intent: [e for e, _ in lines] for intent, lines in quality.read_examples(root / "tests" / "nlu").items()}


def test_payload_only_intents_have_no_examples(domain, train, held_out, thresholds):
    payload_only = set(thresholds["nlu"]["payload_only_intents"])
    assert payload_only <= quality.domain_intents(domain)
    assert payload_only & (set(train) | set(held_out)) == set()


def test_every_response_used_by_actions_exists(domain):
    assert sorted(n for n in responses_sent() if n not in domain["responses"]) == []


def test_step_texts_show_progress(domain):
    for p in procedures.PROCEDURES.values():
        for index in range(len(p.steps)):
            for variation in domain["responses"][p.step_response(index)]:
                assert variation["text"].startswith("Étape {step} sur {total}"), p.step_response(index)


def variations(domain):
    for name, items in domain["responses"].items():
        for item in items:
            yield name, item


# Buttons of the France Services search that answer its question in words: the form reads them as text
# (bot/france_services/dialogue.py), as if typed.
TEXT_PAYLOADS = {"Je ne sais pas", "Arrêter"}


def payload_is_valid(payload: str, intents: set[str], entities: set[str]) -> bool:
    """``/intent`` or ``/intent{{"entity": "value"}}`` with a declared intent and entities.

    Braces are doubled in the domain: Rasa reads single braces in responses as slot placeholders.
    """
    if payload in TEXT_PAYLOADS:
        return True
    payload = payload.replace("{{", "{").replace("}}", "}")
    match = re.fullmatch(r"/(\w+)(\{.*\})?", payload)
    if not match or match.group(1) not in intents:
        return False
    if match.group(2) is None:
        return True
    try:
        values = json.loads(match.group(2))
    except ValueError:
        return False
    return isinstance(values, dict) and set(values) <= entities


def test_buttons_point_to_declared_intents(domain):
    intents, entities = quality.domain_intents(domain), set(domain.get("entities", []))
    bad = [
        (name, b["payload"])
        for name, v in variations(domain)
        for b in v.get("buttons", [])
        if not payload_is_valid(b["payload"], intents, entities)
    ]
    assert bad == []


def test_advisor_menu_starts_existing_procedures(domain):
    payloads = [b["payload"] for v in domain["responses"]["utter_audience_welcome"] for b in v.get("buttons", [])]
    started = set()
    for payload in payloads:
        if payload.startswith("/start_procedure"):
            plain = payload.replace("{{", "{").replace("}}", "}")
            started.add(json.loads(plain[plain.index("{") :])["procedure"])
    assert started == set(procedures.PROCEDURES)


ADVISOR = [{"type": "slot", "name": "audience", "value": "advisor"}]


def test_every_procedure_text_has_an_advisor_and_a_citizen_wording(domain):
    problems = []
    for procedure in procedures.PROCEDURES.values():
        for name in procedure.responses():
            items = domain["responses"].get(name, [])
            advisor = [v for v in items if v.get("condition") == ADVISOR]
            citizen = [v for v in items if not v.get("condition")]
            if len(advisor) != 1 or len(citizen) != 1:
                problems.append((name, "needs one advisor and one citizen variation"))
            elif advisor[0]["text"] == citizen[0]["text"]:
                problems.append((name, "same wording for both"))
    assert problems == []


def test_an_advisor_declined_is_not_sent_to_a_france_services(domain):
    """An advisor in Sedan who asked about the ANTS was told « vous faire aider dans une France Services »."""
    variations = domain["responses"]["utter_out_of_scope"]
    advisor = [v for v in variations if v.get("condition") == ADVISOR]
    citizen = [v for v in variations if not v.get("condition")]
    assert len(advisor) == 1 and len(citizen) == 1
    assert "France Services" not in advisor[0]["text"] and "France Services" in citizen[0]["text"]


def test_refer_problems_give_the_next_action_and_never_loop(domain):
    problems = []
    for procedure in procedures.PROCEDURES.values():
        for problem in procedure.problems.values():
            for v in domain["responses"][procedure.problem_response(problem.key)]:
                payloads = [b["payload"] for b in v.get("buttons", [])]
                if problem.outcome == "refer" and ("/step_done" in payloads or "/step_failed" in payloads):
                    problems.append((problem.key, "a problem that cannot be solved here must not loop"))
                if "3422" not in v["text"] and "https://" not in v["text"] and problem.outcome == "refer":
                    problems.append((problem.key, "no next action"))
                if v.get("condition") and "/find_france_services" in payloads:  # an advisor is in a France Services
                    problems.append((problem.key, "another France Services offered to an advisor"))
    assert problems == []


def test_the_assistant_never_asks_for_secrets(domain):
    asking = re.compile(
        r"(donnez|envoyez|indiquez|tapez|écrivez)[- ]moi .*(code|mot de passe|numéro de sécurité)", re.I
    )
    assert [n for n, v in variations(domain) if asking.search(v.get("text", ""))] == []
