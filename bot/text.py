"""Text helpers shared by the NLU, the safety rules, the place matching, the checks and the review."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

# An HTML tag: « <script>alert('x')</script> », « <img src=x onerror=…> ». People asking for help do not type them.
_MARKUP = re.compile(r"<\s*/?\s*[a-z][^>]*>", re.I)
# « 1. Allez sur… »: a numbered step of an answer (the bank's lists are numbered so)
NUMBERED_STEP = re.compile(r"^\s*\d+\.\s")


def has_markup(text: str) -> bool:
    """Whether ``text`` holds an HTML tag (« <3 » and « a < b » are no tags)."""
    return _MARKUP.search(text) is not None


def fold_accents(text: str) -> str:
    """Lower case with accents removed (NFKD decomposition, combining marks dropped): « Épinal » -> « epinal »."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")  # fmt: skip


def french_date(day: date) -> str:
    """« 3 décembre 2026 » (a date or a datetime): the answers' checked date, the sheets' dates."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def normalize(text: str) -> str:
    """Lower case, no accents, apostrophes and punctuation as spaces, single spaces."""
    plain = re.sub(r"[^\w\s]", " ", fold_accents(text))
    return re.sub(r"\s+", " ", plain).strip()


# The service named outright: « Mon espace santé » (any spelling), « monespacesante », « DMP », or « MES » in capitals
# inside a message that is not all capitals (« MES IMPÔTS » typed in capitals is no such name).
_SERVICE_NAME = re.compile(r"\bmon ?espace ?sante\b|\bmonespacesante\b|\bdmp\b")
_SERVICE_ACRONYM = re.compile(r"\bMES\b")


def names_the_service(text: str) -> bool:
    """Whether the message names Mon espace santé (or its former DMP) outright."""
    if _SERVICE_NAME.search(normalize(text)):
        return True
    return _SERVICE_ACRONYM.search(text) is not None and any(c.islower() for c in text)
