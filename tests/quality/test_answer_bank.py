"""The shipped answer bank (data/answers): complete, sourced, dated, covering the knowledge file, and each
reply short, plain, with its official link, a next step and a way to a person. The checks are the ones
`make validate` runs (bot/answers/checks.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.answers import checks
from bot.answers.bank import TASKS, load_bank
from bot.answers.build import is_current
from bot.answers.render import render
from tools.evaluation.scoring import DECLINE_MARKERS
from tools.quality import read_examples

MIN_UNITS = 200


@pytest.fixture(scope="module")
def bank(root):
    return load_bank(root / "data" / "answers")


@pytest.fixture(scope="module")
def knowledge(root):
    return checks.read_knowledge(root)


def test_the_bank_is_big_and_covers_every_task(bank):
    assert len(bank) >= MIN_UNITS
    assert {unit.task for unit in bank} == set(TASKS)


def test_every_unit_is_complete_and_sourced_from_the_knowledge_file(bank, knowledge):
    assert checks.check_units(bank, knowledge) == []


def test_every_fact_section_of_the_knowledge_file_has_an_answer(bank, knowledge):
    assert checks.check_coverage(bank, knowledge) == []
    assert "## Mises à jour du 3 décembre 2026" in knowledge  # the updates of the shared knowledge file


def test_dates_are_checked_and_rechecks_are_reported(bank):
    problems, _ = checks.check_dates(bank, dt.date.today())
    assert problems == []


def test_phrasings_are_many_and_never_shared(bank, root):
    others = {i: [e for e, _ in lines] for i, lines in read_examples(root / "data" / "nlu").items() if "/" not in i}
    assert checks.check_phrasings(bank, others) == []


def test_the_generated_nlu_data_is_current(bank, root):
    assert is_current(bank, root), "lancez « python -m tools answers build »"


@pytest.mark.parametrize("audience", ["citizen", "advisor"])
def test_every_reply_is_short_plain_linked_dated_and_offers_a_person(bank, audience):
    problems = []
    for unit in bank:
        reply = render(unit, bank, audience)
        lines = reply.text.splitlines()
        if "**" in reply.text or re.search(r"(?m)^#", reply.text):
            problems.append((unit.id, "markdown"))
        if len(lines) > checks.MAX_LINES + 2:
            problems.append((unit.id, "too long"))
        if not lines[-2].startswith("Plus d'infos : https://") or not lines[-1].startswith("Vérifié le "):
            problems.append((unit.id, "no official link or date"))
        if not reply.buttons:
            problems.append((unit.id, "no next step"))
        payloads = [b["payload"] for b in reply.buttons]
        if not checks.human_way(reply.text, ()) and not any("ask_human" in p or "find_france" in p for p in payloads):
            problems.append((unit.id, "no way to a person"))
    assert problems == []


def test_advisors_read_their_own_wording(bank):
    assert [u.id for u in bank if u.advisor.strip() == u.citizen.strip()] == []
    telling_to_go = re.compile(r"allez (dans|à) une France Services", re.I)
    assert [u.id for u in bank if telling_to_go.search(u.advisor)] == []


def test_off_topic_answers_decline_first(bank):
    declining = [u for u in bank if u.declines]
    assert declining and all(u.task == "off_topic" for u in declining)
    assert [u.id for u in declining if not u.citizen.startswith(DECLINE_MARKERS)] == []
    assert [u.id for u in bank if not u.declines and u.citizen.startswith(DECLINE_MARKERS)] == []


def test_no_answer_asks_for_secrets(bank):
    asking = re.compile(r"(donnez|envoyez|indiquez|tapez|écrivez)[- ]moi .*(code|mot de passe|numéro de sécu)", re.I)
    assert [u.id for u in bank for text in (u.citizen, u.advisor) if asking.search(text)] == []
