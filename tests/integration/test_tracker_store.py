"""The redacting tracker store and the retention command, on SQLite and on the local PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import sqlalchemy as sa
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
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
