"""Checks on the training data, held-out sentences and domain, without a trained model."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from actions.actions import responses_sent
from bot import catalogue, procedures
from bot.safety import normalize

SYSTEM_INTENTS = {"nlu_fallback"}
URL = re.compile(r"https?://[^\s)»]+")
PERSONAL_DATA = {
    "social security number": re.compile(r"\b[12][ .]?\d{2}[ .]?\d{2}[ .]?\d{2}[ .]?\d{3}[ .]?\d{3}(?:[ .]?\d{2})?\b"),
    "e-mail": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "phone": re.compile(r"(?:\+33|\b0)[1-9](?:[ .-]?\d{2}){4}\b"),
}


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
    short = {i: len({normalize(e) for e in train.get(i, [])}) for i in domain_intents(domain)}
    assert {i: n for i, n in short.items() if n < minimum} == {}


def test_training_intents_are_declared(domain, train):
    assert set(train) - domain_intents(domain) == set()


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
    assert {i: len(held_out.get(i, [])) for i in domain_intents(domain) if len(held_out.get(i, [])) < minimum} == {}
    seen = {normalize(e) for lines in train.values() for e in lines}
    assert [e for lines in held_out.values() for e in lines if normalize(e) in seen] == []


def test_no_personal_data_in_training_or_test_files(train, held_out):
    found = [
        (kind, line)
        for data in (train, held_out)
        for lines in data.values()
        for line in lines
        for kind, pattern in PERSONAL_DATA.items()
        if pattern.search(line)
    ]
    assert found == []


def test_every_answer_intent_has_its_response(domain):
    missing = [i for i in catalogue.ANSWER_INTENTS if f"utter_{i}" not in domain["responses"]]
    assert missing == []


def test_every_response_used_by_actions_exists(domain):
    assert sorted(n for n in responses_sent() if n not in domain["responses"]) == []


def test_step_texts_show_progress(domain):
    for p in procedures.PROCEDURES.values():
        for index in range(len(p.steps)):
            text = domain["responses"][p.step_response(index)][0]["text"]
            assert text.startswith("Étape {step} sur {total}"), p.step_response(index)


def variations(domain):
    for name, items in domain["responses"].items():
        for item in items:
            yield name, item


def test_links_come_from_the_knowledge_file(domain, root):
    knowledge = (root / "docs" / "knowledge" / "mon-espace-sante.md").read_text(encoding="utf-8")
    unknown = [(n, u) for n, v in variations(domain) for u in URL.findall(v.get("text", "")) if u not in knowledge]
    assert unknown == []


def test_buttons_point_to_declared_intents(domain):
    intents = domain_intents(domain)
    bad = [
        (name, b["payload"])
        for name, v in variations(domain)
        for b in v.get("buttons", [])
        if not b["payload"].startswith("/") or b["payload"][1:] not in intents
    ]
    assert bad == []


def test_answers_are_plain_short_and_give_a_next_step(domain):
    problems = []
    for name in (f"utter_{i}" for i in catalogue.ANSWER_INTENTS):
        for v in domain["responses"][name]:
            text = v.get("text", "")
            if "**" in text or "#" in text:
                problems.append((name, "markdown"))
            if len(text.splitlines()) > 14:
                problems.append((name, "too long"))
            if not v.get("buttons"):
                problems.append((name, "no buttons"))
            if "Plus d'infos : https://" not in text:
                problems.append((name, "no official link"))
            human = "3422" in text or "France Services" in text
            if not human and all(b["payload"] != "/ask_human" for b in v.get("buttons", [])):
                problems.append((name, "no way to a human"))
    assert problems == []


def test_the_assistant_never_asks_for_secrets(domain):
    asking = re.compile(
        r"(donnez|envoyez|indiquez|tapez|écrivez)[- ]moi .*(code|mot de passe|numéro de sécurité)", re.I
    )
    assert [n for n, v in variations(domain) if asking.search(v.get("text", ""))] == []
