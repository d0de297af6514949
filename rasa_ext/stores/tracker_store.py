"""Rasa tracker store that redacts personal data before anything is written, plus retention.

Used from ``endpoints.yml``::

    tracker_store:
      type: rasa_ext.stores.tracker_store.RedactingSQLTrackerStore

The database, first match wins (``resolve_database``):

1. a full SQLAlchemy URL: ``url`` in endpoints.yml (``postgresql://user@host/db``), or the ``url``
   argument in code; Rasa's separate keys are then ignored (a warning names them), as Rasa does;
2. Rasa's separate keys (``dialect``, ``url`` as a host name, ``port``, ``db``, ``username``,
   ``password``, ``query``, ``login_db``): the URL Rasa's ``SQLTrackerStore`` builds from them, with
   Rasa's defaults (dialect ``sqlite``, db ``rasa.db``; ``db: ""`` is an in-memory SQLite);
3. ``$MES_TRACKER_DB_URL``, only when nothing above is given;
4. ``sqlite:///var/trackers.db``.

``python -m tools purge`` and ``review`` read ``--db-url``, else the same database, by the same rules, from
the project's endpoints.yml (``configured_db_url``).

Every event (user text, entities, slots, bot text, metadata) goes through ``bot.privacy.redact_value``
before it is stored or sent to an event broker; importing this module also redacts every log line.

Rasa gets a bounded window of the conversation (rasa_ext/stores/tracker_window.py): the last ``window_turns``
to twice as many user turns (endpoints.yml, else ``$MES_TRACKER_WINDOW_TURNS``, default 2; 0 gives
Rasa the whole session as before). Every event is still stored.

Retention (``purge``, ``python -m tools purge``): every event older than ``$MES_RETENTION_DAYS`` days
is deleted, by its own timestamp, so a conversation can lose its start; ``retrieve`` then rebuilds the
window from what is left.
"""

from __future__ import annotations

import logging
import os
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, validate_port
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import sessionmaker

from bot.privacy import logs, redact_value
from bot.privacy.retention import retention_days
from rasa_ext.stores.tracker_window import CACHE_SIZE, DEFAULT_MIN_TURNS, Cut, Windows, decode

if TYPE_CHECKING:
    from rasa.core.brokers.broker import EventBroker
    from rasa.shared.core.domain import Domain

ENV_VAR = "MES_TRACKER_DB_URL"
DEFAULT_URL = "sqlite:///var/trackers.db"
WINDOW_ENV_VAR = "MES_TRACKER_WINDOW_TURNS"
# Where the window tracker's own events begin: those before it (the slot prefix, stored events) are not saved.
UNSAVED_FROM = "_mes_unsaved_from"

logger = logging.getLogger(__name__)

logs.install()  # Rasa imports this module at start-up: from then on, its log lines are redacted too


def tracker_db_url(url: str | None = None) -> str:
    """``url``, else $MES_TRACKER_DB_URL, else the SQLite file var/trackers.db (folder created)."""
    url = url or os.environ.get(ENV_VAR) or DEFAULT_URL
    _make_sqlite_folder(make_url(url))
    return url


ENDPOINTS_FILE = Path(__file__).resolve().parents[1] / "endpoints.yml"
_RASA_KEYS = ("dialect", "port", "db", "username", "password", "query", "login_db")


def configured_db_url(endpoints: Path = ENDPOINTS_FILE) -> str:
    """The database the assistant itself uses: endpoints.yml's tracker store keys resolved as Rasa does
    (``resolve_database``), else ``tracker_db_url()``. What ``python -m tools purge`` and ``review`` clean
    and read by default, so that a database named only in endpoints.yml is the one they reach."""
    from rasa.core.utils import read_endpoints_from_path

    config = read_endpoints_from_path(endpoints).tracker_store if endpoints.is_file() else None
    if config is None:
        return tracker_db_url()
    keys = {key: config.kwargs.get(key) for key in _RASA_KEYS}
    if not (config.url or any(value is not None for value in keys.values())):
        return tracker_db_url()
    resolved = resolve_database(host=config.url, **keys)
    if set(resolved) <= {"host", "db"} and "://" in str(resolved.get("host")):
        return str(resolved["host"])
    rasa_keys = {key: value for key, value in resolved.items() if key != "login_db"}
    return SQLTrackerStore.get_db_url(**rasa_keys).render_as_string(hide_password=False)


