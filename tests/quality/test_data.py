"""Checks on the training data, held-out sentences and domain, without a trained model."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from actions.actions import responses_sent
from bot import procedures
from bot.privacy import find_personal_data
from bot.safety import normalize

SYSTEM_INTENTS = {"nlu_fallback"}
URL = re.compile(r"https?://[^\s)»]+")


def read_examples(folder: Path) -> dict[str, list[str]]:
    examples: dict[str, list[str]] = defaultdict(list)
    for path in sorted(folder.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in block:
                lines = [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]
                examples[block["intent"]] += lines
    return examples


@pytest.fixture(scope="module")
def train(root):
    return read_examples(root / "data" / "nlu")


@pytest.fixture(scope="module")
def held_out(root):
    return read_examples(root / "tests" / "nlu")


def domain_intents(domain) -> set[str]:
    return {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}


def test_every_intent_has_enough_distinct_examples(domain, train, thresholds):
    minimum = thresholds["nlu"]["min_examples_per_intent"]
    # the answers' examples are the bank's phrasings (tests/quality/test_answer_bank.py)
    intents = domain_intents(domain) - set(thresholds["nlu"]["payload_only_intents"]) - {"faq"}
    short = {i: len({normalize(e) for e in train.get(i, [])}) for i in intents}
    assert {i: n for i, n in short.items() if n < minimum} == {}


def test_payload_only_intents_have_no_examples(domain, train, held_out, thresholds):
    payload_only = set(thresholds["nlu"]["payload_only_intents"])
    assert payload_only <= domain_intents(domain)
    assert payload_only & (set(train) | set(held_out)) == set()


def test_training_intents_are_declared(domain, train):
    assert {intent.split("/", 1)[0] for intent in train} - domain_intents(domain) == set()


def test_no_example_belongs_to_two_intents(train):
    owner: dict[str, str] = {}
    clashes = []
    for intent, lines in train.items():
        for line in lines:
            key = normalize(line)
            if owner.setdefault(key, intent) != intent:
                clashes.append((line, owner[key], intent))
    assert clashes == []


def test_held_out_sentences_cover_every_intent_and_are_not_in_training(domain, train, held_out, thresholds):
    minimum = thresholds["nlu"]["min_test_examples_per_intent"]
    intents = domain_intents(domain) - set(thresholds["nlu"]["payload_only_intents"]) - {"faq"}
    assert {i: len(held_out.get(i, [])) for i in intents if len(held_out.get(i, [])) < minimum} == {}
    seen = {normalize(e) for lines in train.values() for e in lines}
    assert [e for lines in held_out.values() for e in lines if normalize(e) in seen] == []


def test_no_personal_data_in_training_or_test_files(train, held_out):
    """The same detectors as the product (bot.privacy), not a copy of their rules."""
    found = [
        (kinds, line)
        for data in (train, held_out)
        for lines in data.values()
        for line in lines
        if (kinds := find_personal_data(line))
    ]
    assert found == []


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


def test_links_come_from_the_knowledge_file(domain, root):
    knowledge = (root / "docs" / "knowledge" / "mon-espace-sante.md").read_text(encoding="utf-8")
    unknown = [(n, u) for n, v in variations(domain) for u in URL.findall(v.get("text", "")) if u not in knowledge]
    assert unknown == []


def payload_is_valid(payload: str, intents: set[str], entities: set[str]) -> bool:
    """``/intent`` or ``/intent{{"entity": "value"}}`` with a declared intent and entities.

    Braces are doubled in the domain: Rasa reads single braces in responses as slot placeholders.
    """
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
    intents, entities = domain_intents(domain), set(domain.get("entities", []))
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
    assert problems == []


def test_the_assistant_never_asks_for_secrets(domain):
    asking = re.compile(
        r"(donnez|envoyez|indiquez|tapez|écrivez)[- ]moi .*(code|mot de passe|numéro de sécurité)", re.I
    )
    assert [n for n, v in variations(domain) if asking.search(v.get("text", ""))] == []
