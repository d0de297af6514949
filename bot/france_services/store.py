"""France Services store: load the ANCT CSV into a SQL database and find the nearest points.

Pure Python + SQLAlchemy (1.4, 2.0-style usage); no Rasa dependency.
"""

from __future__ import annotations

import csv
import math
import os
import re
import weakref
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, delete, insert, select
from sqlalchemy.engine import Engine

from bot.france_services.models import DAYS, KINDS, Base, FranceServicesPoint

ENV_VAR = "FRANCE_SERVICES_DB_URL"
DEFAULT_URL = "sqlite:///var/france_services.db"
PARIS = ZoneInfo("Europe/Paris")
EARTH_RADIUS_KM = 6371.0088

HOURS_COLUMNS = tuple(f"hours_{day}" for day in DAYS)
COLUMNS = tuple(c.name for c in FranceServicesPoint.__table__.columns)
_HOURS_RE = re.compile(r"^\d{1,2}:\d{2} - \d{1,2}:\d{2}( / \d{1,2}:\d{2} - \d{1,2}:\d{2})*$")
_INTERVAL_RE = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")

# Rows cached per engine after the first nearest() call; cleared by load_csv().
_CACHE: weakref.WeakKeyDictionary[Any, list[tuple[Any, ...]]] = weakref.WeakKeyDictionary()


class DataFileError(ValueError):
    """The France Services CSV file is malformed; the message names the line and column."""


@dataclass(frozen=True)
class Point:
    """A France Services point as returned to the bot."""

    id: str
    name: str
    kind: str
    distance_km: float
    full_address: str
    phone: str
    email: str
    hours: dict[str, str | None]  # keys: mon..sat; None = closed or unknown
    appointment: bool
    comment: str
    dep_code: str
    latitude: float
    longitude: float


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


def load_csv(engine: Engine, path: str | os.PathLike[str]) -> int:
    """Replace the table content with the validated CSV rows in one transaction; return the row count."""
    rows = read_csv(path)
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(delete(FranceServicesPoint))
        if rows:
            conn.execute(insert(FranceServicesPoint), rows)
    _CACHE.pop(engine, None)
    return len(rows)


_NEAREST_COLUMNS = (
    "id", "name", "kind", "full_address", "phone", "email", *HOURS_COLUMNS,
    "appointment", "comment", "dep_code", "latitude", "longitude",
)  # fmt: skip


def _rows(engine: Engine) -> list[tuple[Any, ...]]:
    rows = _CACHE.get(engine)
    if rows is None:
        table = FranceServicesPoint.__table__
        stmt = select(*(table.c[name] for name in _NEAREST_COLUMNS)).order_by(table.c.id)
        with engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(stmt)]
        _CACHE[engine] = rows
    return rows


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def nearest(engine: Engine, latitude: float, longitude: float, limit: int = 3) -> list[Point]:
    """Return the ``limit`` points nearest to (latitude, longitude), closest first (ties broken by id)."""
    scored = sorted(
        ((haversine_km(latitude, longitude, r[-2], r[-1]), r[0], r) for r in _rows(engine)),
        key=lambda item: (item[0], item[1]),
    )
    points = []
    for distance, _, r in scored[: max(limit, 0)]:
        values = dict(zip(_NEAREST_COLUMNS, r, strict=True))
        hours = {day: values.pop(f"hours_{day}") or None for day in DAYS}
        values["appointment"] = bool(values["appointment"])
        points.append(Point(distance_km=round(distance, 1), hours=hours, **values))
    return points


def opening_today(point: Point, now: datetime) -> tuple[str | None, bool]:
    """Today's hours text (None if closed/unknown) and whether the point is open at ``now`` (Paris time).

    A naive ``now`` is taken as Paris local time. Sunday is always closed.
    """
    local = now.astimezone(PARIS) if now.tzinfo else now
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
