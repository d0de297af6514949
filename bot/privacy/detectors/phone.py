"""Phone numbers: libphonenumber's matcher (every separator, +33 / 0033, overseas), then our rule for the rest."""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from bot.privacy.common import PHONE_SEP, SP
from bot.privacy.detector import Detector, Scan
from bot.privacy.kinds import PHONE_KIND

# National (10 digits from 0) and international (+33, 0033, +262, "(0)"), in any region's plan.
_PHONE = re.compile(
    rf"[+0](?<![\w+][+0])(?:(?<=0){PHONE_SEP}[1-9](?:{PHONE_SEP}\d){{8}}"  # 06 12 34 56 78, 0692 12 34 56
    rf"|(?:(?<=\+){SP}?|(?<=0)0{SP}?)[1-9]\d{{0,2}}\)?(?:{PHONE_SEP}\(0\))?(?:{PHONE_SEP}\d){{6,12}})(?!\d)"
)
# Where the matcher may find what our rule missed: from a "+", "00" or "0", eight digits or more.
_CANDIDATE = re.compile(r"(?<![\d+][ \u00a0\u202f.\-/_])(?:\(?\+|(?<![\d+])0)[\d \u00a0\u202f().\-/_]{7,}")
_TRAILING = " \u00a0\u202f.-/_()"
_MIN_DIGITS = 8  # fewer digits cannot be a full number
_REGIONS = ("FR",)  # numbers written without a country code are read as French


def _find(scan: Scan) -> Iterator[tuple[int, int]]:
    text = scan.text
    found = [(m.start(), m.end()) for m in _PHONE.finditer(text)]
    yield from found
    for candidate in _CANDIDATE.finditer(text):
        if sum(ch.isdigit() for ch in candidate.group()) < _MIN_DIGITS:
            continue
        core_end = candidate.start() + len(candidate.group().rstrip(_TRAILING))
        if any(start <= candidate.start() and core_end <= end for start, end in found):
            continue  # our rule already has it whole
        # A few characters of context, so that the matcher sees what stands around the number.
        start = max(0, candidate.start() - 2)
        piece = text[start : candidate.end() + 2]
        for region in _REGIONS:
            for match in phonenumbers.PhoneNumberMatcher(piece, region, leniency=phonenumbers.Leniency.VALID):
                yield start + match.start, start + match.end


DETECTOR = Detector(PHONE_KIND, _find, needs_digit=True)
