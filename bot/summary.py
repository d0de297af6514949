"""The citizen's summary sheet ("Fiche récapitulative"): what was done, what is left, what to do next.

Built from a journal of procedure events, the answers of the bank given in the conversation (their fixed texts,
so that the steps an advisor went through with the person are on paper) and, if a search was made, the nearest
France Services desk (public data, read from the directory by its id when the sheet is built). It never holds
anything personal: only fixed texts from the procedure specs, the bank and the directory's public data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.contact import HOTLINE_HOURS
from bot.france_services.index import Point
from bot.procedures import PROCEDURES, Event, State
from bot.text import french_date

HOTLINE = f"Assistance Mon espace santé : 3422, {HOTLINE_HOURS}."
OFFICIAL_SITE = "Site officiel : https://www.monespacesante.fr"
SAFETY = (
    "Ne donnez jamais vos codes ni votre mot de passe : l'Assurance Maladie ne vous les demande jamais par e-mail "
    "ou SMS."
)
MAX_DESK_FIELD = 200
_NUMBERED = re.compile(r"^\d+\. ")  # a step of an answer, already numbered: no dash in front (« - 1. »)

Journal = dict[str, dict[str, Any]]


def record(journal: object, event: Event | None) -> Journal:
    """A new journal with ``event`` applied (the slot value is never mutated in place)."""
    entries: Journal = {}
    if isinstance(journal, dict):
        entries = {k: dict(v) for k, v in journal.items() if k in PROCEDURES and isinstance(v, dict)}
    if event is None or event.procedure not in PROCEDURES:
        return entries
    total = len(PROCEDURES[event.procedure].steps)
    entry = entries.get(event.procedure) or {}
    if event.kind == "started":
        entry = {"status": "in_progress", "reached": 1, "total": total, "problems": []}
    entry.setdefault("problems", [])
    entry["total"] = total
    entry["reached"] = max(int(entry.get("reached") or 0), event.step)
    if event.kind == "done":
        entry["status"] = "done"
    elif event.kind == "blocked":
        entry["status"], entry["blocked_by"] = "blocked", event.problem
    else:
        entry.setdefault("status", "in_progress")
        if entry["status"] != "in_progress":
            entry["status"] = "in_progress"
            entry.pop("blocked_by", None)
    if event.problem and event.problem not in entry["problems"]:
        entry["problems"] = [*entry["problems"], event.problem]
    entries[event.procedure] = entry
    return entries


def stopped_by_a_problem(journal: object) -> State | None:
    """The guide a known problem stopped last, at the step it stopped on, or None: « c'était une faute de frappe,
    c'est passé. On reprend à l'étape 5 » after « Identité fausse » got « pas sûr » (an advisor, 7 December 2026)."""
    stopped = [(name, entry) for name, entry in record(journal, None).items() if entry.get("status") == "blocked"]
    if not stopped:
        return None
    name, entry = stopped[-1]
    return State(name, max(int(entry.get("reached") or 1) - 1, 0), 0)


@dataclass(frozen=True)
class Summary:
    """The sheet: a title, a date and sections of plain sentences."""

    title: str
    date: str
    sections: list[tuple[str, list[str]]]
    kind: str = "summary"  # "visit": « Préparer ma visite », printed more compactly by the page

    def as_payload(self) -> dict[str, Any]:
        """The JSON shape the web page renders and prints."""
        return {
            "title": self.title,
            "date": self.date,
            "sections": [{"heading": heading, "items": items} for heading, items in self.sections],
            "kind": self.kind,
        }

    def as_text(self) -> str:
        """The same sheet as plain text, one line per item (no blank line: chat channels split on them)."""
        lines = [self.title, self.date]
        for heading, items in self.sections:
            lines += [f"{heading} :", *(item if _NUMBERED.match(item) else f"- {item}" for item in items)]
        return "\n".join(lines)


def _desk_line(desk: Point | None) -> str | None:
    if desk is None:
        return None
    name, address, phone = (value[:MAX_DESK_FIELD] for value in (desk.name, desk.full_address, desk.phone))
    if not name:
        return None
    line = f"France services la plus proche : {name}"
    line += f", {address}" if address else ""
    line += f", tél. {phone}" if phone else ""
    return line + "."


def build(
    journal: object, desk: Point | None, moment: datetime, answers: Sequence[tuple[str, list[str]]] = ()
) -> Summary:
    """The sheet for everything the journal recorded (an empty journal gives an honest, short sheet), with
    ``answers`` (title and lines of each answer given, oldest first) and ``desk``, the nearest France Services
    desk found, if any."""
    entries = record(journal, None)
    done, left, next_steps = [], [], []
    for name, entry in entries.items():
        procedure = PROCEDURES[name]
        status = entry.get("status")
        if status == "done":
            done.append(procedure.summary_done or f"{procedure.title} : terminé.")
            next_steps += list(procedure.next_steps)
            continue
        reached, total = int(entry.get("reached") or 1), int(entry.get("total") or len(procedure.steps))
        done.append(f"{procedure.title} : commencé, arrêté à l'étape {reached} sur {total}.")
        left.append(procedure.summary_left or f"{procedure.title} : à terminer.")
        problem = procedure.problems.get(entry.get("blocked_by") or "")
        if status == "blocked" and problem:
            left.append(f"Point à régler : {problem.label}.")
            next_steps.append(problem.next_action)
        else:
            next_steps.append(f"Reprendre « {procedure.title} » à l'étape {reached}, avec l'assistant ou au 3422.")
    if answers:  # an advisor's session of questions and answers: say which (a sheet said « Aucune démarche… » only)
        done.append("Questions vues ensemble : " + " ; ".join(title for title, _ in answers) + ".")
    if not done:
        done.append("Aucune démarche n'a été suivie pas à pas pendant cet accompagnement.")
    if not left and answers and not entries:  # after a finished guide, nothing is left (an advisor's session)
        left.append("Suivre les étapes des réponses ci-dessous, avec un proche, une France Services ou le 3422.")
    if not left:
        left.append("Rien : les démarches commencées sont terminées." if entries else "Rien n'a été commencé.")
    contacts = [HOTLINE, OFFICIAL_SITE]
    desk_line = _desk_line(desk)
    if desk_line:
        contacts.append(desk_line)
    sections = [
        ("Ce qui a été fait", done),
        ("Ce qu'il reste à faire", left),
        *((f"Réponse : {title}", list(lines)) for title, lines in answers if lines),
        ("Vos prochaines étapes", [*dict.fromkeys(next_steps), SAFETY]),
        ("Contacts utiles", contacts),
    ]
    return Summary("Fiche récapitulative – Mon espace santé", f"Accompagnement du {french_date(moment)}", sections)
