"""Guides are data: one file per guide (data/guides) generates domain/guides.yml (bot/guides.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot import guides
from bot import procedures as p
from bot.contact import HOTLINE_HOURS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def copy(tmp_path: Path) -> tuple[Path, Path]:
    """Copies of data/guides and domain/: (guides folder, domain folder)."""
    shutil.copytree(ROOT / "data" / "guides", tmp_path / "guides")
    shutil.copytree(ROOT / "domain", tmp_path / "domain")
    return tmp_path / "guides", tmp_path / "domain"


def edit_guide(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def button_pairs(variation: dict) -> tuple[tuple[str, str], ...]:
    return tuple((b["title"], b["payload"]) for b in variation.get("buttons", []))


def test_generated_domain_is_current():
    generated = ROOT / "domain" / guides.GENERATED_NAME
    assert generated.read_text(encoding="utf-8") == guides.build(), (
        "domain/guides.yml n'est pas à jour : lancez python -m tools guides build"
    )
    assert generated.read_text(encoding="utf-8").startswith("# Generated from data/guides")


def test_every_domain_file_has_the_version_and_no_response_twice():
    for path in sorted((ROOT / "domain").glob("*.yml")):
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["version"] == "3.1", path.name
    domain = guides.load_domain(ROOT / "domain")
    assert {r for procedure in p.PROCEDURES.values() for r in procedure.responses()} <= set(domain["responses"])


def test_adding_a_step_touches_one_file(copy):
    folder, domain_folder = copy
    step = {
        "key": "extra",
        "step": {
            "citizen": "Étape {step} sur {total}\nVérifiez.",
            "advisor": "Étape {step} sur {total}\nFaites vérifier.",
        },
        "help": {"citizen": "Toujours rien ?", "advisor": "L'usager est bloqué ?"},
    }
    edit_guide(folder / "hide_document.yml", lambda data: data["steps"].append(step))
    guides.write(folder, domain_folder)
    responses = guides.load_domain(domain_folder)["responses"]
    advisor, citizen = responses["utter_hide_document_step_extra"]
    assert advisor["condition"] == guides.ADVISOR_CONDITION and "condition" not in citizen
    assert citizen["text"] == "Étape {step} sur {total}\nVérifiez."
    assert button_pairs(advisor) == guides.BUTTONS["step"]["advisor"]
    assert button_pairs(citizen) == guides.BUTTONS["step"]["citizen"]
    advisor, citizen = responses["utter_hide_document_help_extra"]
    assert (button_pairs(advisor), button_pairs(citizen)) == (guides.BUTTONS["help"]["advisor"],
                                                              guides.BUTTONS["help"]["citizen"])  # fmt: skip
    procedure = p.load_all(folder)["hide_document"]
    assert procedure.steps[-1].key == "extra" and procedure.step_response(len(procedure.steps) - 1) in responses
    from rasa.shared.core.domain import Domain  # Rasa reads the directory: the new responses are valid

    assert "utter_hide_document_step_extra" in Domain.load(str(domain_folder)).responses


def test_a_guide_without_an_advisor_text_is_rejected(copy):
    folder, _ = copy
    edit_guide(folder / "activation.yml", lambda data: data["steps"][1]["help"].pop("advisor"))
    with pytest.raises(p.SpecError, match=r"activation.yml: step open \(help\) has no advisor text"):
        p.load_spec(folder / "activation.yml")
    with pytest.raises(p.SpecError, match="advisor"):
        guides.build(folder)


def test_a_problem_without_its_citizen_text_is_rejected(copy):
    folder, _ = copy
    edit_guide(folder / "activation.yml", lambda data: data["problems"]["no_email"].pop("citizen"))
    with pytest.raises(p.SpecError, match="problem no_email has no citizen text"):
        p.load_spec(folder / "activation.yml")


def test_explicit_buttons_replace_or_extend_the_kind_buttons():
    responses = guides.load_domain(ROOT / "domain")["responses"]
    citizen = responses["utter_activation_step_prepare"][1]
    assert button_pairs(citizen)[0] == ("C'est prêt", "/step_done")  # replaced (data/guides/activation.yml)
    advisor = responses["utter_activation_done"][0]
    extra = ("Profil d'un enfant", "/child_activation_start")  # extended (extra_buttons)
    assert button_pairs(advisor) == (*guides.BUTTONS["done"]["advisor"], extra)


def test_the_hotline_hours_are_written_once():
    """Only bot/contact.py writes the hours: data files say {hotline_hours}, Python imports HOTLINE_HOURS."""
    domain = [f for f in sorted((ROOT / "domain").glob("*.yml")) if f.name != guides.GENERATED_NAME]
    sources = {".py", ".html", ".js"}
    code = [f for f in sorted((ROOT / "bot").rglob("*")) if f.suffix in sources and f.name != "contact.py"]
    hand_written = [*sorted((ROOT / "data").rglob("*.yml")), *domain, *code]
    for path in hand_written:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"lundi.{0,30}17h30", text), f"{path.relative_to(ROOT)} : écrivez {{hotline_hours}}"
    generated = (ROOT / "domain" / guides.GENERATED_NAME).read_text(encoding="utf-8")
    assert "{hotline_hours" not in generated and f"3422, {HOTLINE_HOURS}." in generated
    assert '/faq{{"answer": "ask_human"}}' in generated and "Étape {step} sur {total}" in generated
    assert all("{hotline_hours" not in s for procedure in p.PROCEDURES.values() for s in procedure.next_steps)


def test_a_response_defined_twice_in_the_domain_is_an_error(tmp_path):
    (tmp_path / "a.yml").write_text('version: "3.1"\nintents: [a]\nresponses: {utter_x: [{text: x}]}\n')
    (tmp_path / "b.yml").write_text('version: "3.1"\nintents: [b]\nresponses: {utter_x: [{text: y}]}\n')
    with pytest.raises(guides.SpecError, match="utter_x"):
        guides.load_domain(tmp_path)
    (tmp_path / "b.yml").write_text('version: "3.1"\nintents: [b]\nresponses: {utter_y: [{text: y}]}\n')
    assert guides.load_domain(tmp_path)["intents"] == ["a", "b"]
