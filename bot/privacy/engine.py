"""The engine: run the detectors on a text, merge their spans, replace them, read the result again.

Overlapping spans are merged and the merged span takes the placeholder of its highest-priority
kind (order of ``KINDS``), so a later rule never reads a placeholder. A text in which something
was found is read once more (a placeholder can end a word glued to the secret), which makes
``redact`` idempotent. ``DETECTORS`` is read at every call: a test can take one out.

Most strings the tracker store redacts come back message after message (the answers' texts,
buttons, intent and action names). A text in which nothing was found is remembered by a digest
(``blake2b``, never the text itself), so it is not read again while the detectors stay the same.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from bot.privacy.common import DIGIT
from bot.privacy.detector import Detector, Scan
from bot.privacy.detectors import ALL
from bot.privacy.kinds import KINDS, PLACEHOLDERS, TRUNCATED
from bot.privacy.normalize import normalize
from bot.privacy.public import is_public, public_addresses

DETECTORS: tuple[Detector, ...] = ALL
MAX_CHARS = 20_000
"""Characters analysed per string; the rest is replaced by ``TRUNCATED``."""

_MARGIN = 512  # longer than any single match: spans crossing MAX_CHARS are still seen whole
_MAX_PASSES = 6  # a text with personal data is read twice, glued secrets rarely three times
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"«»]+", re.IGNORECASE)
_HEX_ID = re.compile(  # UUIDs and hex digests (sender, message and model ids)
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{24,}"
)
_RANK = {kind: rank for rank, kind in enumerate(KINDS)}

Ranked = tuple[int, int, int]  # start, end, rank of the kind in KINDS

CLEAN_DIGESTS_MAX = 20_000
"""Digests of texts found clean kept at most (16 bytes each); all are forgotten when it is reached."""
_clean: set[bytes] = set()
_clean_for: tuple[Detector, ...] = DETECTORS  # the detectors that found them clean


def spans(text: str) -> list[Ranked]:
    """Every detection as (start, end, rank), possibly overlapping; none inside public data."""
    scan = Scan(text, text.lower(), DIGIT.search(text) is not None)
    found: list[Ranked] = []
    late: list[Detector] = []
    for detector in DETECTORS:
        if detector.late:
            late.append(detector)
        elif detector.runs_on(scan):
            found.extend(_ranked(detector, scan))
    found = _not_in_links_or_ids(scan, found)
    public = [(start, end) for start, end, rank in found if _public(text, (start, end, rank))]
    if scan.has_digit:  # a desk's address stands before its postcode
        public += public_addresses(text)
    found = [span for span in found if not _inside(span, public)]
    if late:  # on the text with the others (and public data) blanked out, which cut words as placeholders will
        hidden = found + [(start, end, 0) for start, end in public]
        blanked = Scan(_blank(text, hidden), scan.lowered, scan.has_digit) if hidden else scan
        extra = [s for d in late if d.runs_on(blanked) for s in _ranked(d, blanked)]
        found.extend(span for span in _not_in_links_or_ids(scan, extra) if not _inside(span, public))
    return found


def _public(text: str, span: Ranked) -> bool:
    """A France Services desk's published phone, e-mail or address: kept (bot.privacy.public)."""
    return is_public(KINDS[span[2]], text[span[0] : span[1]], text[span[1] : span[1] + 12])


def _inside(span: Ranked, regions: list[tuple[int, int]]) -> bool:
    """A span inside one of the regions (a desk's published address, phone or e-mail)."""
    return any(a <= span[0] and span[1] <= b for a, b in regions)


def _ranked(detector: Detector, scan: Scan) -> list[Ranked]:
    rank = _RANK[detector.kind]
    return [(start, end, rank) for start, end in detector.find(scan)]


def _blank(text: str, found: list[Ranked]) -> str:
    """``text`` with the spans replaced by as many spaces: positions stay, words are cut."""
    pieces: list[str] = []
    position = 0
    for start, end, _ in sorted(found):
        if end <= position:
            continue
        start = max(start, position)
        pieces.append(text[position:start])
        pieces.append(" " * (end - start))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _not_in_links_or_ids(scan: Scan, found: list[Ranked]) -> list[Ranked]:
    """Drop the guesses inside web links (keep NIR, e-mail, phone…) and anything inside a UUID or hex id."""
    if found and ("http" in scan.lowered or "www." in scan.lowered):
        guesses = {_RANK[d.kind] for d in DETECTORS if d.dropped_in_links}
        found = _drop_inside(found, _URL.finditer(scan.text), guesses)
    return [span for span in found if not _inside_hex_id(scan.text, span[0], span[1])]


