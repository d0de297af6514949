"""Text helpers shared by the NLU, the safety rules and the place matching."""

from __future__ import annotations

import unicodedata


def fold_accents(text: str) -> str:
    """Lower case with accents removed (NFKD decomposition, combining marks dropped): « Épinal » -> « epinal »."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
