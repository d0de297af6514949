"""The project's own checks on training data and responses (`make validate`, `python -m tools validate`).

Each check reads a project folder (the repository, or a copy in a test) and returns problems as
French sentences; an empty list means the check passes.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bot.answers.bank import RETRIEVAL_INTENT
from bot.guides import load_domain
from bot.privacy import find_personal_data
from bot.text import normalize

URL = re.compile(r"https?://[^\s)»]+")
LINK_EXEMPTIONS = Path("config") / "responses_without_link.yml"
THRESHOLDS = Path("config") / "thresholds.yml"
KNOWLEDGE = Path("docs") / "knowledge" / "mon-espace-sante.md"


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def read_examples(folder: Path) -> dict[str, list[tuple[str, str]]]:
    """Intent -> [(example, file name)] for every NLU file of ``folder``."""
    examples: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path in sorted(folder.glob("*.yml")):
        for block in _yaml(path).get("nlu", []) or []:
            if isinstance(block, dict) and "intent" in block and isinstance(block.get("examples"), str):
                for line in block["examples"].splitlines():
                    if line.strip().startswith("- "):
                        examples[block["intent"]].append((line.strip()[2:].strip(), path.name))
    return examples


def domain_intents(domain: dict[str, Any]) -> set[str]:
    return {i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents", [])}


def check_links(root: Path) -> list[str]:
    """Every response variation has an official link from the knowledge file, or an exemption that says why."""
    domain = load_domain(root / "domain")
    knowledge = (root / KNOWLEDGE).read_text(encoding="utf-8")
    exemptions: dict[str, dict[str, str]] = _yaml(root / LINK_EXEMPTIONS)
    problems, used = [], set()
    for name, variations in (domain.get("responses") or {}).items():
        for variation in variations:
            text = variation.get("text") or ""
            links = [u.rstrip(".,;") for u in URL.findall(text)]
            for link in links:
                if link not in knowledge:
                    problems.append(f"{name} : le lien {link} ne vient pas de la base de connaissances")
            if links:
                continue
            rule = next((p for p in exemptions if fnmatch.fnmatchcase(name, p)), None)
            if rule is None:
                problems.append(f"{name} : pas de lien officiel, et aucune raison dans {LINK_EXEMPTIONS}")
                continue
            used.add(rule)
            needed = (exemptions[rule] or {}).get("must_contain")
            if needed and needed not in text:
                problems.append(f"{name} : sans lien, la réponse doit au moins contenir « {needed} »")
    problems += [f"{LINK_EXEMPTIONS} : « {p} » ne sert plus, retirez-le" for p in exemptions if p not in used]
    return problems


def check_examples(root: Path) -> list[str]:
    """Every intent has its minimum number of distinct training and held-out examples."""
    thresholds = _yaml(root / THRESHOLDS)["nlu"]
    domain = load_domain(root / "domain")
    # the answers' examples (faq/<id>) are the bank's phrasings, checked by check_answer_bank
    intents = domain_intents(domain) - set(thresholds.get("payload_only_intents", [])) - {RETRIEVAL_INTENT}
    train, held_out = read_examples(root / "data" / "nlu"), read_examples(root / "tests" / "nlu")
    need_train, need_test = thresholds["min_examples_per_intent"], thresholds["min_test_examples_per_intent"]
    problems = []
    for intent in sorted(intents):
        distinct = len({normalize(e) for e, _ in train.get(intent, [])})
        if distinct < need_train:
            problems.append(f"{intent} : {distinct} exemples distincts, il en faut {need_train}")
        tests = len(held_out.get(intent, []))
        if tests < need_test:
            problems.append(f"{intent} : {tests} phrases de test, il en faut {need_test}")
    unknown = sorted({i.split("/", 1)[0] for i in train} - domain_intents(domain))
    return problems + [f"{intent} : exemples d'une intention absente du domaine" for intent in unknown]


def check_duplicates(root: Path) -> list[str]:
    """No example belongs to two intents; no held-out sentence is in the training data."""
    owner: dict[str, tuple[str, str]] = {}
    problems = []
    for intent, examples in read_examples(root / "data" / "nlu").items():
        for example, file in examples:
            key = normalize(example)
            first = owner.setdefault(key, (intent, file))
            if first[0] != intent:
                problems.append(f"« {example} » est dans {first[0]} ({first[1]}) et dans {intent} ({file})")
    for intent, examples in read_examples(root / "tests" / "nlu").items():
        for example, file in examples:
            if normalize(example) in owner:
                problems.append(f"phrase de test aussi apprise : « {example} » (tests/nlu/{file}, {intent})")
    return problems


def check_personal_data(root: Path) -> list[str]:
    """No social security number, e-mail, phone, code or street address in training or test files."""
    problems = []
    for folder in (root / "data" / "nlu", root / "tests" / "nlu"):
        for intent, examples in read_examples(folder).items():
            for example, file in examples:
                kinds = find_personal_data(example)
                if kinds:
                    problems.append(f"{file} ({intent}) : donnée personnelle ({', '.join(kinds)}) dans « {example} »")
    return problems


def check_answer_bank(root: Path) -> list[str]:
    """The answer bank: complete units with an official source and a checked date, distinct phrasings,
    every fact section reached, and data/nlu/answers.yml generated from it."""
    from bot.answers import checks
    from bot.answers.bank import BANK_FOLDER, BankError, load_bank
    from bot.answers.build import NLU_FILE, is_current

    try:
        bank = load_bank(root / BANK_FOLDER)
    except BankError as error:
        return [str(error)]
    knowledge = checks.read_knowledge(root)
    others = {i: [e for e, _ in lines] for i, lines in read_examples(root / "data" / "nlu").items() if "/" not in i}
    problems = checks.check_units(bank, knowledge) + checks.check_phrasings(bank, others)
    problems += checks.check_coverage(bank, knowledge) + checks.check_dates(bank, dt.date.today())[0]
    if not is_current(bank, root):
        problems.append(f"{NLU_FILE} n'est pas à jour : lancez « python -m tools answers build »")
    return problems


def bank_warnings(root: Path) -> list[str]:
    """Answers past their re-check date: `make validate` shows them without failing."""
    from bot.answers import checks
    from bot.answers.bank import BANK_FOLDER, BankError, load_bank

    try:
        return checks.check_dates(load_bank(root / BANK_FOLDER), dt.date.today())[1]
    except BankError:
        return []


CHECKS: dict[str, Callable[[Path], list[str]]] = {
    "banque de réponses": check_answer_bank,
    "liens officiels": check_links,
    "exemples par intention": check_examples,
    "doublons": check_duplicates,
    "données personnelles": check_personal_data,
}


def run_all(root: Path) -> dict[str, list[str]]:
    """Every check's problems, by check name."""
    return {name: check(root) for name, check in CHECKS.items()}