def _is_id_char(char: str) -> bool:
    return char.isalnum() or char in "-_"


def _inside_hex_id(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] lies inside a word that is a UUID or a long hex digest."""
    size = len(text)
    if (start == 0 or not _is_id_char(text[start - 1])) and (end == size or not _is_id_char(text[end])):
        return False  # a whole word: no detection is as long as an id
    while start and _is_id_char(text[start - 1]):
        start -= 1
    while end < size and _is_id_char(text[end]):
        end += 1
    return _HEX_ID.fullmatch(text, start, end) is not None


def _drop_inside(found: list[Ranked], regions: Iterable[re.Match[str]], ranks: set[int]) -> list[Ranked]:
    """The spans, less those of the given ranks that lie wholly inside one of the regions."""
    bounds = [(m.start(), m.end()) for m in regions]
    if not bounds:
        return found
    return [span for span in found if span[2] not in ranks or not _inside(span, bounds)]


def merge(found: Iterable[Ranked]) -> list[Ranked]:
    """Union of overlapping spans, each labelled with its highest-priority (lowest) rank."""
    merged: list[Ranked] = []
    for start, end, rank in sorted(found):
        if end <= start:
            continue
        if merged and start < merged[-1][1]:
            last_start, last_end, last_rank = merged[-1]
            merged[-1] = (last_start, max(last_end, end), min(last_rank, rank))
        else:
            merged.append((start, end, rank))
    return merged


def _replacement(text: str, rank: int) -> str:
    kind = KINDS[rank]
    for detector in DETECTORS:
        if detector.kind == kind and detector.rewrite is not None:
            return detector.rewrite(text)
    return PLACEHOLDERS[kind]


def _replace(text: str, merged: list[Ranked], end: int) -> str:
    """text[:end] with each merged span replaced by its placeholder (or rewritten)."""
    pieces: list[str] = []
    position = 0
    for start, stop, rank in merged:
        pieces.append(text[position:start])
        pieces.append(_replacement(text[start:stop], rank))
        position = stop
    pieces.append(text[position:end])
    return "".join(pieces)


def _found_in(text: str) -> list[Ranked]:
    """The merged spans of ``text``, found in its normalised form and placed back on ``text`` itself."""
    clean, origins = normalize(text)
    found = spans(clean)
    if clean is not text:
        found = [(origins[start], origins[end - 1] + 1, rank) for start, end, rank in found if end > start]
    return merge(found)


def analyse(text: str) -> tuple[str, list[int]]:
    """The redacted text and the ranks of the kinds found.

    The detectors read a normalised copy (Unicode dashes and spaces, invisible characters); what they
    find is replaced in the text as written. A placeholder can make a new detection possible (its
    brackets end a word that was glued to the secret, or it hides the "+33" that made digits a phone
    number), so a changed result is analysed again until nothing changes: redact(redact(x)) == redact(x).
    """
    global _clean_for
    if DETECTORS is not _clean_for:
        _clean.clear()
        _clean_for = DETECTORS
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    if digest in _clean:
        return text, []
    truncated = len(text) > MAX_CHARS
    window = text[: MAX_CHARS + _MARGIN] if truncated else text
    merged = _found_in(window)
    cut = len(text)
    if truncated:
        cut = MAX_CHARS
        for start, end, _ in merged:
            if start < cut < end:
                cut = end  # never cut a detection in two
        merged = [span for span in merged if span[0] < cut]
    if not merged and not truncated:
        if len(_clean) >= CLEAN_DIGESTS_MAX:
            _clean.clear()
        _clean.add(digest)
        return text, []
    ranks = {rank for _, _, rank in merged}
    result = _replace(text, merged, cut)
    for _ in range(_MAX_PASSES - 1):
        if not merged:
            break
        merged = _found_in(result)
        ranks.update(rank for _, _, rank in merged)
        result = _replace(result, merged, len(result))
    if truncated:
        result += " " + TRUNCATED
    return result, sorted(ranks)
