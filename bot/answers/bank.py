"""The answer bank: one unit per question a person asks, kept as data in ``data/answers/*.yml``.

A unit holds everything about one answer: the phrasings people use, the citizen text (and, optionally,
the same text in easy-to-read French, ``simple``), the advisor text, the next steps offered as buttons,
the official source link and the date its facts were last checked. Rasa's NLU data for the answers is generated from it
(``python -m tools answers build``), and the answer is rendered by ``bot.answers.render``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.contact import expand

BANK_FOLDER = Path("data") / "answers"
# The tasks people come for; every unit belongs to one (the evaluation reports by task).
TASKS = ("activation", "children", "sharing", "closing", "account", "help", "off_topic")
CHILDREN = "children"  # the task whose answers are about minors (``Answer.for_adult``)
# Intents that buttons may offer besides answer units (guides, the France Services search).
BUTTON_INTENTS = {
    "activation_start": "Activer pas à pas",
    "child_activation_start": "Profil d'un enfant pas à pas",
    "find_france_services": "Trouver une France Services",
    "check_message": "Vérifier un message reçu",
    "prepare_visit": "Préparer ma visite",
}
RETRIEVAL_INTENT = "faq"
_ID = re.compile(r"^[a-z][a-z0-9_]{2,59}$")


class BankError(ValueError):
    """The bank cannot be read: the message says which file and unit, in French."""


@dataclass(frozen=True)
class Answer:
    """One answer unit."""

    id: str
    task: str
    title: str
    sections: tuple[str, ...]
    phrasings: tuple[str, ...]
    citizen: str
    advisor: str
    source: str
    checked: dt.date
    recheck: dt.date | None = None
    next: tuple[str, ...] = ()
    declines: bool = False  # an off-topic answer: it declines and says where to go
    nearby: bool = False  # a place in the question leads to the nearest France Services
    for_child: str | None = None  # what « et pour mon enfant ? » means after this answer
    # an answer about minors: the one to give when only adults are spoken of (« jai 22 an », « ma mère a 88 ans »)
    for_adult: str | None = None
    # right after this answer, the answer to give instead of another (pairs: asked, given): « j'ai plus le papier avec
    # le code » after closing asks for the closing's code, not the activation's
    instead: tuple[tuple[str, str], ...] = ()
    # in the person's situation (bot/situation.py), the answer to give instead of this one (pairs: situation, given):
    # a minor who types asking to close gets that his parents manage his profile
    in_situation: tuple[tuple[str, str], ...] = ()
    # a message that denies this answer's premise (a regular expression over the normalised text, bot.text.normalize)
    # gets another answer (pattern, given): « il n'a pas cliqué » is not the after-click answer
    denied_premise: tuple[str, str] | None = None
    # printed on the summary sheet; not a minor's confidential care (a father's sheet printed his 14-year-old
    # daughter's « Confidentialité des adolescents », an advisor's session of 6 December 2026)
    on_sheet: bool = True
    simple: str = ""  # the citizen text in easy-to-read French (FALC), offered by the « Plus simple » button
    # the title is also a training example (bot/answers/build.py), unless it nearly copies a question of the external
    # evaluation set (tests/external): trained on, that question would measure nothing
    title_example: bool = True
    file: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        """The retrieval intent Rasa trains on: ``faq/<id>``."""
        return f"{RETRIEVAL_INTENT}/{self.id}"


def _date(value: object, where: str, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise BankError(f"{where} : « {name} » doit être une date AAAA-MM-JJ, pas « {value} »") from None


def _text(value: object) -> str:
    """A text of the bank, trimmed line by line, with the hotline's hours filled in (bot/contact.py)."""
    return expand("\n".join(line.rstrip() for line in str(value or "").strip().splitlines()))


