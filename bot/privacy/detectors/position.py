"""Geographic positions: coordinates with more than two decimals are rounded to two (about 1 km).

A shared position says where someone lives to the metre; rounded, it still finds the nearest desks."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.privacy.detector import Detector, Scan
from bot.privacy.kinds import POSITION_KIND

DECIMALS = 2
_NUMBER = r"-?\d{1,3}\.\d{3,}"
_COMMA_NUMBER = r"-?\d{1,3},\d{3,}"  # « 48,692345 »: a French decimal comma
_END = r"(?!\w|[.,]\d)"
# A pair « 48.692345, 6.184417 » or « 48,692345 6,184417 », or one number after a latitude/longitude key
# (« "lat": 48.6923 », « longitude 6.1844 »).
_PAIR = re.compile(
    rf"(?<![\w.,])(?:({_NUMBER})\s*[,;/ ]\s*({_NUMBER})|({_COMMA_NUMBER})\s*[;/ ]\s*({_COMMA_NUMBER})){_END}"
)
_KEYED = re.compile(
    rf"(?i:lat(?:itude)?|lon(?:gitude)?|lng)[\"']?\s*[:=]?\s*[\"']?({_NUMBER}|{_COMMA_NUMBER}){_END}"
)
_ONE = re.compile(r"-?\d{1,3}[.,]\d{3,}")


def round_coordinate(value: float) -> float:
    """A latitude or longitude rounded to about 1 km: 48.69212 -> 48.69 (never -0.0)."""
    return round(float(value), DECIMALS) + 0.0


def _rewrite(match: str) -> str:
    """The matched text with each coordinate rounded."""
    def rounded(m: re.Match[str]) -> str:
        number = f"{round_coordinate(float(m.group().replace(',', '.'))):.{DECIMALS}f}"
        return number.replace(".", ",") if "," in m.group() else number

    return _ONE.sub(rounded, match)


def _find(scan: Scan) -> Iterator[tuple[int, int]]:
    for m in _PAIR.finditer(scan.text):
        latitude, longitude = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if abs(float(latitude.replace(",", "."))) <= 90 and abs(float(longitude.replace(",", "."))) <= 180:
            yield m.start(), m.end()
    for m in _KEYED.finditer(scan.text):
        yield m.start(1), m.end(1)


DETECTOR = Detector(POSITION_KIND, _find, needs_digit=True, rewrite=_rewrite)
