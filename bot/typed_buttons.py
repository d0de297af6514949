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


def title_table(bank: Bank, responses: Mapping[str, Any]) -> dict[str, str]:
    """Typed title (normalised) → payload, for titles that lead to one place only. The bank's answers and the guide
    and search buttons come first; a domain button whose title they already carry keeps theirs."""
    table: dict[str, str] = {}
    for intent, title in BUTTON_INTENTS.items():
        table.setdefault(normalize(title), f"/{intent}")
    for unit in bank:
        button = unit_button(unit)
        table.setdefault(normalize(button["title"]), button["payload"])
    seen: dict[str, set[str]] = {}
    for button in _domain_buttons(responses):
        parsed = parse_payload(str(button.get("payload") or ""))
        if parsed is None or parsed[0] in GUIDE_MOVES:
            continue
        seen.setdefault(normalize(str(button.get("title") or "")), set()).add(json.dumps(parsed, sort_keys=True))
    for button in _domain_buttons(responses):
        title, parsed = normalize(str(button.get("title") or "")), parse_payload(str(button.get("payload") or ""))
        if title and parsed is not None and len(seen.get(title, ())) == 1 and title not in table:
            intent, entities = parsed
            table[title] = f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"
    return {title: payload for title, payload in table.items() if title}


def typed_button(text: object, table: Mapping[str, str]) -> tuple[str, dict[str, Any]] | None:
    """The (intent, entities) of the button whose title ``text`` is, or None."""
    if not isinstance(text, str) or not text or text.lstrip().startswith("/"):
        return None
    payload = table.get(normalize(text))
    return parse_payload(payload) if payload else None
