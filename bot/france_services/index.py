"""In-memory index of France Services points: nearest points by great-circle distance (NumPy).

This is the one nearest search: the assistant (``directory.Directory``), the tests and the benchmark use it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from bot.france_services.schema import BY_NAME, HOURS_COLUMNS, POINT_COLUMNS, python_type
from bot.text import normalize

EARTH_RADIUS_KM = 6371.0088
_FIELDS = tuple(name for name in POINT_COLUMNS if name not in HOURS_COLUMNS)

Point: Any = dataclasses.make_dataclass(
    "Point",
    [
        *((name, python_type(BY_NAME[name])) for name in _FIELDS),
        ("hours", dict[str, str | None]),  # keys: mon..sat; None = closed or unknown
        ("distance_km", float, dataclasses.field(default=0.0)),
    ],
    frozen=True,
)
Point.__module__ = __name__
Point.__doc__ = """A France Services point as the assistant has it: the schema's ``point`` fields (schema.py), its
hours by day and, in search results, its distance in km."""


def to_point(values: Mapping[str, Any]) -> Any:
    """A Point from a stored or loaded row (any mapping holding the schema's point columns)."""
    hours = {day: values[name] or None for name, day in HOURS_COLUMNS.items()}
    return Point(hours=hours, **{name: values[name] for name in _FIELDS})


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (one pair at a time: what :class:`PointIndex` computes for all)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


# Two rows of the list can be one desk: « Bus France services Lavoisier Brustlein » and « France services Lavoisier
# Brustlein », same street, telephone and e-mail (a persona got both among the three nearest desks of Mulhouse,
# 6 December 2026); 19 such pairs in the August 2024 list.
SAME_PLACE_KM = 0.2


def _place_key(point: Any) -> tuple[str, str, str] | None:
    if not (point.phone and point.email and point.full_address):
        return None
    street = normalize(point.full_address.split(",")[0]).replace(" ", "")
    return street, "".join(filter(str.isdigit, point.phone)), point.email.strip().lower()


def _known_days(point: Any) -> int:
    return sum(1 for value in point.hours.values() if value)


def one_per_place(points: Sequence[Any]) -> list[Any]:
    """``points`` with one row per desk: rows with the same street, telephone and e-mail, less than
    ``SAME_PLACE_KM`` apart, are one desk, given by the row that knows the most opening days (then a fixed desk
    before a bus, then the smaller id)."""
    kept: dict[tuple[str, str, str], list[Any]] = {}
    alone = []
    for point in sorted(points, key=lambda p: (-_known_days(p), p.kind == "bus", p.id)):
        key = _place_key(point)
        if key is None:
            alone.append(point)
            continue
        same = kept.setdefault(key, [])
        if all(haversine_km(p.latitude, p.longitude, point.latitude, point.longitude) >= SAME_PLACE_KM for p in same):
            same.append(point)
    return alone + [p for group in kept.values() for p in group]


class PointIndex:
    """Immutable snapshot of all points; ``nearest`` costs one vectorised pass (~0.1 ms for 3,000 points)."""

    def __init__(self, points: Sequence[Any]) -> None:
        self._points = sorted(points, key=lambda p: p.id)  # ties are broken by id, whatever the source order
        self._lat = np.radians(np.array([p.latitude for p in self._points], dtype=np.float64))
        self._lon = np.radians(np.array([p.longitude for p in self._points], dtype=np.float64))
        self._cos_lat = np.cos(self._lat)
        self._by_id = {p.id: p for p in self._points}

    def __len__(self) -> int:
        return len(self._points)

    def get(self, point_id: str) -> Any | None:
        """The point with this id (distance 0), or None."""
        return self._by_id.get(point_id)

    def nearest(self, latitude: float, longitude: float, limit: int = 3) -> list[Any]:
        """The ``limit`` points closest to (latitude, longitude), closest first, distance rounded to 0.1 km."""
        if limit <= 0 or not self._points:
            return []
        lat, lon = np.radians(latitude), np.radians(longitude)
        a = np.sin((self._lat - lat) / 2) ** 2 + np.cos(lat) * self._cos_lat * np.sin((self._lon - lon) / 2) ** 2
        distances = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
        limit = min(limit, len(self._points))
        if limit < len(self._points):
            candidates = np.argpartition(distances, limit - 1)[:limit]
            # Keep every point tied with the last candidate so that the id tie-break is exact.
            cutoff = distances[candidates].max()
            candidates = np.flatnonzero(distances <= cutoff)
        else:
            candidates = np.arange(len(self._points))
        order = candidates[np.lexsort((candidates, distances[candidates]))][:limit]
        return [replace(self._points[i], distance_km=round(float(distances[i]), 1)) for i in order]
