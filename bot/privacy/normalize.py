"""Unicode clean-up before any rule: odd dashes, spaces and invisible characters become plain ones.

Only the detectors read the clean text: ``normalize`` also returns where each of its characters came
from, so that what is found is replaced in the text as written (« 7h–8h » keeps its en dash)."""

from __future__ import annotations

import re

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_SPACES = dict.fromkeys(
    map(ord, "\t\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u205f\u3000"), " "
)
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_TABLE = {**_DASHES, **_SPACES}
# A line break between two words or pieces of a number (« 1 85 05\n78 006 », « 2A\n123 », an IBAN) reads as
# a space: the detectors see the number whole; the text as written keeps its line break.
_BROKEN_NUMBER = re.compile(r"(?<=[^\W_]|[.\-]) *\r?\n *(?=[^\W_]|[(+])")


def normalize(text: str) -> tuple[str, list[int]]:
    """``text`` with Unicode dashes as "-", exotic spaces and tabs as " ", invisible characters removed and a
    line break inside a number as a space; and, for each character of the result (plus its end), the index
    of the character of ``text`` it stands for. No-break spaces stay: French typography uses them."""
    if text.isascii() and "\t" not in text and "\n" not in text:
        return text, list(range(len(text) + 1))
    chars: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        chars.append(_TABLE.get(ord(char), char))
        origins.append(index)
    clean = "".join(chars)
    if "\n" in clean:
        pieces: list[str] = []
        kept: list[int] = []
        position = 0
        for m in _BROKEN_NUMBER.finditer(clean):
            pieces.append(clean[position : m.start()] + " ")
            kept.extend(origins[position : m.start() + 1])
            position = m.end()
        pieces.append(clean[position:])
        kept.extend(origins[position:])
        clean, origins = "".join(pieces), kept
    origins.append(len(text))
    return clean, origins
