"""France Services store: load the official ANCT CSV into a SQL database, read the points back, opening hours.

Pure Python + SQLAlchemy (1.4, 2.0-style usage); no Rasa dependency. The columns are in ``schema.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, delete, insert, select
from sqlalchemy.engine import Engine

from bot.france_services.index import Point, to_point
from bot.france_services.raw import DataFileError, read_table
from bot.france_services.schema import DAYS, POINT_COLUMNS, Base, FranceServicesPoint

__all__ = ["DataFileError", "engine_from_url", "load_csv", "load_rows", "opening_today", "read_points"]

ENV_VAR = "FRANCE_SERVICES_DB_URL"
DEFAULT_URL = "sqlite:///var/france_services.db"
PARIS = ZoneInfo("Europe/Paris")
# Overseas departments and collectivities keep their own clocks: their opening hours are local.
LOCAL_TIME_ZONES = {
    "971": "America/Guadeloupe", "972": "America/Martinique", "973": "America/Cayenne", "974": "Indian/Reunion",
    "975": "America/Miquelon", "976": "Indian/Mayotte", "977": "America/St_Barthelemy", "978": "America/Marigot",
}  # fmt: skip


def local_time_zone(dep_code: str) -> ZoneInfo:
    """The time zone of a department: Europe/Paris, or the overseas territory's own."""
    return ZoneInfo(LOCAL_TIME_ZONES[dep_code]) if dep_code in LOCAL_TIME_ZONES else PARIS


BATCH_SIZE = 500
_INTERVAL_RE = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


def engine_from_url(url: str | None = None) -> Engine:
    """Create an engine for ``url``, else $FRANCE_SERVICES_DB_URL, else ``sqlite:///var/france_services.db``."""
    url = url or os.environ.get(ENV_VAR) or DEFAULT_URL
    if url == DEFAULT_URL:
        Path("var").mkdir(exist_ok=True)
    return create_engine(url, future=True)


def load_rows(engine: Engine, rows: list[dict[str, Any]], progress: Callable[[int], None] | None = None) -> int:
    """Replace the table content with validated ``rows`` in one transaction; return the row count.

    ``progress`` is called with the number of rows written after each batch. On any error the
    transaction is rolled back and the previous data stays in place.
    """
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(delete(FranceServicesPoint))
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            conn.execute(insert(FranceServicesPoint), batch)
            if progress:
                progress(len(batch))
    return len(rows)


def load_csv(
    engine: Engine, path: str | os.PathLike[str], progress: Callable[[int], None] | None = None
) -> int:
    """Validate the official CSV file, then replace the table content with it in one transaction."""
    return load_rows(engine, read_table(path), progress)


def read_points(engine: Engine) -> list[Point]:
    """All points of the store, ordered by id (raises SQLAlchemyError when the database is unreachable)."""
    table = FranceServicesPoint.__table__
    stmt = select(*(table.c[name] for name in POINT_COLUMNS)).order_by(table.c.id)
    with engine.connect() as conn:
        return [to_point(row._mapping) for row in conn.execute(stmt)]


def points_from_rows(rows: list[dict[str, Any]]) -> list[Point]:
    """Points from validated rows (see ``raw.read_table``), ordered by id like :func:`read_points`."""
    return [to_point(row) for row in sorted(rows, key=lambda r: r["id"])]


def opening_today(point: Point, now: datetime) -> tuple[str | None, bool]:
    """Today's hours text (None if closed/unknown) and whether the point is open at ``now``.

    Hours are read in the point's local time (Europe/Paris, or the overseas territory's zone); a
    naive ``now`` is taken as that local time. Sunday is always closed.
    """
    local = now.astimezone(local_time_zone(point.dep_code)) if now.tzinfo else now
    weekday = local.weekday()
    if weekday >= len(DAYS):
        return None, False
    text = point.hours.get(DAYS[weekday])
    if not text:
        return None, False
    minute = local.hour * 60 + local.minute
    for h1, m1, h2, m2 in _INTERVAL_RE.findall(text):
        if int(h1) * 60 + int(m1) <= minute < int(h2) * 60 + int(m2):
            return text, True
    return text, False
