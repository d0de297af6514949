"""What a detector is: a kind of personal data, cheap cues that say when to look, and a finder."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Scan:
    """The text being analysed, with what several detectors need computed once."""

    text: str
    lowered: str
    has_digit: bool


Span = tuple[int, int]


@dataclass(frozen=True)
class Detector:
    """One kind of personal data and how to find it.

    ``cues``: lower-case substrings, one of which must be in the text for ``find`` to run (none:
    always runs); most messages hold no digit and no keyword, so most detectors are skipped.
    ``dropped_in_links``: its matches wholly inside a web link are guesses to drop (a code-like
    path segment), not secrets. ``late``: runs after the others, on the text with their matches
    blanked out. ``rewrite``: the replacement for a match when it is not the kind's placeholder
    (a position is rounded, not hidden).
    """

    kind: str
    find: Callable[[Scan], Iterable[Span]]
    cues: tuple[str, ...] = ()
    needs_digit: bool = False
    dropped_in_links: bool = False
    late: bool = False
    rewrite: Callable[[str], str] | None = None

    def runs_on(self, scan: Scan) -> bool:
        """Whether the text may hold this kind at all (cheap checks only)."""
        if self.needs_digit and not scan.has_digit:
            return False
        return not self.cues or any(cue in scan.lowered for cue in self.cues)