def _unit(raw: dict, file: str) -> Answer:
    where = f"{file}, réponse « {raw.get('id', '?')} »"
    unit_id = str(raw.get("id") or "")
    if not _ID.match(unit_id):
        raise BankError(f"{where} : l'identifiant doit être en minuscules, chiffres et _ (3 à 60 signes)")
    task = raw.get("task")
    if task not in TASKS:
        raise BankError(f"{where} : « task » doit être l'une de {', '.join(TASKS)}")
    checked = _date(raw.get("checked"), where, "checked")
    if checked is None:
        raise BankError(f"{where} : « checked » (date de vérification des faits) manque")
    sections = raw.get("sections") or []
    if isinstance(sections, (str, int, float)):
        sections = [sections]
    for phrasing in raw.get("phrasings") or []:
        if not isinstance(phrasing, str):
            # « - une personne hésite : pourra-t-elle … » is a mapping in YAML, not a sentence
            raise BankError(f"{where} : la formulation {phrasing!r} n'est pas un texte ; mettez-la entre guillemets "
                            "(un « : » suivi d'une espace la coupe en deux)")
    return Answer(
        id=unit_id,
        task=task,
        title=str(raw.get("title") or "").strip(),
        sections=tuple(str(s) for s in sections),
        phrasings=tuple(str(p).strip() for p in raw.get("phrasings") or [] if str(p).strip()),
        citizen=_text(raw.get("citizen")),
        advisor=_text(raw.get("advisor")),
        source=str(raw.get("source") or "").strip(),
        checked=checked,
        recheck=_date(raw.get("recheck"), where, "recheck"),
        next=tuple(str(n) for n in raw.get("next") or []),
        declines=bool(raw.get("declines", False)),
        nearby=bool(raw.get("nearby", task == "help")),
        for_child=str(raw["for_child"]) if raw.get("for_child") else None,
        for_adult=str(raw["for_adult"]) if raw.get("for_adult") else None,
        instead=_pairs(raw.get("instead"), where, "instead", "{code_missing: close_needs_code}"),
        in_situation=_pairs(raw.get("in_situation"), where, "in_situation", "{teen: minor_direct_access}"),
        denied_premise=_denial(raw.get("denied_premise"), where),
        on_sheet=bool(raw.get("on_sheet", True)),
        simple=_text(raw.get("simple")),
        title_example=bool(raw.get("title_example", True)),
        file=file,
    )


def _pairs(value: object, where: str, name: str, example: str) -> tuple[tuple[str, str], ...]:
    """A mapping such as ``instead: {asked: given, …}`` as pairs; an empty tuple when absent."""
    if value is None or value == "":
        return ()
    if not isinstance(value, dict):
        raise BankError(f"{where} : « {name} » doit associer des noms à des réponses : « {example} »")
    return tuple((str(key), str(given)) for key, given in value.items())


def _denial(value: object, where: str) -> tuple[str, str] | None:
    """``denied_premise: {by: <expression>, give: <answer>}`` as a pair; None when absent."""
    if value is None or value == "":
        return None
    if not isinstance(value, dict) or not value.get("by") or not value.get("give"):
        raise BankError(f"{where} : « denied_premise » doit donner « by » (une expression) et « give » (une réponse)")
    return str(value["by"]), str(value["give"])


def read_file(path: Path) -> list[Answer]:
    """The units of one bank file."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise BankError(f"{path.name} : YAML illisible ({error})") from None
    units = content.get("answers") if isinstance(content, dict) else None
    if not isinstance(units, list):
        raise BankError(f"{path.name} : le fichier doit contenir une liste « answers: »")
    return [_unit(raw if isinstance(raw, dict) else {}, path.name) for raw in units]


@dataclass(frozen=True)
class Bank:
    """Every unit, by id."""

    units: dict[str, Answer]

    def __iter__(self) -> Iterator[Answer]:
        return iter(self.units.values())

    def __len__(self) -> int:
        return len(self.units)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.units

    def get(self, unit_id: str | None) -> Answer | None:
        return self.units.get(unit_id or "")


def load_bank(folder: Path = BANK_FOLDER, files: Iterable[Path] | None = None) -> Bank:
    """Read every ``*.yml`` of ``folder``; ids must be unique across files."""
    units: dict[str, Answer] = {}
    for path in sorted(files if files is not None else Path(folder).glob("*.yml")):
        for unit in read_file(path):
            if unit.id in units:
                raise BankError(f"{path.name} : la réponse « {unit.id} » existe déjà dans {units[unit.id].file}")
            units[unit.id] = unit
    if not units:
        raise BankError(f"aucune réponse dans {folder}")
    return Bank(units)


def answer_payload(unit_id: str) -> str:
    """What a button sends to get the answer ``unit_id``: ``/faq{"answer": "<id>"}``."""
    return f"/{RETRIEVAL_INTENT}{json.dumps({'answer': unit_id})}"


def unit_button(unit: Answer) -> dict[str, str]:
    """The button that asks for ``unit``: its title, sending ``/faq{"answer": "<id>"}``."""
    return {"title": unit.title, "payload": answer_payload(unit.id)}
