"""Tracker store rows -> checked events -> conversations (one per Rasa session), within a period.

Rows come from Rasa's ``events`` table (``sender_id``, ``type_name``, ``timestamp``, ``data`` as JSON
text). A row that cannot be read (invalid JSON, unknown event type, missing field, no timestamp) is
skipped and counted, never fatal. Sender ids stay in memory only, to split conversations.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

PARIS = ZoneInfo("Europe/Paris")
KNOWN_TYPES = frozenset({  # every type_name of rasa.shared.core.events (Rasa 3.6)
    "user", "user_featurization", "entities", "bot", "slot", "restart", "rewind", "reset_slots", "reminder",
    "cancel_reminder", "undo", "export", "followup", "pause", "resume", "action", "agent", "active_loop", "form",
    "loop_interrupted", "form_validation", "action_execution_rejected", "session_started",
})  # fmt: skip
REQUIRED: dict[str, tuple[str, ...]] = {
    "user": ("text", "parse_data"),
    "bot": ("text",),
    "action": ("name",),
    "slot": ("name", "value"),
    "active_loop": ("name",),
}
Row = Sequence[Any]  # (sender_id, type_name, timestamp, data)


@dataclass(frozen=True)
class Period:
    """Whole days in Europe/Paris, both ends included; ``None`` leaves that side open."""

    since: date | None = None
    until: date | None = None

    def bounds(self) -> tuple[float | None, float | None]:
        """Epoch seconds: start of ``since`` (included) and start of the day after ``until`` (excluded)."""

        def midnight(day: date | None) -> float | None:
            return None if day is None else datetime.combine(day, time(), PARIS).timestamp()

        return midnight(self.since), midnight(self.until + timedelta(days=1) if self.until else None)

    def contains(self, timestamp: float) -> bool:
        start, end = self.bounds()
        return (start is None or timestamp >= start) and (end is None or timestamp < end)


ALL_TIME = Period()


@dataclass(frozen=True)
class Event:
    sender: str
    timestamp: float
    type: str
    data: dict[str, Any]

    @property
    def day(self) -> date:
        return paris_day(self.timestamp)

    @property
    def name(self) -> Any:
        return self.data.get("name")


@dataclass
class Conversation:
    """One Rasa session of one sender, events in order."""

    events: list[Event] = field(default_factory=list)

    @property
    def start(self) -> float:
        return self.events[0].timestamp

    @property
    def day(self) -> date:
        return self.events[0].day

    @property
    def user_events(self) -> list[Event]:
        return [e for e in self.events if e.type == "user"]


def paris_day(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp, PARIS).date()


def parse_row(row: Row) -> Event | None:
    """One checked event, or None when the row is unreadable."""
    try:
        sender, type_name, timestamp, data = row
        stamp = float(timestamp)
        payload = json.loads(data) if isinstance(data, (str, bytes)) else data
    except (TypeError, ValueError):
        return None
    if not isinstance(sender, str) or not sender or not math.isfinite(stamp) or not isinstance(payload, dict):
        return None
    kind = type_name or payload.get("event")
    if kind not in KNOWN_TYPES or any(key not in payload for key in REQUIRED.get(kind, ())):
        return None
    if kind == "user" and not (isinstance(payload["text"], str) and isinstance(payload["parse_data"], dict)):
        return None
    if kind in ("action", "slot") and not isinstance(payload["name"], str):
        return None
    return Event(sender, stamp, kind, payload)


def parse_rows(rows: Iterable[Row], period: Period = ALL_TIME) -> tuple[list[Event], int]:
    """Events of ``period`` in row order, and the number of unreadable rows skipped."""
    events, skipped = [], 0
    for row in rows:
        event = parse_row(row)
        if event is None:
            skipped += 1
        elif period.contains(event.timestamp):
            events.append(event)
    return events, skipped


def conversations(events: Iterable[Event]) -> list[Conversation]:
    """Split each sender's events at every session start; keep sessions with a user message, oldest first."""
    by_sender: dict[str, list[Conversation]] = {}
    for event in events:
        sessions = by_sender.setdefault(event.sender, [Conversation()])
        current = sessions[-1]
        previous = current.events[-1] if current.events else None
        starts = (event.type == "action" and event.name == "action_session_start") or (
            event.type == "session_started" and not (previous and previous.name == "action_session_start")
        )
        if starts and current.events:
            current = Conversation()
            sessions.append(current)
        current.events.append(event)
    found = [c for sessions in by_sender.values() for c in sessions if c.user_events]
    return sorted(found, key=lambda c: c.start)


def read_rows(url: str, period: Period = ALL_TIME) -> list[tuple[Any, ...]]:
    """Rows of the ``events`` table in ``period`` (and rows without a timestamp, to count them); [] if no table."""
    parsed = sa.engine.make_url(url)
    database = parsed.database if parsed.drivername.startswith("sqlite") else None
    if database and database != ":memory:" and not Path(database).is_file():
        return []  # no file yet: nothing was said (and no empty database is created)
    engine = sa.create_engine(url, future=True)
    try:
        if not sa.inspect(engine).has_table("events"):
            return []
        table = sa.table("events", *(sa.column(n) for n in ("id", "sender_id", "type_name", "timestamp", "data")))
        query = sa.select(table.c.sender_id, table.c.type_name, table.c.timestamp, table.c.data)
        start, end = period.bounds()
        limits = [table.c.timestamp >= start] if start is not None else []
        limits += [table.c.timestamp < end] if end is not None else []
        if limits:
            query = query.where(sa.or_(table.c.timestamp.is_(None), sa.and_(*limits)))
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(query.order_by(table.c.sender_id, table.c.id))]
    finally:
        engine.dispose()
