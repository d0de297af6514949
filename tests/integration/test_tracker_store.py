"""The redacting tracker store and the retention command, on SQLite and on the local PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import sqlalchemy as sa
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.__main__ import main
from bot.tracker_store import RedactingSQLTrackerStore, purge

NIR, EMAIL, PHONE = "2 94 03 75 120 005 22", "marie.curie@example.org", "+33 6 98 76 54 32"


def conversation(sender: str, at: float) -> DialogueStateTracker:
    events = [
        ActionExecuted("action_listen", timestamp=at),
        UserUttered(f"mon numéro {NIR}, mail {EMAIL}", {"name": "greet", "confidence": 0.9},
                    entities=[{"entity": "x", "value": PHONE}], timestamp=at),
        SlotSet("fs_place", f"12 rue de la Paix 88000 Épinal, tél {PHONE}", timestamp=at),
        BotUttered(f"Vous avez écrit {EMAIL}", timestamp=at),
    ]
    return DialogueStateTracker.from_events(sender, events)


def raw(store_url: str) -> str:
    engine = sa.create_engine(store_url, future=True)
    with engine.connect() as conn:
        rows = [json.loads(r.data) for r in conn.execute(sa.text("SELECT data FROM events"))]
        dump = json.dumps(rows, ensure_ascii=False)
    engine.dispose()
    return dump


def test_everything_is_redacted_before_storage_and_the_tracker_still_loads(store_url):
    store = RedactingSQLTrackerStore(url=store_url)
    sender = uuid.uuid4().hex
    asyncio.run(store.save(conversation(sender, time.time())))
    dump = raw(store_url)
    for secret in (NIR, EMAIL, PHONE, "12 rue de la Paix"):
        assert secret not in dump
    assert "[numéro de sécurité sociale]" in dump and "88000 Épinal" in dump
    again = asyncio.run(store.retrieve(sender))
    assert again.latest_message.text.startswith("mon numéro [numéro de sécurité sociale]")
    slot = next(e for e in again.events if isinstance(e, SlotSet))
    assert slot.value == "[adresse] 88000 Épinal, tél [numéro de téléphone]"
    store.engine.dispose()


def test_retention_deletes_whole_old_conversations_only(store_url):
    store = RedactingSQLTrackerStore(url=store_url)
    now = time.time()
    old, recent = uuid.uuid4().hex, uuid.uuid4().hex
    asyncio.run(store.save(conversation(old, now - 40 * 86_400)))
    asyncio.run(store.save(conversation(recent, now - 2 * 86_400)))
    store.engine.dispose()
    assert purge(store_url, days=30, now=now) == 4
    assert purge(store_url, days=30, now=now) == 0  # idempotent: safe from cron
    store = RedactingSQLTrackerStore(url=store_url)
    assert asyncio.run(store.retrieve(old)) is None
    assert asyncio.run(store.retrieve(recent)) is not None
    store.engine.dispose()
    assert main(["purge", "--days", "1", "--db-url", store_url]) == 0
    store = RedactingSQLTrackerStore(url=store_url)
    assert asyncio.run(store.retrieve(recent)) is None
    store.engine.dispose()


def test_retention_default_and_errors(monkeypatch, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'none.db'}"
    assert purge(url) == 0  # no table yet: nothing to do
    monkeypatch.setenv("MES_RETENTION_DAYS", "7")
    assert main(["purge", "--db-url", url]) == 0
    assert main(["purge", "--db-url", "postgresql://nobody@127.0.0.1:1/none"]) == 1
    err = capsys.readouterr().err
    assert "inaccessible" in err and "Traceback" not in err


def long_conversation(sender: str, turns: int, at: float) -> list:
    events: list = [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at)]
    for turn in range(turns):
        events += [
            ActionExecuted("action_listen", timestamp=at),
            UserUttered(f"question {turn}", {"name": "what_is_mes", "confidence": 0.9}, timestamp=at),
            ActionExecuted("utter_what_is_mes", timestamp=at),
            BotUttered(f"réponse {turn}", timestamp=at),
            SlotSet("last_topic", f"topic {turn}", timestamp=at),
            SlotSet("fallback_count", float(turn % 3), timestamp=at),
        ]
    return [*events, ActionExecuted("action_listen", timestamp=at)]


def test_rasa_gets_a_window_and_every_event_is_stored_once(store_url):
    from rasa.shared.core.domain import Domain

    domain = Domain.load("domain.yml")
    store = RedactingSQLTrackerStore(domain=domain, url=store_url, window_turns=3)
    sender, now = uuid.uuid4().hex, time.time()
    full = DialogueStateTracker.from_events(sender, long_conversation(sender, 20, now), domain.slots)
    asyncio.run(store.save(full))

    window = asyncio.run(store.retrieve(sender))
    assert 3 <= sum(isinstance(e, UserUttered) for e in window.events) <= 6
    assert window.current_slot_values() == full.current_slot_values()
    assert window.latest_message.text == "question 19"

    window.update(UserUttered("encore", {"name": "thanks", "confidence": 1.0}, timestamp=now))
    window.update(ActionExecuted("utter_thanks", timestamp=now))
    asyncio.run(store.save(window))
    asyncio.run(store.save(window))  # saving the same tracker again adds nothing
    stored = asyncio.run(store.retrieve_full_tracker(sender))
    assert [e.as_dict()["event"] for e in stored.events][-3:] == ["action", "user", "action"]
    assert len(stored.events) == len(full.events) + 2  # no slot prefix, nothing twice
    assert asyncio.run(store.retrieve(sender)).latest_message.text == "encore"

    # A new session after the cut: the window starts again from that session.
    later = asyncio.run(store.retrieve(sender))
    later.update(ActionExecuted("action_session_start", timestamp=now + 1))
    later.update(SessionStarted(timestamp=now + 1))
    later.update(ActionExecuted("action_listen", timestamp=now + 1))
    asyncio.run(store.save(later))
    fresh = asyncio.run(store.retrieve(sender))
    assert [e.as_dict()["event"] for e in fresh.events] == ["action", "session_started", "action"]
    store.engine.dispose()


def test_the_window_can_be_turned_off(store_url, monkeypatch):
    from rasa.shared.core.domain import Domain

    monkeypatch.setenv("MES_TRACKER_WINDOW_TURNS", "0")
    domain = Domain.load("domain.yml")
    store = RedactingSQLTrackerStore(domain=domain, url=store_url)
    sender = uuid.uuid4().hex
    full = DialogueStateTracker.from_events(sender, long_conversation(sender, 12, time.time()), domain.slots)
    asyncio.run(store.save(full))
    assert len(asyncio.run(store.retrieve(sender)).events) == len(full.events)
    store.engine.dispose()


def test_the_local_sqlite_store_uses_a_write_ahead_log(tmp_path):
    url = f"sqlite:///{tmp_path / 'trackers.db'}"
    store = RedactingSQLTrackerStore(url=url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    store.engine.dispose()
