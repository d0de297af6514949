"""Checks on the answer bank, shared by `make validate` and the tests.

Each check returns problems as French sentences (empty: it passes); warnings do not fail.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from bot.answers.bank import BUTTON_INTENTS, CHILDREN, Answer, Bank
from bot.situation import SITUATIONS
from bot.text import NUMBERED_STEP, normalize

URL = re.compile(r"https?://[^\s)»]+")
SECTION = re.compile(r"^#{2,3} (\d+(?:\.\d+)?)\b", re.M)
UPDATES_HEADING = "## Mises à jour du 3 décembre 2026"
MAX_LINE = 160
MAX_LINES = 12
MIN_PHRASINGS = 12
HUMAN = ("3422", "France Services", "conseiller", "CPAM", "caisse")
# The easy-to-read text (« simple », FALC): short lines, one sentence each, no abbreviation, a way to a person.
SIMPLE_MAX_LINE = 80
SIMPLE_MAX_LINES = 18
SIMPLE_HUMAN = ("3422", "france services")
ABBREVIATIONS = ("n°", "etc.", "cf.", "ex.", "p.ex", "tél.", "rdv", "mdp", "svp", "dmp", "ins")
SPELLED_OUT = {"CPAM": "caisse d'assurance maladie", "MSA": "Mutualité sociale agricole"}
_SENTENCE_END = re.compile(r"[.!?…](?=\s+[^\s»])")  # an end of sentence followed by more text on the line
_ABBREVIATION = {a: re.compile(rf"(?<!\w){re.escape(a)}(?!\w)", re.I) for a in ABBREVIATIONS}


def knowledge_sections(knowledge: str) -> set[str]:
    """Fact sections of the knowledge file (« 2.5 », « 7 »…), plus « MAJ n » for each dated update."""
    sections = set(SECTION.findall(knowledge))
    if UPDATES_HEADING in knowledge:
        updates = knowledge.split(UPDATES_HEADING, 1)[1]
        sections |= {f"MAJ {n}" for n in re.findall(r"^(\d+)\. ", updates, re.M)}
    return sections


# « Oui, un proche peut vous aider » read as « yes, give her your code » (a persona, 7 December 2026): an answer serves
# many questions, so none opens with a yes or a no (README, « Trop long »)
# « Selon les informations disponibles, oui : des soignants peuvent déposer… » read as « yes, the educator sees it »
# (two personas, 7 December 2026): a yes or a no after a hedge too
YES_OR_NO_FIRST = re.compile(r"\s*(?:Oui|Non)\b|\s*[^.:\n]{0,45},\s*(?:oui|non)\s*[:,.!]")
# « (famille : pas d'accès, 9.1) », « (3.4, 4.2) »: the knowledge file's section numbers, which only the team reads
# (an advisor's persona read them in an answer, 7 December 2026); they belong in ``sections``
SECTION_NUMBER = re.compile(r"\b\d{1,2}\.\d{1,2}\)")


def check_units(bank: Bank, knowledge: str) -> list[str]:
    """Each unit is complete: title, texts, source from the knowledge file, known sections and next steps."""
    problems = []
    known_sections = knowledge_sections(knowledge)
    targets = set(bank.units) | set(BUTTON_INTENTS)
    for unit in bank:
        where = f"{unit.file} « {unit.id} »"
        if not unit.title or len(unit.title) > 40:
            problems.append(f"{where} : le titre (bouton) doit faire 1 à 40 signes")
        if not unit.citizen:
            problems.append(f"{where} : pas de texte pour l'usager (« citizen »)")
        if not unit.advisor:
            problems.append(f"{where} : pas de texte pour le conseiller (« advisor »)")
        if not unit.source:
            problems.append(f"{where} : pas de source officielle (« source »)")
        elif unit.source not in knowledge:
            problems.append(f"{where} : la source {unit.source} ne vient pas de la base de connaissances")
        if not unit.sections:
            problems.append(f"{where} : aucune section de la base de connaissances (« sections »)")
        for section in unit.sections:
            if section not in known_sections:
                problems.append(f"{where} : la section « {section} » n'existe pas dans la base de connaissances")
        for target in unit.next:
            if target not in targets:
                problems.append(f"{where} : « next » cite « {target} », qui n'est ni une réponse ni un guide")
        problems += [f"{where} : {problem}" for problem in check_replacements(unit, bank)]
        for name, text in (("citizen", unit.citizen), ("advisor", unit.advisor)):
            lines = text.splitlines()
            if len(lines) > MAX_LINES:
                problems.append(f"{where} : « {name} » a {len(lines)} lignes (au plus {MAX_LINES})")
            if any(len(line) > MAX_LINE for line in lines):
                problems.append(f"{where} : « {name} » a une ligne de plus de {MAX_LINE} signes")
            if URL.search(text):
                problems.append(f"{where} : pas de lien dans « {name} » (la source est ajoutée à la fin)")
        for name, text in (("citizen", unit.citizen), ("advisor", unit.advisor), ("simple", unit.simple or "")):
            if YES_OR_NO_FIRST.match(text):
                problems.append(f"{where} : « {name} » commence par « Oui » ou « Non » (une réponse sert à beaucoup de "
                                "questions : dites le fait)")
            if SECTION_NUMBER.search(text):
                problems.append(f"{where} : « {name} » cite un numéro de section de la base de connaissances (il va "
                                "dans « sections »)")
        problems += [f"{where} : {problem}" for problem in check_simple(unit.simple)]
    return problems


def check_simple(text: str) -> list[str]:
    """The easy-to-read text of a unit (empty: no text, nothing to check) follows the FALC rules the checks can
    see: short lines, one sentence per line, no abbreviation, no link, a way to a person."""
    if not text:
        return []
    problems = []
    lines = text.splitlines()
    if len(lines) > SIMPLE_MAX_LINES:
        problems.append(f"« simple » a {len(lines)} lignes (au plus {SIMPLE_MAX_LINES})")
    for number, line in enumerate(lines, 1):
        if len(line) > SIMPLE_MAX_LINE:
            problems.append(f"« simple », ligne {number} : {len(line)} signes (au plus {SIMPLE_MAX_LINE})")
        if _SENTENCE_END.search(NUMBERED_STEP.sub("", URL.sub("lien", line))):
            problems.append(f"« simple », ligne {number} : une seule phrase par ligne")
    for abbreviation, pattern in _ABBREVIATION.items():
        if pattern.search(text):
            problems.append(f"« simple » : pas d'abréviation comme « {abbreviation} », écrivez le mot en entier")
    for short, spelled in SPELLED_OUT.items():
        if re.search(rf"\b{short}\b", text) and spelled.lower() not in text.lower():
            problems.append(f"« simple » : « {short} » sans l'écrire une fois en entier (« {spelled} »)")
    if URL.search(text):
        problems.append("pas de lien dans « simple » (la source est ajoutée à la fin)")
    if "(" in text:
        problems.append("« simple » : pas de parenthèse, écrivez une phrase de plus")
    if not any(way in text.lower() for way in SIMPLE_HUMAN):
        problems.append("« simple » doit donner une aide humaine : le 3422 ou une France Services")
    return problems


def check_dates(bank: Bank, today: dt.date) -> tuple[list[str], list[str]]:
    """Problems (checked in the future) and warnings (past the re-check date)."""
    problems, warnings = [], []
    for unit in bank:
        where = f"{unit.file} « {unit.id} »"
        if unit.checked > today:
            problems.append(f"{where} : vérifiée le {unit.checked}, une date future")
        if unit.recheck and unit.recheck < today:
            warnings.append(f"{where} : à revérifier depuis le {unit.recheck}")
    return problems, warnings


def check_phrasings(bank: Bank, other_examples: dict[str, list[str]] | None = None) -> list[str]:
    """Enough distinct phrasings per unit, and none shared by two units (or with another intent)."""
    problems = []
    owner: dict[str, str] = {}
    for intent, lines in (other_examples or {}).items():
        for line in lines:
            owner.setdefault(normalize(line), intent)
    for unit in bank:
        distinct = {normalize(p) for p in unit.phrasings}
        if len(distinct) < MIN_PHRASINGS:
            where = f"{unit.file} « {unit.id} »"
            problems.append(f"{where} : {len(distinct)} formulations distinctes (au moins {MIN_PHRASINGS})")
        for key in distinct:
            previous = owner.setdefault(key, unit.id)
            if previous != unit.id:
                problems.append(f"{unit.file} « {unit.id} » : « {key} » est aussi une formulation de « {previous} »")
    return problems


def check_coverage(bank: Bank, knowledge: str) -> list[str]:
    """Every fact section of the knowledge file is reached by at least one unit."""
    covered = {s for unit in bank for s in unit.sections}
    covered |= {s.split(".")[0] for s in covered}
    missing = sorted(s for s in knowledge_sections(knowledge) if (s not in covered and "." in s) or (s.startswith("MAJ")
                     and s not in covered))
    return [f"la section « {s} » de la base de connaissances n'a aucune réponse" for s in missing]


def human_way(unit_text: str, next_steps: tuple[str, ...]) -> bool:
    """The answer offers a person: the hotline or a desk in the text, or a button to one."""
    return any(word in unit_text for word in HUMAN) or bool({"ask_human", "find_france_services"} & set(next_steps))


def read_knowledge(root: Path) -> str:
    return (root / "docs" / "knowledge" / "mon-espace-sante.md").read_text(encoding="utf-8")


def check_replacements(unit: Answer, bank: Bank) -> list[str]:
    """The answers ``unit`` gives way to (``instead``, ``in_situation``, ``denied_premise``, ``for_adult``) exist and
    differ from it; a situation is one bot/situation.py knows; a denial's expression compiles; an answer for adults
    is not one of the children's task."""
    problems = []
    if unit.for_adult is not None and (unit.for_adult not in bank or bank.get(unit.for_adult).task == CHILDREN):
        problems.append(f"« for_adult » donne « {unit.for_adult} » : une réponse de la banque hors de la tâche "
                        "« children » est attendue")
    for asked, given in unit.instead:
        if asked not in bank or given not in bank or asked == given:
            problems.append(f"« instead » remplace « {asked} » par « {given} » : deux réponses différentes de la "
                            "banque sont attendues")
    for name, given in unit.in_situation:
        if name not in SITUATIONS:
            known = ", ".join(SITUATIONS)
            problems.append(f"« in_situation » cite la situation « {name} », inconnue (connues : {known})")
        if given not in bank or given == unit.id:
            problems.append(f"« in_situation » donne « {given} » : une autre réponse de la banque est attendue")
    if unit.denied_premise is not None:
        pattern, given = unit.denied_premise
        try:
            re.compile(pattern)
        except re.error as error:
            problems.append(f"« denied_premise » : l'expression ne se lit pas ({error})")
        if given not in bank or given == unit.id:
            problems.append(f"« denied_premise » donne « {given} » : une autre réponse de la banque est attendue")
    return problems
