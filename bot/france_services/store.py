"""France Services store: load the ANCT CSV into a SQL database and find the nearest points.

Pure Python + SQLAlchemy (1.4, 2.0-style usage); no Rasa dependency.
"""

from __future__ import annotations

import csv
import math
import os
import re
import weakref
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, delete, insert, select
from sqlalchemy.engine import Engine

from bot.france_services.index import EARTH_RADIUS_KM, Point, PointIndex
from bot.france_services.models import DAYS, KINDS, Base, FranceServicesPoint

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

HOURS_COLUMNS = tuple(f"hours_{day}" for day in DAYS)
COLUMNS = tuple(c.name for c in FranceServicesPoint.__table__.columns)
_HOURS_RE = re.compile(r"^\d{1,2}:\d{2} - \d{1,2}:\d{2}( / \d{1,2}:\d{2} - \d{1,2}:\d{2})*$")
_INTERVAL_RE = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")

# Index kept per engine after the first nearest() call; cleared by load_rows().
_CACHE: weakref.WeakKeyDictionary[Any, PointIndex] = weakref.WeakKeyDictionary()


class DataFileError(ValueError):
    """The France Services CSV file is malformed; the message names the line and column."""


def engine_from_url(url: str | None = None) -> Engine:
    """Create an engine for ``url``, else $FRANCE_SERVICES_DB_URL, else ``sqlite:///var/france_services.db``."""
    url = url or os.environ.get(ENV_VAR) or DEFAULT_URL
    if url == DEFAULT_URL:
        Path("var").mkdir(exist_ok=True)
    return create_engine(url, future=True)


def _error(line: int, column: str, message: str) -> DataFileError:
    return DataFileError(f"ligne {line}, colonne {column}: {message}")


def _parse_row(raw: dict[str | None, Any], line: int) -> dict[str, Any]:
    """Validate one CSV row and convert it to column values."""
    if raw.get(None):
        raise _error(line, "(fin de ligne)", "trop de valeurs sur la ligne")
    row: dict[str, Any] = {}
    for col in COLUMNS:
        value = raw.get(col)
        if value is None:
            raise _error(line, col, "valeur manquante (ligne trop courte)")
        row[col] = value.strip()
    if not row["id"]:
        raise _error(line, "id", "identifiant vide")
    if not row["name"]:
        raise _error(line, "name", "nom vide")
    if row["kind"] not in KINDS:
        raise _error(line, "kind", f"type « {row['kind']} » inconnu (attendu : {', '.join(KINDS)})")
    for col, bound in (("latitude", 90.0), ("longitude", 180.0)):
        try:
            number = float(row[col])
        except ValueError:
            raise _error(line, col, f"« {row[col]} » n'est pas un nombre") from None
        if not math.isfinite(number) or abs(number) > bound:
            raise _error(line, col, f"{number} hors de l'intervalle [-{bound:g}, {bound:g}]")
        row[col] = number
    for col in HOURS_COLUMNS:
        if row[col] and not _HOURS_RE.match(row[col]):
            raise _error(line, col, f"horaires « {row[col]} » illisibles")
    if row["appointment"] not in ("Oui", "Non", ""):
        raise _error(line, "appointment", f"« {row['appointment']} » au lieu de Oui/Non")
    row["appointment"] = row["appointment"] == "Oui"
    try:
        row["labelled_since"] = date.fromisoformat(row["labelled_since"]) if row["labelled_since"] else None
    except ValueError:
        raise _error(line, "labelled_since", f"date « {row['labelled_since']} » invalide") from None
    return row


def read_csv(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read and validate the whole CSV file; raise DataFileError on the first bad value."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        for col in COLUMNS:
            if col not in header:
                raise _error(1, col, "colonne absente de l'en-tête")
        rows: list[dict[str, Any]] = []
        seen: set[str] = set()
        for raw in reader:
            row = _parse_row(raw, reader.line_num)
            if row["id"] in seen:
                raise _error(reader.line_num, "id", f"identifiant « {row['id']} » en double")
            seen.add(row["id"])
            rows.append(row)
    return rows


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
    _CACHE.pop(engine, None)
    return len(rows)


def load_csv(
    engine: Engine, path: str | os.PathLike[str], progress: Callable[[int], None] | None = None
) -> int:
    """Validate the CSV file, then replace the table content with it in one transaction."""
    return load_rows(engine, read_csv(path), progress)


_POINT_COLUMNS = (
    "id", "name", "kind", "full_address", "phone", "email", *HOURS_COLUMNS,
    "appointment", "comment", "dep_code", "latitude", "longitude",
)  # fmt: skip


def _point(values: dict[str, Any]) -> Point:
    values = {name: values[name] for name in _POINT_COLUMNS}
    hours = {day: values.pop(f"hours_{day}") or None for day in DAYS}
    values["appointment"] = bool(values["appointment"])
    return Point(distance_km=0.0, hours=hours, **values)


def read_points(engine: Engine) -> list[Point]:
    """All points of the store, ordered by id (raises SQLAlchemyError when the database is unreachable)."""
    table = FranceServicesPoint.__table__
    stmt = select(*(table.c[name] for name in _POINT_COLUMNS)).order_by(table.c.id)
    with engine.connect() as conn:
        return [_point(dict(row._mapping)) for row in conn.execute(stmt)]


def points_from_rows(rows: list[dict[str, Any]]) -> list[Point]:
    """Points from validated CSV rows (see :func:`read_csv`), ordered by id like :func:`read_points`."""
    return [_point(row) for row in sorted(rows, key=lambda r: r["id"])]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def nearest(engine: Engine, latitude: float, longitude: float, limit: int = 3) -> list[Point]:
    """Return the ``limit`` points nearest to (latitude, longitude), closest first (ties broken by id).

    The points are read once per engine and kept in memory; :func:`load_rows` clears that copy.
    """
    index = _CACHE.get(engine)
    if index is None:
        index = PointIndex(read_points(engine))
        _CACHE[engine] = index
    return index.nearest(latitude, longitude, limit)


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
