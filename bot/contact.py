"""The way to a person that every answer offers: the Mon espace santé hotline, written once.

Texts kept as data (the answer bank, the guides) write ``{hotline_hours}`` where the hours go;
their loaders call ``expand``. Python texts use ``HOTLINE_HOURS``.
"""

from __future__ import annotations

HOTLINE = "3422"
HOTLINE_HOURS = "du lundi au vendredi, de 8h30 à 17h30"
HOURS_PLACEHOLDER = "{hotline_hours}"


def expand(text: str) -> str:
    """``text`` with the hotline's hours in place of ``{hotline_hours}``."""
    return text.replace(HOURS_PLACEHOLDER, HOTLINE_HOURS)
