"""« Plus simple »: the easy-to-read (FALC) text of the answers people need most, its checks and its button."""

from dataclasses import replace
from pathlib import Path

import pytest

from bot.answers import checks
from bot.answers.bank import Bank, load_bank
from bot.answers.render import (
    ADVISOR,
    FRANCE_SERVICES_BUTTON,
    HUMAN_BUTTON,
    MAX_BUTTONS,
    SIMPLE_TITLE,
    buttons_for,
    render,
    simple_payload,
)

ROOT = Path(__file__).resolve().parents[2]
MOST_NEEDED = (
    "activation_steps_overview", "where_to_activate", "activation_requirements", "provisional_code_explained",
    "code_missing", "code_invalid", "no_email", "no_smartphone", "no_computer_no_phone", "login_help",
    "forgot_password", "child_has_profile", "add_baby", "who_can_see", "share_with_doctor", "hide_document",
    "block_professional", "oppose_or_close", "france_services_for_mes", "what_is_france_services", "what_is_mes",
    "is_it_free", "is_it_mandatory",
)  # fmt: skip
GOOD = "Vous pouvez fermer votre espace.\nAllez sur monespacesante.fr.\nBesoin d'aide ?\nAppelez le 3422."


@pytest.fixture(scope="module")
def bank():
    return load_bank(ROOT / "data" / "answers")


def test_at_least_25_answers_have_an_easy_to_read_text_among_them_the_most_needed(bank):
    simple = [unit.id for unit in bank if unit.simple]
    assert len(simple) >= 25
    assert [unit_id for unit_id in MOST_NEEDED if unit_id not in simple] == []


def test_every_easy_to_read_text_passes_the_checks(bank):
    assert {unit.id: checks.check_simple(unit.simple) for unit in bank if checks.check_simple(unit.simple)} == {}
    for unit in bank:
        if unit.simple:
            assert unit.simple != unit.citizen and "(" not in unit.simple, unit.id


@pytest.mark.parametrize(("text", "expected"), [
    (GOOD.replace("Allez sur", "Allez sur le site officiel de Mon espace santé en tapant l'adresse"), "signes"),
    (GOOD.replace("Allez sur monespacesante.fr.", "Allez sur le site. Connectez-vous."), "une seule phrase"),
    (GOOD.replace("votre espace", "votre espace, n° de sécurité sociale en main"), "« n° »"),
    (GOOD.replace("Appelez le 3422.", "Voyez la CPAM."), "« CPAM »"),
    (GOOD.replace("Appelez le 3422.", "Voyez votre caisse."), "aide humaine"),
    (GOOD + "\nhttps://www.monespacesante.fr/questions-frequentes", "lien"),
    (GOOD.replace("Allez sur monespacesante.fr.", "Allez sur le site (monespacesante.fr)."), "parenthèse"),
])  # fmt: skip
def test_the_checks_catch_a_long_line_two_sentences_an_abbreviation_and_a_missing_human(text, expected):
    assert checks.check_simple(GOOD) == []
    problems = checks.check_simple(text)
    assert problems and any(expected in problem for problem in problems)


def test_the_bank_checks_name_the_unit_of_a_bad_easy_to_read_text(bank):
    units = dict(bank.units)
    units["is_it_free"] = replace(units["is_it_free"], simple="Non, c'est gratuit, cf. la loi.\nVoilà.")
    problems = checks.check_units(Bank(units), checks.read_knowledge(ROOT))
    assert problems and all("« is_it_free »" in problem for problem in problems)
    assert any("cf." in problem for problem in problems) and any("aide humaine" in problem for problem in problems)


def test_plus_simple_is_offered_only_where_there_is_an_easy_text_and_not_on_that_text(bank):
    unit = bank.get("code_missing")
    usual = render(unit, bank)
    assert usual.text.startswith(unit.citizen)
    assert usual.buttons[0] == {"title": SIMPLE_TITLE, "payload": simple_payload("code_missing")}
    assert simple_payload("code_missing") == '/faq{"answer": "code_missing", "simple": "oui"}'
    easy = render(unit, bank, simple=True)
    lines = easy.text.splitlines()
    assert easy.text.startswith(unit.simple) and lines[-2] == f"Plus d'infos : {unit.source}"
    assert lines[-1].startswith("Vérifié le ")
    assert easy.buttons == buttons_for(unit, bank) and SIMPLE_TITLE not in [b["title"] for b in easy.buttons]
    without = next(u for u in bank if not u.simple and u.id != "ask_human")
    assert SIMPLE_TITLE not in [b["title"] for b in render(without, bank).buttons]
    assert render(without, bank, simple=True).text.startswith(without.citizen)  # nothing easier: the usual text
    assert SIMPLE_TITLE not in [b["title"] for b in render(unit, bank, ADVISOR).buttons]


def test_with_plus_simple_the_buttons_stay_few_and_keep_a_person(bank):
    for unit in bank:
        if not unit.simple:
            continue
        buttons = render(unit, bank).buttons
        payloads = [b["payload"] for b in buttons]
        assert len(buttons) <= MAX_BUTTONS and payloads.count(simple_payload(unit.id)) == 1, unit.id
        assert HUMAN_BUTTON["payload"] in payloads or FRANCE_SERVICES_BUTTON["payload"] in payloads, unit.id
        easy = [b["payload"] for b in render(unit, bank, simple=True).buttons]
        assert [p for p in easy if p in payloads] == payloads[1:], unit.id  # the easy text keeps the other buttons
