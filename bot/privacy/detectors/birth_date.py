"""Dates of birth, only after a birth word: « né le 12/03/1950 », « née à Lyon le 3 avril 1948 »,
« date de naissance : douze mars mille neuf cent cinquante », « DDN 03.07.1962 »."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.privacy.common import MONTHS, SP
from bot.privacy.detector import Detector, Scan
from bot.privacy.kinds import BIRTH_DATE_KIND
from bot.privacy.words import NUMBER_WORDS

_NUMBER_WORD = "(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_IN_WORDS = rf"(?i:{_NUMBER_WORD}(?:[\- ]{_NUMBER_WORD}){{0,8}})"
_DATE = (
    rf"(?:\d{{1,2}}{SP}?[/.\-]{SP}?\d{{1,2}}{SP}?[/.\-]{SP}?\d{{2,4}}"
    rf"|(?:(?i:1er)|\d{{1,2}}|{_IN_WORDS}){SP}+(?i:{MONTHS})(?:{SP}+(?:\d{{4}}|{_IN_WORDS}))?"
    rf"|\d{{1,2}}{SP}\d{{1,2}}{SP}(?:\d{{4}}|\d{{2}})|\d{{8}})(?![\d\w])"
)
_DATE_OF_BIRTH = re.compile(
    rf"[nNdD](?<![\w\[][nNdD])(?:(?<=[nN])(?i:[ée]e?s?|[ée]\(e\))(?:{SP}+(?i:[àa]|au|en){SP}+[^\W\d][\w'’\-]*"
    rf"(?:{SP}+[^\W\d][\w'’\-]*){{0,3}}?)?{SP}+(?i:le)|(?<=[nN])(?i:aissance)"
    rf"|(?<=[dD])(?i:ate{SP}+de{SP}+naissance|dn))"  # né le, née à Lyon le, date de naissance, naissance, DDN
    rf"(?:{SP}*[:=])?(?:{SP}+(?i:est|c['’]est|le))*{SP}*"
    rf"(?P<date>{_DATE}(?:(?:{SP}*,{SP}*|{SP}+(?i:et|puis){SP}+)(?:(?i:le){SP}+)?{_DATE})*)"  # twins, siblings
)
_CUES = ("né", "ne", "naissance", "ddn")


def _find(scan: Scan) -> Iterator[tuple[int, int]]:
    for m in _DATE_OF_BIRTH.finditer(scan.text):
        yield m.start("date"), m.end("date")


DETECTOR = Detector(BIRTH_DATE_KIND, _find, cues=_CUES, dropped_in_links=True)
