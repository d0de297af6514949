"""Bank details: an IBAN (mod 97) or a payment card number (Luhn), both checked by python-stdnum."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban, luhn

from bot.privacy.common import SP
from bot.privacy.detector import Detector, Scan
from bot.privacy.kinds import BANK_KIND

_IBAN = re.compile(rf"(?<![^\W\d_])[A-Za-z]{{2}}{SP}?\d{{2}}(?:{SP}?-?{SP}?[A-Za-z0-9]){{11,30}}(?![A-Za-z0-9])")
_CARD = re.compile(rf"(?<![\d+])\d(?:{SP}?[\-.]?{SP}?\d){{12,18}}(?!\d)")


_MIN_DIGITS = 11  # every IBAN and card number has at least this many digits


def _find(scan: Scan) -> Iterator[tuple[int, int]]:
    if sum(ch.isdigit() for ch in scan.text) < _MIN_DIGITS:
        return
    for m in _IBAN.finditer(scan.text):
        # The pattern may run over a word after the IBAN: the longest prefix whose check digits agree.
        chars = [ch.upper() for ch in m.group() if ch.isalnum()]
        ends = [m.start() + i + 1 for i, ch in enumerate(m.group()) if ch.isalnum()]
        for size in range(len(chars), 14, -1):
            if iban.is_valid("".join(chars[:size])):
                yield m.start(), ends[size - 1]
                break
    for m in _CARD.finditer(scan.text):
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and luhn.is_valid(digits) and digits[0] in "23456":
            yield m.start(), m.end()


DETECTOR = Detector(BANK_KIND, _find, needs_digit=True)
