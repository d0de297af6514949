"""Rasa's tracker-store guarantees, checked on Rasa's own ``SQLTrackerStore`` (the control) and on ours.

Each guarantee runs on both classes and on every database we support: a SQLite file, an in-memory
SQLite, a SQLite file named by Rasa's ``db`` key, PostgreSQL by URL and PostgreSQL by Rasa's separate
keys (``dialect``, ``url`` as host, ``port``, ``db: test``, ``username``; in a fresh schema of ``test``
through Rasa's ``POSTGRESQL_SCHEMA``). The guarantees follow Rasa 3.x's tests/core/test_tracker_stores.py.
Where ours differs on purpose (a bounded window, redacted events, the default database), a test
named ``test_intended_…`` says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_RESTART_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config
from sqlalchemy.engine import make_url

from rasa_ext.stores.tracker_store import ENV_VAR, WINDOW_ENV_VAR, RedactingSQLTrackerStore
from tests.integration.conftest import fresh_pg_database, pg_admin

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet]
slots:
  location: {type: text, mappings: [{type: custom}]}
  cuisine: {type: text, mappings: [{type: custom}]}
responses:
  utter_greet: [{text: "Bonjour"}]
"""
)
STORES: dict[str, type[SQLTrackerStore]] = {"rasa": SQLTrackerStore, "ours": RedactingSQLTrackerStore}
TYPES = {SQLTrackerStore: "sql", RedactingSQLTrackerStore: "rasa_ext.stores.tracker_store.RedactingSQLTrackerStore"}
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
PG_TEST = f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/test"
T0 = 1_700_000_000.0  # event timestamps: fixed, increasing


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


@contextlib.contextmanager
def fresh_pg_schema(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new schema in the ``test`` database, used by Rasa's engines (POSTGRESQL_SCHEMA), dropped afterwards."""
    name = f"mes_promises_{uuid.uuid4().hex[:10]}"
    with pg_admin(PG_TEST) as admin:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
        monkeypatch.setenv("POSTGRESQL_SCHEMA", name)
        try:
            yield name
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))


