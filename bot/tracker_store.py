"""Rasa tracker store that redacts personal data before anything is written, plus retention.

Used from ``endpoints.yml``::

    tracker_store:
      type: bot.tracker_store.RedactingSQLTrackerStore

The database is one SQLAlchemy URL: ``url`` in endpoints.yml, else ``$MES_TRACKER_DB_URL``, else
``sqlite:///var/trackers.db``. Every event (user text, entities, slots, bot text, metadata) goes
through ``bot.privacy.redact_value`` first; importing this module also redacts every log line.

Rasa gets a bounded window of the conversation (bot/tracker_window.py): the last ``window_turns``
to twice as many user turns (endpoints.yml, else ``$MES_TRACKER_WINDOW_TURNS``, default 2; 0 gives
Rasa the whole session as before). Every event is still stored.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy.engine import make_url

from bot.privacy import logs, redact_value
from bot.tracker_window import DEFAULT_MIN_TURNS, Cut, Windows, decode

ENV_VAR = "MES_TRACKER_DB_URL"
DEFAULT_URL = "sqlite:///var/trackers.db"
RETENTION_ENV_VAR = "MES_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30
WINDOW_ENV_VAR = "MES_TRACKER_WINDOW_TURNS"
# Where the window tracker's own events begin: those before it (the slot prefix, stored events) are not saved.
UNSAVED_FROM = "_mes_unsaved_from"

logs.install()  # Rasa imports this module at start-up: from then on, its log lines are redacted too


def tracker_db_url(url: str | None = None) -> str:
    """``url``, else $MES_TRACKER_DB_URL, else the SQLite file var/trackers.db (folder created)."""
    url = url or os.environ.get(ENV_VAR) or DEFAULT_URL
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return url


def _sqlite_write_ahead(engine: sa.engine.Engine) -> None:
    """SQLite (the local default): write-ahead log, synced at checkpoints rather than at every message.

    Each message commits its events; with SQLite's defaults every commit waits for the disk. A crash
    of the process loses nothing; a power cut may lose the last messages. Production uses PostgreSQL."""

    def on_connect(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    sa.event.listen(engine, "connect", on_connect)
    engine.dispose()  # connections opened while Rasa created the table get the settings too


@dataclass(frozen=True)
class _RedactedEvent:
    """What SQLTrackerStore.save needs from an event: its type and its (redacted) dict."""

    type_name: str
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return self.data


class RedactingSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, with personal data replaced by placeholders before it is stored."""

    def __init__(
        self,
        domain: Any = None,
        host: str | None = None,
        url: str | None = None,
        window_turns: int | None = None,
        **kwargs: Any,
    ) -> None:
        turns = int(window_turns if window_turns is not None else os.environ.get(WINDOW_ENV_VAR, DEFAULT_MIN_TURNS))
        self.windows = Windows(turns, 2 * turns)
        parsed = make_url(tracker_db_url(url or host))
        for key in ("dialect", "port", "db", "username", "password", "query"):
            kwargs.pop(key, None)  # the URL says it all
        super().__init__(
            domain=domain,
            dialect=parsed.drivername,
            host=parsed.host,
            port=parsed.port,
            db=parsed.database or "",
            username=parsed.username,
            password=parsed.password,
            query=dict(parsed.query) or None,
            **kwargs,
        )
        if parsed.drivername.startswith("sqlite"):
            _sqlite_write_ahead(self.engine)

    async def retrieve(self, sender_id: str) -> Any:
        """The latest session as a bounded window (Rasa's own retrieve when the window is off)."""
        if not self.windows.enabled or self.domain is None:
            return await super().retrieve(sender_id)
        with self.session_scope() as session:
            cut, rows = self.windows.cut(sender_id), None
            if cut is not None and cut.event_id is not None:
                after = session.query(self.SQLEvent).filter(
                    self.SQLEvent.sender_id == sender_id, self.SQLEvent.id > cut.event_id
                )
                rows = decode(after.order_by(self.SQLEvent.id).all())
                if not rows or any(event.get("event") == "session_started" for _, event in rows):
                    rows = None  # a new session (or purged events): start again from the session
            if rows is None:
                cut = Cut()
                rows = decode(self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all())
                if not rows:
                    self.windows.forget(sender_id)
                    return None
            tracker = self.windows.tracker(sender_id, cut, rows, self.domain.slots)
        setattr(tracker, UNSAVED_FROM, len(tracker.events))
        return tracker

    def _additional_events(self, session: Any, tracker: Any) -> Iterator[_RedactedEvent]:  # type: ignore[override]
        start = getattr(tracker, UNSAVED_FROM, None)
        if start is None:  # a tracker this store did not window: Rasa counts the stored events
            events = list(super()._additional_events(session, tracker))
        else:
            events = list(tracker.events)[start:]
            setattr(tracker, UNSAVED_FROM, len(tracker.events))
        for event in events:
            yield _RedactedEvent(event.type_name, redact_value(event.as_dict()))


def purge(url: str | None = None, days: float | None = None, now: float | None = None) -> int:
    """Delete the conversations whose last event is older than ``days`` (default $MES_RETENTION_DAYS, 30).

    Whole conversations go, never part of one. Returns the number of events deleted. Safe to run
    from cron: one transaction, nothing to do when there is nothing old.
    """
    days = float(days if days is not None else os.environ.get(RETENTION_ENV_VAR, DEFAULT_RETENTION_DAYS))
    cutoff = (now if now is not None else time.time()) - days * 86_400
    engine = sa.create_engine(tracker_db_url(url), future=True)
    events = sa.table("events", sa.column("sender_id"), sa.column("timestamp"))
    try:
        if not sa.inspect(engine).has_table("events"):
            return 0
        old = (
            sa.select(events.c.sender_id)
            .group_by(events.c.sender_id)
            .having(sa.func.max(events.c.timestamp) < cutoff)
        )
        with engine.begin() as conn:
            return conn.execute(sa.delete(events).where(events.c.sender_id.in_(old))).rowcount or 0
    finally:
        engine.dispose()
