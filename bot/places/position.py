"""A shared position is kept to about 1 km: coordinates and button payloads rounded before anything is stored.

Two decimals of a degree are about 1.1 km north-south (less east-west): enough to find the nearest
France Services desk, too coarse to point at a home. The web page rounds before sending, the web
proxy rounds the payload it forwards, and the France Services search rounds what it reads.
"""

from __future__ import annotations

import math
import re

from bot.privacy.detectors.position import DECIMALS, round_coordinate

# A number more precise than DECIMALS: three decimals or more, or an exponent (4869212e-5).
_PRECISE_NUMBER = re.compile(rf"-?\d+\.\d{{{DECIMALS + 1},}}(?:[eE][-+]?\d+)?|-?\d+(?:\.\d+)?[eE][-+]?\d+")


def _rounded(match: re.Match[str]) -> str:
    value = float(match.group())
    return repr(round_coordinate(value)) if math.isfinite(value) else match.group()


def rounded_payload(text: str) -> str:
    """A button payload (``/intent{…}``) with every number rounded to 2 decimals; any other text unchanged.

    Works on the text, not on parsed JSON, so that a malformed payload is rounded too:
    ``/share_position{"latitude": 48.69212, "longitude": "6.18443"}`` ->
    ``/share_position{"latitude": 48.69, "longitude": "6.18"}``.
    """
    if not isinstance(text, str) or not text.lstrip().startswith("/"):
        return text
    return _PRECISE_NUMBER.sub(_rounded, text)
