"""A button's title typed as text does what the button does.

Persona sessions typed « Préparer ma visite » or « Bloquer un soignant », the words of a button they had just seen,
and got a guess or « je ne suis pas sûr ». The titles come from the answer bank (each answer's title, the guides and
the search) and from the domain's buttons; a title that two different buttons carry, a guide move (« Fait »,
« Problème »: the classifier knows them, and they only mean something inside a guide) and a button that sends plain
text are left out. The match is on the whole message, case, accents and punctuation ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot.answers.bank import BUTTON_INTENTS, Bank, unit_button
from bot.text import normalize

# Buttons inside a guide or a search: understood by the classifier, meaningful only where they were offered.
GUIDE_MOVES = frozenset({"step_done", "step_failed", "step_back", "resume_procedure", "share_position", "affirm",
                         "deny", "stop_search", "deny_suggestions"})  # fmt: skip
_PAYLOAD = re.compile(r"^/(\w+)(\{.*\})?$", re.DOTALL)


def parse_payload(payload: str) -> tuple[str, dict[str, Any]] | None:
    """``/intent{"entity": "value"}`` as (intent, entities); None for plain text or a malformed payload."""
    found = _PAYLOAD.match(payload.strip().replace("{{", "{").replace("}}", "}"))
    if found is None:
        return None
    try:
        entities = json.loads(found.group(2)) if found.group(2) else {}
    except json.JSONDecodeError:
        return None
    return (found.group(1), entities) if isinstance(entities, dict) else None


def _domain_buttons(responses: Mapping[str, Any]) -> Iterable[dict[str, str]]:
    for variations in responses.values():
        for variation in variations or []:
            yield from variation.get("buttons") or []


Button = tuple[str, dict[str, Any]]  # (intent, entities), as Rasa reads a payload


def title_table(bank: Bank, responses: Mapping[str, Any]) -> dict[str, Button]:
    """Typed title (normalised) → the button's (intent, entities), for titles that lead to one place only. The bank's
    answers and the guide and search buttons come first; a domain button whose title they already carry keeps theirs."""
    table: dict[str, Button] = {normalize(title): (intent, {}) for intent, title in BUTTON_INTENTS.items()}
    for unit in bank:
        table.setdefault(normalize(unit.title), parse_payload(unit_button(unit)["payload"]))
    found: dict[str, list[Button]] = {}
    for button in _domain_buttons(responses):
        title, parsed = normalize(str(button.get("title") or "")), parse_payload(str(button.get("payload") or ""))
        if title and parsed is not None and parsed[0] not in GUIDE_MOVES and parsed not in found.get(title, []):
            found.setdefault(title, []).append(parsed)
    for title, buttons in found.items():
        if len(buttons) == 1:
            table.setdefault(title, buttons[0])
    return {title: button for title, button in table.items() if title and button is not None}


def typed_button(text: object, table: Mapping[str, Button]) -> Button | None:
    """The (intent, entities) of the button whose title ``text`` is, or None."""
    if not isinstance(text, str) or not text or text.lstrip().startswith("/"):
        return None
    return table.get(normalize(text))
