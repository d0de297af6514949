"""Code-like words anywhere: 6 to 16 characters mixing letters and digits (« j'ai tapé 7XK29QPA »), and a
bare six-digit number (« 482913 », the length of a code received by SMS).

Runs last, on the text with the other detections blanked out, so it cuts words as their placeholders will."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.privacy.common import strip_token
from bot.privacy.detector import Detector, Scan
from bot.privacy.detectors.codes import TOKEN_CHAR, TOKEN_SEPARATORS, is_benign
from bot.privacy.kinds import CODE_KIND

_DIGIT_TOKEN = re.compile(rf"\d{TOKEN_CHAR}*")  # from a token's first digit to its end
_SIX_DIGITS = re.compile(  # not a quantity: « 100000 habitants », « 250000 € »
    r"(?<![\w.,/\-+])\d{6}(?![\w,/\-]|\.\d|\s?(?:€|%|(?i:euros?|eur|habitants?|personnes?|documents?|patients?"
    r"|utilisateurs?|assur[ée]s?|comptes?|profils?|fois|km|ans|mois|jours)\b))"
)


def _find(scan: Scan) -> Iterator[tuple[int, int]]:
    text = scan.text
    for m in _DIGIT_TOKEN.finditer(text):
        start = m.start()
        if start == 0 or text[start - 1].isspace() or text[start - 1] in TOKEN_SEPARATORS:
            if m.group().isdigit():
                continue  # a plain number
        else:
            while start and not text[start - 1].isspace() and text[start - 1] not in TOKEN_SEPARATORS:
                start -= 1
        start, end = strip_token(text, start, m.end())
        token = text[start:end]
        if 6 <= len(token) <= 16 and any(c.isalpha() for c in token) and not is_benign(token):
            yield start, end
    for m in _SIX_DIGITS.finditer(text):
        yield m.start(), m.end()


DETECTOR = Detector(CODE_KIND, _find, needs_digit=True, dropped_in_links=True, late=True)
