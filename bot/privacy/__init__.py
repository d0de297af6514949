"""Redaction of personal data, shared by the web proxy, the tracker store and the logs.

``from bot.privacy import redact`` gives the function; to reach the module itself (for its
constants or to patch it in a test) import ``bot.privacy.redact`` through ``importlib``.
"""

from bot.privacy.redact import (
    KINDS,
    MASKED,
    MAX_CHARS,
    PLACEHOLDERS,
    TRUNCATED,
    find_personal_data,
    redact,
    redact_value,
)

__all__ = ["KINDS", "MASKED", "MAX_CHARS", "PLACEHOLDERS", "TRUNCATED", "find_personal_data", "redact", "redact_value"]
