"""How long the assistant keeps conversations (already redacted): one setting for the store and for what the
assistant tells a person who asks (« tu gardes ce que j'écris ? »)."""

from __future__ import annotations

import os

RETENTION_ENV_VAR = "MES_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30


def retention_days() -> float:
    """$MES_RETENTION_DAYS, else 30."""
    return float(os.environ.get(RETENTION_ENV_VAR, DEFAULT_RETENTION_DAYS))


def in_words(days: float) -> str:
    """« 30 jours », « 1 jour », « 1,5 jour » (French: singular below two, decimal comma)."""
    return f"{days:g}".replace(".", ",") + (" jour" if days < 2 else " jours")