def _make_sqlite_folder(url: URL) -> None:
    """Create the folder of a SQLite file (SQLite does not)."""
    if url.get_backend_name() == "sqlite" and not _sqlite_in_memory(url):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_in_memory(url: URL) -> bool:
    """Whether a SQLite URL names an in-memory database (``sqlite://``, ``:memory:``, ``mode=memory``)."""
    database = url.database or ""
    return database in ("", ":memory:") or database.startswith("file::memory:") or url.query.get("mode") == "memory"


def resolve_database(url: str | None = None, host: str | None = None, **keys: Any) -> dict[str, Any]:
    """The connection arguments for Rasa's ``SQLTrackerStore.__init__``, by the precedence in this module's doc.

    ``keys`` are Rasa's other database keys (``dialect``, ``port``, ``db``…); None means not given. A full URL
    is handed to Rasa as its ``host`` (used as is), or split into Rasa's keys when ``login_db`` asks Rasa to
    create its database first.
    """
    given = {key: value for key, value in keys.items() if value is not None}
    full = url or (host if host and "://" in host else None)
    if full:
        if ignored := sorted(set(given) - {"login_db"}):
            logger.warning("Tracker store: a full database URL is given, so %s are ignored.", ", ".join(ignored))
        parsed = make_url(full)
        if "login_db" not in given:  # Rasa uses a host with "://" as is (db: only for its log line)
            return {"host": tracker_db_url(full), "db": parsed.database or ""}
        given = {
            "dialect": parsed.drivername,
            "port": parsed.port,
            "db": parsed.database,
            "username": parsed.username,
            "password": parsed.password,
            "query": dict(parsed.query) or None,
            "login_db": given["login_db"],
        }
        host = parsed.host
    elif not (host or given):
        return {"host": tracker_db_url()}
    rasa = {"dialect": "sqlite", "db": "rasa.db", **given, "host": host or None}  # Rasa's defaults
    rasa["port"] = validate_port(rasa.get("port"))  # Rasa's error for a port like "$DB_PORT"
    _make_sqlite_folder(make_url(SQLTrackerStore.get_db_url(**rasa)))
    return rasa


