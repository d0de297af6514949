"""Street addresses: a number and a street type (« 12 rue … », « au 12 de la rue … », « 12 r. … ») or a
keyword (« lieu-dit », « résidence », « bâtiment B », « BP 12 »). The postcode and commune after it stay."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.privacy.common import SP
from bot.privacy.detector import Detector, Scan
from bot.privacy.kinds import ADDRESS_KIND
from bot.privacy.words import ADDRESS_HINTS, AMBIGUOUS_STREET_TYPES, ELIDED_PRONOUNS, STOP_WORDS, STREET_TYPES

_WORDS = re.compile(r"[\s'’]+")  # « de l'avenue » holds the word « avenue »
_NAME_WORD = re.compile(rf"{SP}+([^\W\d_][\w'’\-]*|\d{{1,4}}(?!\d))")
_NUMBER_THEN_WORD = re.compile(  # "12 rue", "3 bis avenue", "15, boulevard", "12-14 rue", "12 de la rue"
    rf"\d(?<![\w.,/\-]\d)\d{{0,3}}(?:{SP}?(?i:bis|ter|quater)(?!\w)|{SP}?[a-dA-D](?!\w))?"
    rf"(?:{SP}?[-/]{SP}?\d{{1,4}})?{SP}*,?{SP}*(?:(?i:de{SP}+la|de{SP}+l['’]|du|des){SP}*)?"
    rf"(?P<type>[^\W\d_][\w\-]*\.?)"
)
_KEYWORD_ADDRESS = re.compile(
    rf"(?P<place>(?<![\w\[])(?i:lieu[- ]?dit)(?:{SP}*:)?)"
    rf"|(?P<residence>(?<![\w\[])(?i:r[ée]sidence|lotissement|cit[ée]|hameau){SP}+"
    rf"(?:[A-ZÀ-ÖØ-Ý][\w'’\-]*|(?i:les|le|la|du|des){SP}+[^\W\d_][\w'’\-]*|(?i:l['’])[^\W\d_][\w'’\-]*))"
    rf"|(?<![\w\[])(?i:b[âa]timent|b[âa]t\.?|appartement|appart\.?|app?t\.?|escalier|esc\.)"
    rf"{SP}*(?:(?i:n[°o]\.?|num[ée]ro){SP}*)?(?:\d{{1,4}}[A-Za-z]?|[A-Z])(?!\w)"
    rf"|(?<![\w\[])(?:[Bb]\.?[Pp]\.?|(?i:bo[îi]te{SP}+postale)|CS|TSA){SP}*(?:(?i:n[°o]){SP}*)?\d{{1,6}}(?!\d)"
)


def name_end(text: str, position: int, most: int) -> tuple[int, int]:
    """End of the street or place name starting at ``position`` and its number of words.

    The name stops before a 5-digit postcode, punctuation, or a word that starts a new clause
    (« à », « et », « je », « j'ai »…), so that the postcode and commune stay readable.
    """
    words = 0
    while words < most:
        m = _NAME_WORD.match(text, position)
        if m is None:
            break
        word = m.group(1).lower()
        if word in STOP_WORDS or word.startswith(ELIDED_PRONOUNS):
            break
        position = m.end()
        words += 1
    return position, words


def _has_capital_word(name: str) -> bool:
    return any(word[:1].isupper() for word in name.split())


def _find(scan: Scan) -> Iterator[tuple[int, int]]:
    text, lowered = scan.text, scan.lowered
    street_words = STREET_TYPES.intersection(_WORDS.split(lowered)) if scan.has_digit else ()
    if street_words:  # the number stands a few characters before the first street word: "12 bis, rue"
        first = min(m.start() for word in street_words if (m := re.search(rf"(?<![\w.]){re.escape(word)}", lowered)))
        last_end = 0
        for m in _NUMBER_THEN_WORD.finditer(text, max(0, first - 40)):
            kind = m.group("type").lower()
            if m.start() >= last_end and (kind in STREET_TYPES or kind.rstrip(".") in STREET_TYPES):
                end, words = name_end(text, m.end(), 7)
                if words and (kind not in AMBIGUOUS_STREET_TYPES or _has_capital_word(text[m.end() : end])):
                    yield m.start(), end
                    last_end = end
    if "CS" in text or "TSA" in text or any(word in lowered for word in ADDRESS_HINTS):
        for m in _KEYWORD_ADDRESS.finditer(text):
            end = m.end()
            if m.group("place"):
                end, words = name_end(text, end, 7)
                if not words:
                    continue
            elif m.group("residence"):
                end = name_end(text, end, 6)[0]
            yield m.start(), end


DETECTOR = Detector(ADDRESS_KIND, _find)