@contextlib.contextmanager
def dropped_afterwards(name: str) -> Iterator[str]:
    """A database name on the local PostgreSQL (reachable, else skipped), dropped afterwards if it was created."""
    with pg_admin(f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/postgres") as admin:
        try:
            yield name
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(autouse=True)
def _no_outside_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped defaults: no database from the environment, the default window, Rasa's default schema."""
    for name in (ENV_VAR, WINDOW_ENV_VAR, "POSTGRESQL_SCHEMA"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(params=["sqlite-file", "sqlite-memory", "sqlite-db-key", "postgresql-url", "postgresql-keys"])
def database(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict]:
    """An empty database, as the constructor arguments endpoints.yml would give (its ``url`` arrives as ``host``)."""
    if request.param == "sqlite-file":
        yield {"host": f"sqlite:///{tmp_path / 'trackers.db'}"}
    elif request.param == "sqlite-memory":
        yield {"host": "sqlite:///"}
    elif request.param == "sqlite-db-key":
        yield {"dialect": "sqlite", "db": str(tmp_path / "keys.db")}
    elif request.param == "postgresql-url":
        with fresh_pg_database("mes_promises") as url:
            yield {"host": url}
    else:
        with fresh_pg_schema(monkeypatch):
            yield {"dialect": "postgresql", "host": PG_HOST, "port": PG_PORT, "db": "test", "username": PG_USER}


@pytest.fixture
def build(database: dict) -> Iterator[Callable[..., SQLTrackerStore]]:
    """Build a store of a given class on ``database``; every engine is disposed afterwards."""
    made: list[SQLTrackerStore] = []

    def build(cls: type[SQLTrackerStore], **extra: Any) -> SQLTrackerStore:
        store = cls(domain=DOMAIN, **database, **extra)
        made.append(store)
        return store

    yield build
    for store in made:
        store.engine.dispose()


@pytest.fixture(params=list(STORES))
def make(request: pytest.FixtureRequest, build: Callable[..., SQLTrackerStore]) -> Callable[..., SQLTrackerStore]:
    """Build a store of the class under test: Rasa's (the control), then ours."""
    return lambda **extra: build(STORES[request.param], **extra)


class Broker:
    """An event broker that keeps what it is sent."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []

    def publish(self, body: dict[str, Any]) -> None:
        self.bodies.append(body)


def sender() -> str:
    return uuid.uuid4().hex


def session_start(at: float) -> list[Event]:
    return [
        ActionExecuted(ACTION_SESSION_START_NAME, timestamp=at),
        SessionStarted(timestamp=at + 0.1),
        ActionExecuted(ACTION_LISTEN_NAME, timestamp=at + 0.2),
    ]


def turn(number: int, at: float) -> list[Event]:
    """One user turn, listening again at its end."""
    return [
        UserUttered(f"question {number}", {"name": "greet", "confidence": 1.0}, timestamp=at),
        ActionExecuted("utter_greet", timestamp=at + 0.1),
        BotUttered(f"réponse {number}", timestamp=at + 0.2),
        ActionExecuted(ACTION_LISTEN_NAME, timestamp=at + 0.3),
    ]


def conversation(turns: int, at: float = T0) -> list[Event]:
    """A session: the location set in its first turn, then ``turns`` turns, the cuisine set in the last one."""
    events = [*session_start(at), SlotSet("location", "Épinal", timestamp=at + 0.5)]
    for number in range(turns):
        events += turn(number, at + 1 + number)
    return [*events[:-1], SlotSet("cuisine", "lorraine", timestamp=at + turns), events[-1]]


def dicts(events: Any) -> list[dict[str, Any]]:
    return [event.as_dict() for event in events]


def stored(store: SQLTrackerStore, sender_id: str) -> list[dict[str, Any]]:
    """The events stored for ``sender_id``, in storage order, as they are in the database."""
    events = store.SQLEvent
    with store.session_scope() as session:
        rows = session.query(events.data).filter(events.sender_id == sender_id).order_by(events.id).all()
    return [json.loads(data) for (data,) in rows]


def after_prefix(store: SQLTrackerStore, tracker: DialogueStateTracker) -> list[dict[str, Any]]:
    """The retrieved events, without our window's slot prefix (Rasa's trackers have none)."""
    cut = store.windows.cut(tracker.sender_id) if isinstance(store, RedactingSQLTrackerStore) else None
    return dicts(list(tracker.events)[len(cut.slots) if cut else 0 :])


def assert_latest_session(store: SQLTrackerStore, retrieved: DialogueStateTracker, session: list[Event]) -> None:
    """Rasa's retrieve gives the latest session; ours its last turns (at least ``window_turns``): same slots."""
    want, got = dicts(session), after_prefix(store, retrieved)
    if isinstance(store, RedactingSQLTrackerStore):
        users = sum(event["event"] == "user" for event in want)
        assert sum(event["event"] == "user" for event in got) >= min(users, store.windows.min_turns)
        want = want[len(want) - len(got) :] if len(got) <= len(want) else want
    assert got == want
    replayed = DialogueStateTracker.from_events(retrieved.sender_id, session, DOMAIN.slots)
    assert retrieved.current_slot_values() == replayed.current_slot_values()


# Rasa: test_get_or_create (get_or_create_tracker_store)
def test_get_or_create_restores_the_slots(make: Callable[..., SQLTrackerStore]) -> None:
    store, conversation_id = make(), sender()
    tracker = run(store.get_or_create_tracker(conversation_id))
    tracker.update(SlotSet("location", "Épinal"))
    run(store.save(tracker))
    again = run(store.get_or_create_tracker(conversation_id))
    assert again.get_slot("location") == "Épinal"
    for number in range(10):  # long enough for our window to cut after the slot was set
        for event in turn(number, T0 + number):
            again.update(event)
    run(store.save(again))
    later = run(store.get_or_create_tracker(conversation_id))
    assert later.get_slot("location") == "Épinal" and later.latest_message.text == "question 9"


# Rasa: test_sql_additional_events (create_tracker_with_partially_saved_events)
def test_only_new_events_are_stored_each_once_in_order(make: Callable[..., SQLTrackerStore]) -> None:
    store, conversation_id = make(), sender()
    first = [UserUttered("hello", timestamp=T0), BotUttered("what", timestamp=T0)]  # same timestamps: order by id
    tracker = DialogueStateTracker.from_events(conversation_id, first)
    run(store.save(tracker))
    more = [ActionExecuted(ACTION_LISTEN_NAME, timestamp=T0), UserUttered("123", timestamp=T0), BotUttered("yes")]
    for event in more:
        tracker.update(event)
    with store.session_scope() as session:
        assert dicts(store._additional_events(session, tracker)) == dicts(more)
    run(store.save(tracker))
    run(store.save(tracker))  # saving again adds nothing
    assert stored(store, conversation_id) == dicts(first + more)


def test_a_long_conversation_served_turn_by_turn_is_stored_once(make: Callable[..., SQLTrackerStore]) -> None:
    store, conversation_id = make(), sender()
    events = conversation(3)
    run(store.save(DialogueStateTracker.from_events(conversation_id, events, DOMAIN.slots)))
    for number in range(3, 12):  # as Rasa serves a message: retrieve, one turn, save
        tracker = run(store.retrieve(conversation_id))
        new = turn(number, T0 + 10 + number)
        for event in new:
            tracker.update(event)
        run(store.save(tracker))
        run(store.save(tracker))
        events += new
    assert stored(store, conversation_id) == dicts(events)
    assert_latest_session(store, run(store.retrieve(conversation_id)), events[1:])  # from SessionStarted on


# Rasa: test_sql_additional_events_with_session_start
def test_a_retrieved_tracker_adds_only_its_new_events(make: Callable[..., SQLTrackerStore]) -> None:
    store, conversation_id = make(), sender()
    events = [*session_start(T0)[:2], UserUttered("hi", timestamp=T0 + 1), *session_start(T0 + 2)[:2]]
    run(store.save(DialogueStateTracker.from_events(conversation_id, events)))
    tracker = run(store.retrieve(conversation_id))
    tracker.update(UserUttered("hi2", timestamp=T0 + 3), DOMAIN)
    with store.session_scope() as session:
        additional = list(store._additional_events(session, tracker))
    assert [event.type_name for event in additional] == ["user"]


# Rasa: test_tracker_store_retrieve_with_session_started_events
def test_retrieve_gives_the_latest_session_of_that_conversation(make: Callable[..., SQLTrackerStore]) -> None:
    store, conversation_id = make(), sender()
    events = [
        UserUttered("Hola", {"name": "greet"}, timestamp=T0 + 1),
        BotUttered("Hi", timestamp=T0 + 2),
        SessionStarted(timestamp=T0 + 3),
        UserUttered("Ciao", {"name": "greet"}, timestamp=T0 + 4),
    ]
    run(store.save(DialogueStateTracker.from_events(conversation_id, events)))
    run(store.save(DialogueStateTracker.from_events(sender(), [SessionStarted(timestamp=T0 + 5)])))  # another one
    assert dicts(run(store.retrieve(conversation_id)).events) == dicts(events[2:])


# Rasa: test_tracker_store_retrieve_without_session_started_events
def test_retrieve_without_a_session_start_gives_every_event(make: Callable[..., SQLTrackerStore]) -> None:
    store, conversation_id = make(), sender()
    events = [
        UserUttered("Hola", {"name": "greet"}),
        BotUttered("Hi"),
        UserUttered("Ciao", {"name": "greet"}),
        BotUttered("Hi2"),
    ]
    run(store.save(DialogueStateTracker.from_events(conversation_id, events)))
    run(store.save(DialogueStateTracker.from_events(sender(), [SessionStarted()])))
    assert dicts(run(store.retrieve(conversation_id)).events) == dicts(events)


def restarted_conversation(conversation_id: str) -> tuple[DialogueStateTracker, list[Event]]:
    """Rasa's tracker_with_restarted_event fixture: a turn, a restart, a new session (events after it)."""
    before = [
        ActionExecuted(ACTION_LISTEN_NAME, timestamp=T0 + 1),
        UserUttered("hi", {"name": "greet"}, timestamp=T0 + 2),
        ActionExecuted("utter_greet", timestamp=T0 + 3),
        BotUttered("Bonjour", timestamp=T0 + 4),
        ActionExecuted(ACTION_RESTART_NAME, timestamp=T0 + 5),
        Restarted(timestamp=T0 + 6),
    ]
    after = [*session_start(T0 + 7), UserUttered("Let's start again.", {"name": "greet"}, timestamp=T0 + 8)]
    return DialogueStateTracker.from_events(conversation_id, before + after, DOMAIN.slots), after


# Rasa: test_sql_tracker_store_retrieve, test_sql_tracker_store_retrieve_full_tracker,
# test_tracker_store_retrieve_with_events_from_previous_sessions, test_sql_get_or_create_full_tracker_*
def test_retrieve_full_tracker_gives_every_session(make: Callable[..., SQLTrackerStore]) -> None:
    store, conversation_id = make(), sender()
    tracker, after_restart = restarted_conversation(conversation_id)
    run(store.save(tracker))
    assert run(store.retrieve_full_tracker(conversation_id)) == tracker
    assert run(store.get_or_create_full_tracker(conversation_id, append_action_listen=False)) == tracker
    assert dicts(run(store.retrieve(conversation_id)).events) == dicts(after_restart[1:])  # from SessionStarted on

    assert list(run(store.get_or_create_full_tracker(sender(), append_action_listen=False)).events) == []
    created = run(store.get_or_create_full_tracker(sender(), append_action_listen=True))
    assert [event.as_dict()["name"] for event in created.events] == [ACTION_LISTEN_NAME]


# Rasa: test_restart_after_retrieval_from_tracker_store
def test_a_restart_is_still_the_latest_after_retrieval(make: Callable[..., SQLTrackerStore]) -> None:
    store, conversation_id = make(), sender()
    tracker = run(store.get_or_create_tracker(conversation_id))
    for _ in range(4):
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    tracker.update(Restarted())
    run(store.save(tracker))
    again = run(store.retrieve(conversation_id))
    assert again.idx_after_latest_restart() == tracker.idx_after_latest_restart()
    assert dicts(again.applied_events()) == dicts(tracker.applied_events()) == []


def test_keys_and_exists_list_each_conversation_once(make: Callable[..., SQLTrackerStore]) -> None:
    store, senders = make(), [sender() for _ in range(3)]
    for conversation_id in senders:
        run(store.save(DialogueStateTracker.from_events(conversation_id, conversation(2), DOMAIN.slots)))
    keys = list(run(store.keys()))
    assert sorted(keys) == sorted(senders)  # each database is new: only these
    assert run(store.exists(senders[0])) and not run(store.exists(sender()))


def test_the_event_broker_gets_what_is_stored_once_in_order(make: Callable[..., SQLTrackerStore]) -> None:
    broker = Broker()
    store, conversation_id = make(event_broker=broker), sender()
    tracker = run(store.get_or_create_tracker(conversation_id))  # saves its first action_listen
    for number in range(10):
        for event in turn(number, T0 + number):
            tracker.update(event)
        run(store.save(tracker))
        run(store.save(tracker))
        tracker = run(store.retrieve(conversation_id))  # the next message works on a retrieved tracker
    assert all(body.pop("sender_id") == conversation_id for body in broker.bodies)
    assert json.loads(json.dumps(broker.bodies)) == stored(store, conversation_id)
    assert len(broker.bodies) == 1 + 10 * 4


# Rasa: test_sql_tracker_store_with_token_serialisation
def test_the_parse_data_survives(make: Callable[..., SQLTrackerStore]) -> None:
    store, conversation_id = make(), sender()
    intent = {"name": "greet", "confidence": 0.9}
    parse_data = {"intent": intent, "entities": [], "text": "Good morning", "text_tokens": [[0, 4], [5, 12]]}
    tracker = run(store.get_or_create_tracker(conversation_id))
    tracker.update(UserUttered("Good morning", intent, [], parse_data))
    run(store.save(tracker))
    again = run(store.retrieve(conversation_id)).get_last_event_for(UserUttered)
    assert again.as_dict()["parse_data"]["text_tokens"] == [[0, 4], [5, 12]]
    assert again.intent == intent


# Rasa: test_create_tracker_store_from_endpoints_file, and Rasa's documented SQLTrackerStore keys
def test_endpoints_yml_keys_reach_the_database_rasa_would(
    database: dict, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same keys give the same database to both classes; $MES_TRACKER_DB_URL does not override them."""
    monkeypatch.setenv(ENV_VAR, f"sqlite:///{tmp_path / 'from-env.db'}")
    keys = {key: value for key, value in database.items() if key != "host"}
    expected = make_url(SQLTrackerStore.get_db_url(host=database.get("host"), **keys))
    for cls in STORES.values():
        section = {"type": TYPES[cls], **keys} | ({"url": database["host"]} if "host" in database else {})
        path = tmp_path / f"endpoints-{cls.__name__}.yml"
        path.write_text(yaml.safe_dump({"tracker_store": section}), encoding="utf-8")
        store = TrackerStore.create(read_endpoint_config(str(path), "tracker_store"), DOMAIN)
        try:
            assert type(store) is cls and store.engine.url == expected
            conversation_id = sender()
            run(store.save(DialogueStateTracker.from_events(conversation_id, conversation(1), DOMAIN.slots)))
            assert run(store.retrieve(conversation_id)).get_slot("cuisine") == "lorraine"
        finally:
            store.engine.dispose()
    assert not (tmp_path / "from-env.db").exists()
    if "db" in database and database.get("dialect") == "sqlite":  # `db:` honoured for SQLite
        assert Path(database["db"]).is_file()


# Rasa: test_sql_tracker_store_creation_with_invalid_port
@pytest.mark.parametrize("cls", list(STORES.values()), ids=list(STORES))
def test_a_port_that_is_not_a_number_is_refused(cls: type[SQLTrackerStore]) -> None:
    with pytest.raises(RasaException, match=r"port '\$DB_PORT' cannot be cast to integer"):
        TrackerStore.create(EndpointConfig(port="$DB_PORT", type=TYPES[cls]), DOMAIN)


# Rasa: test_sql_tracker_store_logs_do_not_show_password (Rasa's positional arguments)
@pytest.mark.parametrize("cls", list(STORES.values()), ids=list(STORES))
def test_the_logs_do_not_show_the_password(cls: type[SQLTrackerStore], caplog: pytest.LogCaptureFixture) -> None:
    with fresh_pg_database("mes_promises") as url, caplog.at_level(logging.DEBUG):
        name = make_url(url).database
        store = cls(None, "postgresql", PG_HOST, PG_PORT, name, PG_USER, "some-password")  # trust: any password
        store.engine.dispose()
    assert str(store.engine.url.database) == name
    assert "some-password" not in caplog.text and "***" in caplog.text


# Rasa: login_db (PostgreSQL only): Rasa connects to it and creates `db` first.
@pytest.mark.parametrize("cls", list(STORES.values()), ids=list(STORES))
def test_login_db_creates_the_database(cls: type[SQLTrackerStore]) -> None:
    with dropped_afterwards(f"mes_login_{uuid.uuid4().hex[:10]}") as name:
        store = cls(DOMAIN, "postgresql", PG_HOST, PG_PORT, name, PG_USER, login_db="postgres")
        try:
            assert store.engine.url.database == name
            conversation_id = sender()
            run(store.save(DialogueStateTracker.from_events(conversation_id, conversation(1), DOMAIN.slots)))
            assert len(stored(store, conversation_id)) == len(conversation(1))
        finally:
            store.engine.dispose()


def test_ours_also_takes_login_db_with_a_full_url() -> None:
    """Rasa's own class hangs on this pair (it connects to the database to create, and retries every 5 s);
    ours splits the URL into Rasa's keys, so Rasa creates the database first."""
    with dropped_afterwards(f"mes_login_{uuid.uuid4().hex[:10]}") as name:
        url = f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
        store = RedactingSQLTrackerStore(DOMAIN, host=url, login_db="postgres")
        try:
            assert store.engine.url.database == name and run(store.keys()) == []
        finally:
            store.engine.dispose()


@pytest.mark.parametrize("cls", list(STORES.values()), ids=list(STORES))
def test_a_full_url_wins_over_separate_keys(
    cls: type[SQLTrackerStore], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """As Rasa: a ``url`` with ``://`` is used as is; ours also warns that the other keys are ignored."""
    url = f"sqlite:///{tmp_path / 'url.db'}"
    with caplog.at_level(logging.WARNING):
        store = cls(DOMAIN, host=url, db=str(tmp_path / "keys.db"), port=1234)
    store.engine.dispose()
    assert store.engine.url == make_url(url) and not (tmp_path / "keys.db").exists()
    if cls is RedactingSQLTrackerStore:
        assert "db, port are ignored" in caplog.text


def test_intended_difference_the_default_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No database argument: Rasa uses rasa.db in the working folder; ours $MES_TRACKER_DB_URL, else
    var/trackers.db. Any database argument (a URL, or Rasa's keys) wins over $MES_TRACKER_DB_URL."""
    monkeypatch.chdir(tmp_path)
    stores = [SQLTrackerStore(DOMAIN), RedactingSQLTrackerStore(DOMAIN)]
    assert [store.engine.url.database for store in stores] == ["rasa.db", "var/trackers.db"]
    monkeypatch.setenv(ENV_VAR, f"sqlite:///{tmp_path / 'env.db'}")
    stores += [RedactingSQLTrackerStore(DOMAIN), RedactingSQLTrackerStore(DOMAIN, db="keys.db")]
    assert [store.engine.url.database for store in stores[2:]] == [str(tmp_path / "env.db"), "keys.db"]
    stores.append(RedactingSQLTrackerStore(DOMAIN, "sqlite", db=""))  # Rasa's keys for an in-memory SQLite
    run(stores[-1].save(DialogueStateTracker.from_events("memory", conversation(1), DOMAIN.slots)))
    assert run(stores[-1].keys()) == ["memory"]
    for store in stores:
        store.engine.dispose()


def test_intended_difference_retrieve_gives_a_bounded_window(build: Callable[..., SQLTrackerStore]) -> None:
    """Rasa's retrieve gives the whole session; ours its last 2 to 4 user turns (window_turns 2), preceded by
    SlotSet events for the slots set before them: the same slots, the same latest turns, every event stored."""
    events = conversation(10)
    retrieved = {}
    for cls in STORES.values():
        store, conversation_id = build(cls), sender()
        run(store.save(DialogueStateTracker.from_events(conversation_id, events, DOMAIN.slots)))
        retrieved[cls] = store, run(store.retrieve(conversation_id))
        assert stored(store, conversation_id) == dicts(events)
        assert dicts(run(store.retrieve_full_tracker(conversation_id)).events) == dicts(events)
    rasa = retrieved[SQLTrackerStore][1]
    ours_store, ours = retrieved[RedactingSQLTrackerStore]
    assert dicts(rasa.events) == dicts(events[1:])  # the whole session, from SessionStarted on
    tail = after_prefix(ours_store, ours)
    prefix = list(ours.events)[: len(ours.events) - len(tail)]
    assert prefix and all(isinstance(event, SlotSet) for event in prefix)
    assert len(tail) < len(rasa.events) and tail == dicts(events[len(events) - len(tail) :])
    assert 2 <= sum(event["event"] == "user" for event in tail) <= 4
    assert ours.current_slot_values() == rasa.current_slot_values()
    assert ours.latest_message == rasa.latest_message


def test_intended_difference_events_are_stored_and_streamed_redacted(build: Callable[..., SQLTrackerStore]) -> None:
    """Rasa stores and streams what it is given; ours replaces personal data with placeholders first."""
    email = "marie.curie@example.org"
    for cls in STORES.values():
        broker = Broker()
        store, conversation_id = build(cls, event_broker=broker), sender()
        tracker = run(store.get_or_create_tracker(conversation_id))
        tracker.update(UserUttered(f"mon mail : {email}", {"name": "greet"}))
        tracker.update(SlotSet("location", f"chez {email}"))
        run(store.save(tracker))
        seen = json.dumps([stored(store, conversation_id), broker.bodies], ensure_ascii=False)
        again = run(store.retrieve(conversation_id))
        if cls is SQLTrackerStore:
            assert email in seen and again.latest_message.text.endswith(email)
        else:
            assert email not in seen and again.latest_message.text == "mon mail : [adresse e-mail]"
            assert again.get_slot("location") == "chez [adresse e-mail]"