def _sqlite_file_engine(url: URL) -> sa.engine.Engine:
    """SQLite file (the local default): pooled connections, write-ahead log synced at checkpoints.

    SQLAlchemy 1.4 opens and closes a new connection to a SQLite file for every session (``NullPool``),
    that is twice per message; we keep them in a pool, as SQLAlchemy 2.0 does for files (``QueuePool``,
    connections not tied to the thread that opened them). Each message commits its events; with
    SQLite's defaults every commit waits for the disk. A crash of the process loses nothing; a power
    cut may lose the last messages. Production uses PostgreSQL."""
    engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})

    def on_connect(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    sa.event.listen(engine, "connect", on_connect)
    return engine


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
        domain: Domain | None = None,
        dialect: str | None = None,
        host: str | None = None,
        port: int | str | None = None,
        db: str | None = None,
        username: str | None = None,
        password: str | None = None,
        event_broker: EventBroker | None = None,
        login_db: str | None = None,
        query: dict[str, Any] | None = None,
        *,
        url: str | None = None,
        window_turns: int | None = None,
        **kwargs: Any,
    ) -> None:
        """Rasa's arguments, in Rasa's order (``url`` in endpoints.yml arrives as ``host``), plus ours."""
        turns = int(window_turns if window_turns is not None else os.environ.get(WINDOW_ENV_VAR, DEFAULT_MIN_TURNS))
        self.windows = Windows(turns, 2 * turns)
        self._firsts: OrderedDict[str, int] = OrderedDict()  # per conversation: see retrieve
        keys = {"dialect": dialect, "port": port, "db": db, "username": username, "password": password}
        database = resolve_database(url, host, **keys, query=query, login_db=login_db)
        super().__init__(domain=domain, event_broker=event_broker, **database, **kwargs)
        if self.engine.url.get_backend_name() == "sqlite" and not _sqlite_in_memory(self.engine.url):
            self.engine.dispose()  # not in memory: disposing the engine would drop the database
            self.engine = _sqlite_file_engine(self.engine.url)
            self.sessionmaker = sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: str) -> Any:
        """The latest session as a bounded window (Rasa's own retrieve when the window is off)."""
        if not self.windows.enabled or self.domain is None:
            tracker = await super().retrieve(sender_id)
            if tracker is not None:  # save what comes next, even if a purge deletes some of these meanwhile
                setattr(tracker, UNSAVED_FROM, len(tracker.events))
            return tracker
        with self.session_scope() as session:
            cut, first, rows = self.windows.cut(sender_id), self._firsts.get(sender_id), None
            if cut is not None and cut.event_id is not None and first is not None:
                # The cut's slots come from the events before it: still valid only while the session's first
                # stored event is there (the purge deletes a conversation's oldest events first).
                events = self.SQLEvent
                stored = session.query(events).filter(events.sender_id == sender_id)
                after = stored.filter(events.id == first).union_all(stored.filter(events.id > cut.event_id))
                rows = decode(after.order_by(events.id).all())
                rows = rows[1:] if rows and rows[0][0] == first else []
                if not rows or any(event.get("event") == "session_started" for _, event in rows):
                    rows = None  # a new session, or purged events: start again from the session
            if rows is None:
                cut = Cut()
                rows = decode(self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all())
                if not rows:
                    self.windows.forget(sender_id)
                    self._firsts.pop(sender_id, None)
                    return None
                first = rows[0][0]
            self._remember_first(sender_id, first)
            tracker = self.windows.tracker(sender_id, cut, rows, self.domain.slots)
        setattr(tracker, UNSAVED_FROM, len(tracker.events))
        return tracker

    def _remember_first(self, sender_id: str, event_id: int) -> None:
        """Keep the id of the session's first stored event (the first one left after a purge), LRU like the cuts."""
        self._firsts[sender_id] = event_id
        self._firsts.move_to_end(sender_id)
        while len(self._firsts) > CACHE_SIZE:
            self._firsts.popitem(last=False)

    def _unsaved(self, session: Any, tracker: Any) -> list[Any]:
        """The tracker's events that are not stored yet (the same for ``save`` and ``stream_events``)."""
        start = getattr(tracker, UNSAVED_FROM, None)
        if start is None:  # a tracker this store did not window: Rasa counts the stored events
            return list(super()._additional_events(session, tracker))
        return list(tracker.events)[start:]

    def _additional_events(self, session: Any, tracker: Any) -> Iterator[_RedactedEvent]:  # type: ignore[override]
        events = self._unsaved(session, tracker)
        if hasattr(tracker, UNSAVED_FROM):
            setattr(tracker, UNSAVED_FROM, len(tracker.events))
        for event in events:
            yield _RedactedEvent(event.type_name, redact_value(event.as_dict()))

    async def stream_events(self, tracker: Any) -> None:
        """Send the event broker the events ``save`` is about to store, redacted like them.

        Rasa compares the tracker with ``retrieve``, which here returns a window: it would send events twice."""
        if self.event_broker is None:
            return
        with self.session_scope() as session:
            events = self._unsaved(session, tracker)
        redacted = [_RedactedEvent(event.type_name, redact_value(event.as_dict())) for event in events]
        await self._stream_new_events(self.event_broker, redacted, tracker.sender_id)  # type: ignore[arg-type]


def purge(url: str | None = None, days: float | None = None, now: float | None = None) -> int:
    """Delete every stored event older than ``days`` (default $MES_RETENTION_DAYS, 30), by its own timestamp.

    An event exactly ``days`` old stays. A conversation loses its old events, sessions and turns
    alike, and keeps its recent ones; what remains still loads (``RedactingSQLTrackerStore.retrieve``).
    Returns the number of events deleted. Safe to run from cron: one statement, one transaction.
    """
    days = float(days) if days is not None else retention_days()
    cutoff = (now if now is not None else time.time()) - days * 86_400
    engine = sa.create_engine(url or configured_db_url(), future=True)
    events = sa.table("events", sa.column("timestamp"))
    try:
        if not sa.inspect(engine).has_table("events"):
            return 0
        with engine.begin() as conn:
            return conn.execute(sa.delete(events).where(events.c.timestamp < cutoff)).rowcount or 0
    finally:
        engine.dispose()
