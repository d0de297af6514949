"""Turn an answer unit into the message a person reads: text for their audience, source, date, buttons."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from bot.answers.bank import BUTTON_INTENTS, RETRIEVAL_INTENT, Answer, Bank

ADVISOR = "advisor"
HUMAN_UNIT = "ask_human"
HUMAN_BUTTON = {"title": "Parler à un conseiller", "payload": f'/{RETRIEVAL_INTENT}{{"answer": "{HUMAN_UNIT}"}}'}
FRANCE_SERVICES_BUTTON = {"title": BUTTON_INTENTS["find_france_services"], "payload": "/find_france_services"}
MAX_BUTTONS = 4
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")  # fmt: skip


@dataclass(frozen=True)
class Reply:
    """One message: text and buttons (``{"title", "payload"}``)."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def answer_payload(unit_id: str) -> str:
    """What a button sends to get the answer ``unit_id``: ``/faq{"answer": "<id>"}``."""
    return f"/{RETRIEVAL_INTENT}{json.dumps({'answer': unit_id})}"


def french_date(day) -> str:
    """« 3 décembre 2026 »."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def unit_button(unit: Answer) -> dict[str, str]:
    """The button that asks for ``unit``: its title, sending ``/faq{"answer": "<id>"}``."""
    return {"title": unit.title, "payload": answer_payload(unit.id)}


def button_for(target: str, bank: Bank) -> dict[str, str] | None:
    """The button that leads to ``target``: an answer unit or a guide / search intent."""
    if target in BUTTON_INTENTS:
        return {"title": BUTTON_INTENTS[target], "payload": f"/{target}"}
    unit = bank.get(target)
    return unit_button(unit) if unit is not None else None


def buttons_for(unit: Answer, bank: Bank) -> list[dict[str, str]]:
    """The unit's next steps (never itself), always with a way to a person."""
    own = answer_payload(unit.id)
    buttons = [b for b in (button_for(t, bank) for t in unit.next) if b is not None and b["payload"] != own]
    payloads = {b["payload"] for b in buttons}
    if HUMAN_BUTTON["payload"] not in payloads and FRANCE_SERVICES_BUTTON["payload"] not in payloads:
        buttons = buttons[: MAX_BUTTONS - 1]
        buttons.append(FRANCE_SERVICES_BUTTON if unit.id == HUMAN_UNIT else HUMAN_BUTTON)
    return buttons[:MAX_BUTTONS]


def render(unit: Answer, bank: Bank, audience: str | None = None) -> Reply:
    """The reply for ``unit``: advisor wording on the advisors' page, then source and checked date."""
    body = unit.advisor if audience == ADVISOR and unit.advisor else unit.citizen
    lines = [body, f"Plus d'infos : {unit.source}", f"Vérifié le {french_date(unit.checked)}."]
    return Reply("\n".join(lines), buttons_for(unit, bank))
