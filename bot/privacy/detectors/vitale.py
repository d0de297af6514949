"""Carte Vitale serial number: a standalone run of 11 to 13 digits, or 8 to 13 digits near « Vitale », « série »."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.privacy.detector import Detector, Scan
from bot.privacy.detectors.nir import digit_runs
from bot.privacy.kinds import PLACEHOLDER_RE, VITALE_KIND

_CONTEXT = re.compile(r"(?i)\bs[ée]rie\b|\bvitale\b|\bnum[ée]ro\s+de\s+(?:la\s+|ma\s+|sa\s+)?carte\b")
_CANDIDATE = re.compile(r"\d(?<![\d+.,]\d)(?:\d{7,12}|\d{0,3}(?:[ .\-\u00a0\u202f]\d{1,4}(?!\d)){1,12})(?!\d)")
_GROUPS = re.compile(r"\d+")
_PHONE_PREFIX = re.compile(r"(?:\+|00)\s?\d{1,3}[ .\-]?(?:\(0\)[ .\-]?)?$")
_HINTS = ("rie", "vitale", "carte")


def _is_vitale(match: re.Match[str]) -> bool:
    """A digit run in a message about the carte Vitale: 8 to 13 digits, not a phone number or a date."""
    text, start = match.string, match.start()
    groups = _GROUPS.findall(match.group())
    digits = "".join(groups)
    if not 8 <= len(digits) <= 13 or _PHONE_PREFIX.search(text, max(0, start - 8), start):
        return False
    if len(groups) > 1 and len(digits) == 10 and digits[0] == "0" and digits[1] != "0":
        return False  # 06 12 34 56 78: the phone rule names it
    if len(groups) == 3 and len(groups[2]) in (2, 4) and len(groups[0]) <= 2 and len(groups[1]) <= 2:
        return not (1 <= int(groups[0]) <= 31 and 1 <= int(groups[1]) <= 12)  # 12 03 2023: a date
    return True


def _find(scan: Scan) -> Iterator[tuple[int, int]]:
    text = scan.text
    for start, end, is_nir in digit_runs(scan):
        if not is_nir:
            yield start, end
    if any(word in scan.lowered for word in _HINTS):
        context = PLACEHOLDER_RE.sub(" ", text) if "[" in text else text
        if _CONTEXT.search(context):
            for m in _CANDIDATE.finditer(text):
                if _is_vitale(m):
                    yield m.start(), m.end()


DETECTOR = Detector(VITALE_KIND, _find, needs_digit=True, dropped_in_links=True)
