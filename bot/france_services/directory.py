"""The France Services directory used by the assistant: the database, with an in-memory copy that survives outages."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.france_services.index import Point, PointIndex, one_per_place
from bot.france_services.raw import SHIPPED_FILE, read_table
from bot.france_services.store import points_from_rows, read_points

log = logging.getLogger(__name__)

RELOAD_SECONDS = 300.0


@dataclass(frozen=True)
class Lookup:
    """Nearest points and their origin: "database", "memory" (kept copy, database down), "file" or "none"."""

    points: list[Point]
    source: str


class Directory:
    """Nearest-point search that keeps answering when the database is down.

    The database is read at most every ``reload_seconds``; between reads, and whenever it cannot be
    reached, the last good copy answers. With no copy at all, the shipped official CSV file is read.
    """

    def __init__(
        self,
        engine: Engine | None,
        fallback_csv: Path | None = SHIPPED_FILE,
        reload_seconds: float = RELOAD_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._fallback_csv = fallback_csv
        self._reload_seconds = reload_seconds
        self._clock = clock
        self._index: PointIndex | None = None
        self._source = "none"
        self._loaded_at = -float("inf")
        self._last_read_ok = False

    @property
    def source(self) -> str:
        """Where the current copy came from: "database", "file" or "none"."""
        return self._source

    def refresh(self) -> bool:
        """Re-read the database now; return False (keeping the current copy) when it fails or is empty."""
        self._loaded_at = self._clock()
        self._last_read_ok = False
        if self._engine is None:
            return False
        try:
            points = read_points(self._engine)
        except SQLAlchemyError as error:
            log.warning("France Services database unreachable (%s); using the in-memory copy", type(error).__name__)
            return False
        if not points:
            log.warning("France Services database is empty; run `python -m tools data load`")
            return False
        self._index, self._source, self._last_read_ok = PointIndex(one_per_place(points)), "database", True
        return True

    def _fallback(self) -> None:
        if self._fallback_csv is None:
            return
        try:
            self._index = PointIndex(one_per_place(points_from_rows(read_table(self._fallback_csv))))
            self._source = "file"
        except (OSError, ValueError) as error:
            log.error("France Services fallback file unusable: %s", error)

    def _current(self) -> PointIndex | None:
        """The copy to answer from: re-read when due, the shipped file when there is none."""
        if self._clock() - self._loaded_at >= self._reload_seconds:
            self.refresh()
        if self._index is None:
            self._fallback()
        return self._index

    def nearest(self, latitude: float, longitude: float, limit: int = 3) -> Lookup:
        """The nearest points; ``source`` tells whether they came from a fresh read or a kept copy."""
        index = self._current()
        if index is None:
            return Lookup([], "none")
        source = "memory" if self._source == "database" and not self._last_read_ok else self._source
        return Lookup(index.nearest(latitude, longitude, limit), source)

    def desk(self, desk_id: object) -> Point | None:
        """The desk with this id, as the directory has it now; None for anything else.

        ``desk_id`` is read from a slot: an id no longer in the directory, or an older slot value
        (the desk's own text, before slots held ids), gives None.
        """
        if not isinstance(desk_id, str) or not desk_id:
            return None
        index = self._current()
        return index.get(desk_id) if index is not None else None
