"""Pattern pieces shared by several detectors (spaces, separators between digits, month names)."""

from __future__ import annotations

import re

SP = r"[ \u00a0\u202f]"
"""One space: plain, no-break or narrow no-break (French typography). Other spaces are normalised first."""
SEP = rf"(?:{SP}?[.\-/_]{SP}?|{SP})?"
"""An optional separator between two digits of an identifier: space, dot, dash, slash, underscore."""
PHONE_SEP = SEP
"""Between two digits of a phone number: the same separators."""

DIGIT = re.compile(r"\d")

MONTHS = (
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre"
    r"|janv\.?|f[ée]vr?\.?|avr\.?|juil\.?|sept?\.?|oct\.?|nov\.?|d[ée]c\.?"
)


def digit_run(count: int, sep: str = SEP) -> str:
    """``count`` digits with an optional separator between each."""
    return rf"\d(?:{sep}\d){{{count - 1}}}"


def strip_token(text: str, start: int, end: int) -> tuple[int, int]:
    """The token without the Markdown around it and the sentence punctuation after it."""
    while start < end and text[start] in "*_`~":
        start += 1
    while end > start and text[end - 1] in ".:!?…*_`~":
        end -= 1
    return start, end
