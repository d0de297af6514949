"""Personal data redaction: one set of rules for the web proxy, the tracker store, the logs and exports.

The rules live one per file in ``bot/privacy/detectors/`` (kind, cues, find), their word lists in
``words.py``, and ``engine.py`` merges what they find. Identifiers with a published format are found
by libraries made for them: libphonenumber (``phonenumbers``) for phone numbers, ``python-stdnum``
for the NIR's key, IBANs and card numbers.

Limits, on purpose:
- Only the first ``MAX_CHARS`` characters are analysed; the rest of a longer text is replaced
  wholesale by ``TRUNCATED`` (this bounds the work on log lines and bodies of any size).
- A person's name is recognised only after a cue (« je m'appelle », « Mme », « ma fille »…); a
  street address by its number and street type or by a keyword (``lieu-dit``, ``résidence``,
  ``bâtiment B``, ``BP 12``); the postcode and commune after it are kept.
- Positions are not hidden but rounded to two decimals (about 1 km).
- Never touched: postcodes (also after « code »), communes, department codes, the short numbers
  (3422, 15…), times, ordinals, dates without a birth word, UUIDs and hex ids, and the long digit
  runs or codes inside a web link (a NIR, e-mail or phone number inside a link is still redacted).
- Any failure inside the detectors makes the whole text ``MASKED``: we fail closed.
"""

from __future__ import annotations

from typing import Any

from bot.privacy import engine
from bot.privacy.detectors.position import round_coordinate
from bot.privacy.engine import MAX_CHARS
from bot.privacy.kinds import KINDS, MASKED, PLACEHOLDERS, TRUNCATED

__all__ = ["KINDS", "MASKED", "MAX_CHARS", "MAX_DEPTH", "PLACEHOLDERS", "TRUNCATED", "find_personal_data", "redact",
           "redact_value"]  # fmt: skip

MAX_DEPTH = 50
"""Nesting depth explored by ``redact_value``; deeper values become ``MASKED``."""
POSITION_KEYS = frozenset({"latitude", "longitude", "lat", "lon", "lng", "fs_latitude", "fs_longitude"})
"""Keys (or slot names) whose numeric value is a coordinate, rounded by ``redact_value``."""


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def redact(text: object) -> str:
    """``text`` with personal data replaced by French placeholders such as ``[adresse e-mail]``.

    Accepts anything (``None`` gives ``""``, other objects their ``str()``) and never raises.
    """
    try:
        return engine.analyse(_as_text(text))[0]
    except Exception:  # fail closed: nothing of a text we could not read leaves
        return MASKED


def find_personal_data(text: object) -> list[str]:
    """Kinds of personal data found in ``text`` (see ``KINDS``), highest priority first."""
    try:
        return [KINDS[rank] for rank in engine.analyse(_as_text(text))[1]]
    except Exception:
        return []


def _is_coordinate(value: Any) -> bool:
    return isinstance(value, float) and abs(value) <= 180


def redact_value(value: Any, _depth: int = 0) -> Any:
    """A copy of ``value`` with every string inside dicts, lists, tuples and sets redacted.

    Dict keys are kept; a coordinate under a position key (``"latitude": 48.692345``, a slot event
    ``{"name": "fs_latitude", "value": …}`` or an entity ``{"entity": "latitude", "value": …}``) is
    rounded; other numbers, booleans, ``None`` and other objects are returned as they are.
    """
    try:
        if isinstance(value, str):
            return redact(value)
        if value is None or isinstance(value, (bool, int, float)):
            return value
        if _depth >= MAX_DEPTH:
            return MASKED if isinstance(value, (dict, list, tuple, set, frozenset)) else value
        if isinstance(value, dict):
            copy = {key: redact_value(item, _depth + 1) for key, item in value.items()}
            for key, item in copy.items():
                if key in POSITION_KEYS and _is_coordinate(item):
                    copy[key] = round_coordinate(item)
            named = copy.get("name", copy.get("entity"))  # a slot event, or an entity
            if isinstance(named, str) and named in POSITION_KEYS and _is_coordinate(copy.get("value")):
                copy["value"] = round_coordinate(copy["value"])
            return copy
        if isinstance(value, list):
            return [redact_value(item, _depth + 1) for item in value]
        if isinstance(value, tuple):
            return tuple(redact_value(item, _depth + 1) for item in value)
        if isinstance(value, (set, frozenset)):
            return type(value)(redact_value(item, _depth + 1) for item in value)
        return value
    except Exception:
        return MASKED
