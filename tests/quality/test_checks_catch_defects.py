"""`make validate`: the project's checks pass on the real data and each catches a planted defect in a copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.answers.bank import load_bank
from tools import quality

ROOT = Path(__file__).resolve().parents[2]


def test_the_real_data_passes_every_check():
    assert quality.run_all(ROOT) == {name: [] for name in quality.CHECKS}


@pytest.fixture
def copy(tmp_path) -> Path:
    """The files the checks read, copied so that a defect can be planted."""
    for relative in ("domain", "data/nlu", "data/answers", "tests/nlu", "config/thresholds.yml", "docs/knowledge",
                     "config/responses_without_link.yml"):  # fmt: skip
        source, target = ROOT / relative, tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    return tmp_path


def append_examples(path: Path, intent: str, *examples: str) -> None:
    block = f"\n- intent: {intent}\n  examples: |\n" + "".join(f"    - {e}\n" for e in examples)
    path.write_text(path.read_text(encoding="utf-8") + block, encoding="utf-8")


def test_a_response_without_link_or_reason_is_caught(copy):
    domain = copy / "domain" / "guides.yml"  # utter_clarify_failed quotes the hours: generated there
    text = domain.read_text(encoding="utf-8")
    start = text.index("  utter_clarify_failed:")
    block = text[start:].replace("Plus d'infos : https://www.monespacesante.fr/questions-frequentes", "Voilà.", 1)
    domain.write_text(text[:start] + block, encoding="utf-8")
    problems = quality.check_links(copy)
    assert len(problems) == 1 and "pas de lien officiel" in problems[0]


def test_a_link_from_nowhere_is_caught(copy):
    domain = copy / "domain" / "guides.yml"
    text = domain.read_text(encoding="utf-8").replace("https://www.monespacesante.fr/questions-frequentes",
                                                      "https://example.com/faq", 1)  # fmt: skip
    domain.write_text(text, encoding="utf-8")
    assert any("https://example.com/faq" in p for p in quality.check_links(copy))


def test_an_intent_short_of_examples_is_caught(copy):
    data = yaml.safe_load((copy / "data/nlu/help.yml").read_text(encoding="utf-8"))
    for block in data["nlu"]:
        if block.get("intent") == "find_france_services":
            block["examples"] = "".join(f"- {line.strip()[2:]}\n" for line in block["examples"].splitlines()[:5])
    (copy / "data/nlu/help.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = quality.check_examples(copy)
    assert problems == ["find_france_services : 5 exemples distincts, il en faut 25"]


def test_an_example_in_two_intents_is_caught(copy):
    append_examples(copy / "data/nlu/help.yml", "find_france_services", "Je voudrais activer mon espace santé")
    append_examples(copy / "data/nlu/activation.yml", "activation_start", "je voudrais activer mon espace sante")
    problems = quality.check_duplicates(copy)
    assert len(problems) == 1 and "find_france_services" in problems[0] and "activation_start" in problems[0]


def test_personal_data_in_training_files_is_caught(copy):
    append_examples(copy / "data/nlu/help.yml", "find_france_services", "mon mail c'est jeanne.martin@example.fr")
    append_examples(copy / "tests/nlu/account.yml", "faq/change_contact", "rappelez moi au 06 12 34 56 78")
    problems = quality.check_personal_data(copy)
    assert len(problems) == 2 and "adresse e-mail" in problems[0] + problems[1]


def edit_unit(copy: Path, unit_id: str, **changes) -> None:
    for path in (copy / "data/answers").glob("*.yml"):
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        for unit in content["answers"]:
            if unit["id"] == unit_id:
                unit.update(changes)
                path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
                return
    raise KeyError(unit_id)


@pytest.mark.parametrize(("changes", "fragment"), [
    ({"source": ""}, "pas de source officielle"), ({"checked": None}, "« checked »"),
    ({"source": "https://example.com/faq"}, "ne vient pas de la base"), ({"checked": "2999-01-01"}, "date future"),
    ({"phrasings": ["qui voit mes documents"]}, "formulations distinctes"),
])  # fmt: skip
def test_a_bad_answer_is_caught(copy, changes, fragment):
    edit_unit(copy, "code_missing", **changes)
    problems = quality.check_answer_bank(copy)
    assert any(fragment in p for p in problems), problems


def test_stale_generated_data_is_caught_and_a_late_recheck_only_warns(copy):
    edit_unit(copy, "code_missing", phrasings=[*load_bank(copy / "data/answers").get("code_missing").phrasings, "kod"])
    assert any("answers build" in p for p in quality.check_answer_bank(copy))
    edit_unit(copy, "code_invalid", recheck="2020-01-01")
    assert any("code_invalid" in w and "revérifier" in w for w in quality.bank_warnings(copy))
