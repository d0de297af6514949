"""``python -m tools review append``: the groups a maintainer labelled in to_label.yml -> training data.

A group labelled with an answer of the bank (its id, or ``faq/<id>``) joins that answer's phrasings in
``data/answers/`` (then ``python -m tools answers build`` regenerates the NLU data); a group labelled with
another intent goes to ``data/nlu/reviewed.yml``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.answers.bank import BANK_FOLDER, RETRIEVAL_INTENT, load_bank
from bot.answers.edit import add_phrasings
from bot.guides import load_domain
from bot.privacy import MASKED, PLACEHOLDERS, TRUNCATED, find_personal_data
from bot.text import normalize

ROOT = Path(__file__).resolve().parents[2]
NLU = ROOT / "data" / "nlu"
HELD_OUT = ROOT / "tests" / "nlu"
DOMAIN = ROOT / "domain"  # the domain directory (domain/*.yml, merged as Rasa does)
THRESHOLDS = ROOT / "config" / "thresholds.yml"
BANK = ROOT / BANK_FOLDER
TARGET = "reviewed.yml"
HEADER = "# Exemples tirés de vraies conversations, étiquetés par un mainteneur (python -m tools review append).\n"
_MASK = re.compile("|".join(re.escape(p) for p in [*PLACEHOLDERS.values(), TRUNCATED, MASKED]))


class LabelError(ValueError):
    """A problem the maintainer must fix first; the message is in French and nothing was written."""


@dataclass
class AppendResult:
    path: Path
    added: dict[str, list[str]] = field(default_factory=dict)
    duplicates: int = 0
    masked: int = 0
    held_out: int = 0
    bank_files: list[Path] = field(default_factory=list)

    def message(self) -> str:
        """« 12 exemples ajoutés à data/nlu/reviewed.yml (3 intentions), 2 doublons ignorés »."""

        def count(n: int, word: str, verb: str = "") -> str:
            s = "s" if n > 1 else ""
            return f"{n} {word}{s}" + (f" {verb}{s}" if verb else "")

        n = sum(len(v) for v in self.added.values())
        text = f"{count(n, 'exemple', 'ajouté')} à {_shown(self.path)} ({count(len(self.added), 'intention')})"
        text += f", {count(self.duplicates, 'doublon', 'ignoré')}"
        if self.masked:
            text += f", {count(self.masked, 'exemple', 'ignoré')} (donnée masquée ou personnelle)"
        if self.held_out:
            text += f", {count(self.held_out, 'phrase', 'ignorée')} (déjà dans les phrases de test tests/nlu)"
        if self.bank_files:
            text += " ; réponses de la banque complétées : " + ", ".join(_shown(p) for p in self.bank_files)
            text += " (lancez « python -m tools answers build »)"
        return text


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _load(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise LabelError(f"impossible de lire {path} ({type(error).__name__})") from None


def _lines(examples: Any) -> list[str]:
    items = examples.splitlines() if isinstance(examples, str) else examples if isinstance(examples, list) else []
    lines = [str(item).strip() for item in items]
    return [line[2:].strip() if line.startswith("- ") else line for line in lines if line and line != "-"]


def read_examples(folder: Path) -> dict[str, list[str]]:
    """Intent -> examples of every NLU file of ``folder``."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.yml")):
        for block in (_load(path) or {}).get("nlu") or []:
            if isinstance(block, dict) and "intent" in block:
                found.setdefault(block["intent"], []).extend(_lines(block.get("examples")))
    return found


def _unit_id(label: str, units: set[str]) -> str:
    """« code_missing » or « faq/code_missing » -> « faq/code_missing » when it is an answer of the bank."""
    plain = label.split("/", 1)[1] if label.startswith(f"{RETRIEVAL_INTENT}/") else label
    return f"{RETRIEVAL_INTENT}/{plain}" if plain in units else label


