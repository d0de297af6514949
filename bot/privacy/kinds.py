"""The kinds of personal data, their order of priority and their placeholders."""

from __future__ import annotations

import re

NIR_KIND = "numéro de sécurité sociale"
VITALE_KIND = "numéro de carte Vitale"
BANK_KIND = "coordonnées bancaires"
EMAIL_KIND = "adresse e-mail"
PHONE_KIND = "numéro de téléphone"
ADDRESS_KIND = "adresse"
CODE_KIND = "code"
BIRTH_DATE_KIND = "date de naissance"
NAME_KIND = "nom"
POSITION_KIND = "position"

KINDS: tuple[str, ...] = (
    NIR_KIND, VITALE_KIND, BANK_KIND, EMAIL_KIND, PHONE_KIND, ADDRESS_KIND, CODE_KIND, BIRTH_DATE_KIND, NAME_KIND,
    POSITION_KIND,
)  # fmt: skip
"""Kinds of personal data, highest priority first: where two detections overlap, the first kind names the whole."""
PLACEHOLDERS: dict[str, str] = {kind: f"[{kind}]" for kind in KINDS}

TRUNCATED = "[suite du texte masquée]"
"""Replaces everything after the first ``MAX_CHARS`` characters."""
MASKED = "[texte masqué]"
"""Replaces a whole value that could not be analysed (internal error, nesting too deep)."""

PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in [*PLACEHOLDERS.values(), TRUNCATED, MASKED]))
