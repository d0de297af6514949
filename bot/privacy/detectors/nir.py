"""Social security number (NIR): its structure, or any 15 digits whose key python-stdnum accepts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum.fr import nir as stdnum_nir

from bot.privacy.common import SEP, digit_run
from bot.privacy.detector import Detector, Scan
from bot.privacy.kinds import NIR_KIND

# Sex, year, month, department (2A/2B), commune, order, key; or a standalone run of 11 to 15 digits.
DIGIT_RUN = re.compile(  # starts with a character class, so that re skips other positions quickly
    rf"\d(?<![\d+]\d)(?:(?P<nir>(?<=[1278]){SEP}\d{SEP}\d{SEP}"  # sex (1, 2; 7, 8 temporary), year
    rf"(?:0{SEP}[1-9]|1{SEP}[0-2]|[2-9]{SEP}\d){SEP}"  # month 01-12, or 20-99 (unknown/special)
    rf"(?:0{SEP}[1-9]|[1-9]{SEP}\d|2{SEP}[AaBb]){SEP}"  # department, Corsica 2A / 2B
    rf"{digit_run(3)}{SEP}{digit_run(3)}(?:{SEP}\d{SEP}\d)?)"  # commune, order, optional key
    r"|(?<!\w\d)(?!(?<=0)0)(?:(?P<long>\d{13,14})|\d{10,12})(?![^\W\d_]))(?!\d)"  # standalone runs of 14-15
    # digits: a NIR anyway; of 11-13: a carte Vitale. Not inside a word: a4f1200045678901 is a hex id.
)
# Fifteen digits in any grouping (« 185 0578 0060 8436 », « 1/85/05/… »), checked by their key.
_KEYED = re.compile(rf"(?<![\w+])[1-478]{SEP}(?:[\dAaBb]{SEP}){{13}}\d(?!\w)")


def digit_runs(scan: Scan) -> Iterator[tuple[int, int, bool]]:
    """(start, end, is_nir) for every NIR-shaped or long standalone digit run."""
    for m in DIGIT_RUN.finditer(scan.text):
        yield m.start(), m.end(), bool(m.group("nir") or m.group("long"))


def _find(scan: Scan) -> Iterator[tuple[int, int]]:
    for start, end, is_nir in digit_runs(scan):
        if is_nir:
            yield start, end
    for m in _KEYED.finditer(scan.text):
        if stdnum_nir.is_valid(re.sub(r"[^\dAaBb]", "", m.group()).upper()):
            yield m.start(), m.end()


DETECTOR = Detector(NIR_KIND, _find, needs_digit=True)