def read_labels(path: Path) -> list[tuple[str, list[str]]]:
    """(intent, examples) of every group whose ``intent`` was filled in."""
    groups = _load(path) or []
    if not isinstance(groups, list) or not all(isinstance(g, dict) for g in groups):
        raise LabelError(f"{path} n'a pas le format attendu (une liste de groupes, "
                         "comme l'écrit python -m tools review)")
    return [(str(g["intent"]).strip(), _lines(g.get("examples"))) for g in groups if str(g.get("intent") or "").strip()]


def render(blocks: dict[str, list[str]], others: list[Any]) -> str:
    """An NLU file in Rasa's format, one block per intent."""
    lines = [HEADER.rstrip("\n"), 'version: "3.1"', "nlu:"]
    for intent, examples in blocks.items():
        lines += [f"- intent: {intent}", "  examples: |", *(f"    - {e}" for e in examples)]
    text = "\n".join(lines) + "\n"
    return text + (yaml.safe_dump(others, allow_unicode=True, sort_keys=False) if others else "")


def append_labels(
    to_label: Path,
    nlu_folder: Path = NLU,
    domain: Path = DOMAIN,
    held_out: Path = HELD_OUT,
    thresholds: Path = THRESHOLDS,
    bank_folder: Path = BANK,
) -> AppendResult:
    """Append the labelled examples to the bank or to ``nlu_folder``/reviewed.yml; raises LabelError before
    writing anything."""
    bank = list(load_bank(bank_folder)) if bank_folder.exists() else []
    units = {u.id for u in bank}
    labels = [(_unit_id(i, units), examples) for i, examples in read_labels(to_label)]
    intents = {i if isinstance(i, str) else next(iter(i)) for i in load_domain(domain).get("intents", [])}
    intents |= {f"{RETRIEVAL_INTENT}/{u}" for u in units}
    settings = ((_load(thresholds) or {}).get("nlu") or {}) if thresholds.exists() else {}
    payload_only = set(settings.get("payload_only_intents") or [])  # sent by buttons only: no examples allowed
    unknown = sorted({i for i, _ in labels} - intents)
    buttons = sorted({i for i, _ in labels} & payload_only)
    problems = [f"intention(s) absente(s) du domaine (domain/) : {', '.join(unknown)}"] if unknown else []
    problems += [f"intention(s) réservée(s) aux boutons, sans exemples : {', '.join(buttons)}"] if buttons else []
    if problems:
        raise LabelError(" ; ".join(problems) + f". Corrigez {to_label} : rien n'a été écrit.")
    target = nlu_folder / TARGET
    result = AppendResult(target)
    known = {normalize(e) for examples in read_examples(nlu_folder).values() for e in examples}
    known |= {normalize(p) for unit in bank for p in unit.phrasings}
    tests = {normalize(e) for examples in read_examples(held_out).values() for e in examples}
    for intent, examples in labels:
        for example in examples:
            key = normalize(example)
            if _MASK.search(example) or find_personal_data(example):
                result.masked += 1
            elif not key or key in known:
                result.duplicates += 1
            elif key in tests:
                result.held_out += 1
            else:
                known.add(key)
                result.added.setdefault(intent, []).append(example)
    answers = {i.split("/", 1)[1]: e for i, e in result.added.items() if i.startswith(f"{RETRIEVAL_INTENT}/")}
    if answers:
        result.bank_files = add_phrasings(answers, bank_folder)
    intents_added = {i: e for i, e in result.added.items() if not i.startswith(f"{RETRIEVAL_INTENT}/")}
    if intents_added:
        current = ((_load(target) or {}).get("nlu") or []) if target.exists() else []
        blocks: dict[str, list[str]] = {}
        for block in current:
            if isinstance(block, dict) and "intent" in block:
                blocks.setdefault(block["intent"], []).extend(_lines(block.get("examples")))
        for intent, examples in intents_added.items():
            blocks.setdefault(intent, []).extend(examples)
        others = [b for b in current if not (isinstance(b, dict) and "intent" in b)]
        temporary = target.with_suffix(".yml.tmp")
        temporary.write_text(render(blocks, others), encoding="utf-8")
        os.replace(temporary, target)
    return result
