"""E-mail addresses, also spelled out: « jean point dupont arobase gmail point com », « (at) », « [dot] »."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.privacy.common import SP
from bot.privacy.detector import Detector, Scan
from bot.privacy.kinds import EMAIL_KIND

# The local part is read backwards from the "@", in the reversed text: " point " is " tniop ".
_LOCAL_DOT = rf"(?:\.|{SP}\.{SP}|{SP}(?i:tniop|tod){SP})"
_LABEL = r"[^\W_](?:[\w\-]{0,61}[^\W_])?"
_DOMAIN_DOT = rf"(?:\.|{SP}\.{SP}|{SP}(?i:point|dot){SP}|{SP}?[(\[{{](?i:dot|point)[)\]}}]{SP}?)"
_AT_SIGN = re.compile("[@＠]")
_AT_WORD = re.compile(rf"[(\[{{](?:at|arobase)[)\]}}]|(?<={SP})(?:arobase|at)(?={SP})", re.IGNORECASE)
_DOMAIN = re.compile(
    rf"{SP}?{_LABEL}(?:{_DOMAIN_DOT}{_LABEL}){{0,6}}{_DOMAIN_DOT}(?:[a-z]{{2,24}}|[A-Z]{{2,24}})(?![^\W\d_])"
)
_LOCAL_REVERSED = re.compile(rf"{SP}?[\w+\-]{{1,64}}(?:{_LOCAL_DOT}[\w+\-]{{1,64}}){{0,8}}(?![\w+.\-])")
_WORD_CUES = ("arobase", "at)", "at]", "at}", " at ")


def _find(scan: Scan) -> Iterator[tuple[int, int]]:
    """Found from their "@" (or "(at)", "arobase", " at ") outwards."""
    text = scan.text
    backwards = text[::-1]
    size = len(text)
    ats = list(_AT_SIGN.finditer(text)) if "@" in text or "＠" in text else []
    if any(cue in scan.lowered for cue in _WORD_CUES):
        ats.extend(_AT_WORD.finditer(text))
    for at in ats:
        domain = _DOMAIN.match(text, at.end())
        local = _LOCAL_REVERSED.match(backwards, size - at.start())
        if domain and local:
            yield size - local.end(), domain.end()


DETECTOR = Detector(EMAIL_KIND, _find, cues=("@", "＠", *_WORD_CUES))
