"""The redacting tracker store and the retention command, on SQLite and on the local PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext.stores.tracker_store import RedactingSQLTrackerStore, purge
from tools.__main__ import main

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


DAY = 86_400
NOW = float(int(time.time()))  # whole seconds: the limit, NOW - 30 days, is an exact timestamp
LIMIT = NOW - 30 * DAY


def one_session(at: float, text: str) -> list:
    """A session of one turn, every event at ``at``."""
    return [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at),
        ActionExecuted("action_listen", timestamp=at),
        UserUttered(text, {"name": "greet", "confidence": 0.9}, timestamp=at),
        ActionExecuted("utter_greet", timestamp=at),
        BotUttered("Bonjour", timestamp=at),
        ActionExecuted("action_listen", timestamp=at),
    ]


def stored_timestamps(store_url: str) -> dict[str, list[float]]:
    engine = sa.create_engine(store_url, future=True)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT sender_id, timestamp FROM events ORDER BY id")).all()
    engine.dispose()
    found: dict[str, list[float]] = {}
    for sender, timestamp in rows:
        found.setdefault(sender, []).append(timestamp)
    return found


def test_retention_deletes_every_event_older_than_the_limit_whoever_sent_it(store_url):
    store = RedactingSQLTrackerStore(url=store_url)
    returning, gone, boundary = (uuid.uuid4().hex for _ in range(3))
    conversations = {
        returning: one_session(NOW - 40 * DAY, "il y a 40 jours") + one_session(NOW - 2 * DAY, "avant-hier"),
        gone: one_session(NOW - 31 * DAY, "il y a 31 jours") + one_session(NOW - 30.5 * DAY, "un peu après"),
        boundary: one_session(LIMIT - 0.001, "juste avant la limite") + one_session(LIMIT, "pile à la limite"),
    }
    for sender, events in conversations.items():
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
    store.engine.dispose()

    assert purge(store_url, days=30, now=NOW) == 7 + 14 + 7
    assert stored_timestamps(store_url) == {returning: [NOW - 2 * DAY] * 7, boundary: [LIMIT] * 7}
    assert purge(store_url, days=30, now=NOW) == 0  # idempotent: safe from cron
    store = RedactingSQLTrackerStore(url=store_url)
    assert asyncio.run(store.retrieve(gone)) is None
    assert asyncio.run(store.retrieve(returning)).latest_message.text == "avant-hier"
    assert asyncio.run(store.retrieve(boundary)).latest_message.text == "pile à la limite"
    store.engine.dispose()
    assert main(["purge", "--days", "1", "--db-url", store_url]) == 0  # the command: same interface
    assert stored_timestamps(store_url) == {}


START = NOW - DAY  # the dated conversation below: its session starts here, one user turn a minute


def dated_conversation(turns: int) -> list:
    """An advisor's session (the audience set at START), then a question a minute."""
    events: list = [
        ActionExecuted("action_session_start", timestamp=START),
        SessionStarted(timestamp=START),
        ActionExecuted("action_listen", timestamp=START),
        UserUttered(
            '/set_audience{"audience": "advisor"}', {"name": "set_audience", "confidence": 1.0}, timestamp=START
        ),
        SlotSet("audience", "advisor", timestamp=START),
    ]
    for turn in range(turns):
        at = START + 60 * (turn + 1)
        events += [
            ActionExecuted("action_listen", timestamp=at),
            UserUttered(f"question {turn}", {"name": "what_is_mes", "confidence": 0.9}, timestamp=at + 1),
            ActionExecuted("utter_what_is_mes", timestamp=at + 2),
            BotUttered(f"réponse {turn}", timestamp=at + 2),
            SlotSet("last_topic", f"topic {turn}", timestamp=at + 2),
        ]
    return [*events, ActionExecuted("action_listen", timestamp=START + 60 * (turns + 1))]


# Where the purge's limit falls in the dated conversation: just after the session's start (the window's
# cut survives), inside a turn (after its action_listen, after its user message), past the window's cut.
LIMITS_INSIDE_A_SESSION = [START + 1, START + 61, START + 62, START + 60 * 9 + 1]


def test_what_remains_of_a_purged_session_loads_and_continues(store_url):
    from rasa.shared.core.domain import Domain

    domain = Domain.load("domain")
    serving = RedactingSQLTrackerStore(domain=domain, url=store_url, window_turns=2)  # one process, all along
    for limit in LIMITS_INSIDE_A_SESSION:
        sender = uuid.uuid4().hex
        asyncio.run(serving.save(DialogueStateTracker.from_events(sender, dated_conversation(10), domain.slots)))
        before = asyncio.run(serving.retrieve(sender))
        assert before.get_slot("audience") == "advisor" and serving.windows.cut(sender).event_id is not None

        assert purge(store_url, days=0, now=limit) > 0
        whole = RedactingSQLTrackerStore(domain=domain, url=store_url, window_turns=0)
        left = asyncio.run(whole.retrieve(sender))  # Rasa's own retrieve: every event left in the session
        assert left.events and all(event.timestamp >= limit for event in left.events)
        assert not any(isinstance(event, SessionStarted) for event in left.events)
        other = RedactingSQLTrackerStore(domain=domain, url=store_url, window_turns=2)
        for store in (serving, other):
            window = asyncio.run(store.retrieve(sender))  # the process that served it, and another one
            assert window.current_slot_values() == left.current_slot_values(), limit
            assert window.get_slot("audience") == "citizen"  # purged: the cut's old slots do not come back
            assert window.latest_message.text == "question 9"

        window = asyncio.run(serving.retrieve(sender))
        window.update(ActionExecuted("action_listen", timestamp=NOW))
        window.update(UserUttered("merci", {"name": "thanks", "confidence": 1.0}, timestamp=NOW))
        window.update(ActionExecuted("utter_thanks", timestamp=NOW))
        asyncio.run(serving.save(window))
        stored = asyncio.run(whole.retrieve_full_tracker(sender))
        assert [e.as_dict() for e in stored.events] == [e.as_dict() for e in left.events] + [
            e.as_dict() for e in list(window.events)[-3:]
        ]  # the new turn only: nothing purged comes back, no slot prefix, nothing twice
        assert asyncio.run(serving.retrieve(sender)).latest_message.text == "merci"
        for store in (other, whole):
            store.engine.dispose()

    assert purge(store_url, days=0, now=NOW + 1) > 0  # every event is old now: the conversation is gone
    assert asyncio.run(serving.retrieve(sender)) is None and serving.windows.cut(sender) is None
    serving.engine.dispose()


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

    domain = Domain.load("domain")
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
    domain = Domain.load("domain")
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


def test_the_local_sqlite_store_keeps_its_connections(tmp_path):
    """Two messages, one connection: SQLAlchemy 1.4 would open and close one per session (NullPool)."""
    store = RedactingSQLTrackerStore(url=f"sqlite:///{tmp_path / 'trackers.db'}")
    opened = []
    sa.event.listen(store.engine, "connect", lambda *_: opened.append(True))
    for second in (1, 2):
        asyncio.run(store.save(conversation("pooled", float(second))))
    assert asyncio.run(store.retrieve("pooled")) is not None
    assert isinstance(store.engine.pool, sa.pool.QueuePool)
    assert len(opened) == 1
    store.engine.dispose()


@pytest.mark.parametrize("window_turns", [0, 2])
def test_a_purge_while_a_message_is_served_stores_nothing_twice(store_url, window_turns):
    from rasa.shared.core.domain import Domain

    domain = Domain.load("domain")
    store = RedactingSQLTrackerStore(domain=domain, url=store_url, window_turns=window_turns)
    sender = uuid.uuid4().hex
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, dated_conversation(10), domain.slots)))
    tracker = asyncio.run(store.retrieve(sender))
    assert purge(store_url, days=0, now=START + 60 * 5) > 0  # meanwhile, the nightly purge
    left = [event.as_dict() for event in asyncio.run(store.retrieve_full_tracker(sender)).events]
    tracker.update(UserUttered("merci", {"name": "thanks", "confidence": 1.0}, timestamp=NOW))
    asyncio.run(store.save(tracker))
    stored = [event.as_dict() for event in asyncio.run(store.retrieve_full_tracker(sender)).events]
    assert stored == [*left, tracker.events[-1].as_dict()]
    store.engine.dispose()


@pytest.mark.slow
def test_rasa_continues_a_conversation_whose_start_was_purged(store_url, agent, event_loop_session, monkeypatch):
    """Through the trained model: an advisor's session loses its start to the purge, and goes on."""
    store = RedactingSQLTrackerStore(domain=agent.domain, url=store_url, window_turns=1)
    monkeypatch.setattr(agent.processor, "tracker_store", store)
    sender, question = uuid.uuid4().hex, '/faq{"answer": "what_is_mes"}'

    def say(text: str) -> str:
        replies = event_loop_session.run_until_complete(agent.handle_text(text, sender_id=sender))
        assert replies and not any("Traceback" in reply.get("text", "") for reply in replies)
        return "\n".join(reply.get("text", "") for reply in replies)

    def stored() -> list:
        return list(event_loop_session.run_until_complete(store.retrieve_full_tracker(sender)).events)

    assert "Mode accompagnement" in say('/set_audience{"audience": "advisor"}')
    assert "Présentez-le" in say(question)  # the advisor's wording
    limit = time.time()
    for text in (question, "merci", question):
        say(text)
    assert store.windows.cut(sender).event_id is not None  # Rasa works on a window cut after the start

    assert purge(store_url, days=0, now=limit) > 0
    left = stored()
    assert all(event.timestamp >= limit for event in left)
    assert not any(isinstance(event, SessionStarted) for event in left)
    assert "Mon espace santé est votre carnet" in say(question)  # the audience was purged: citizen wording
    new = stored()[len(left) :]
    assert isinstance(new[0], UserUttered)  # the same session goes on
    assert not any(isinstance(event, SessionStarted) for event in new)
    actions = [event.action_name for event in new if isinstance(event, ActionExecuted)]
    assert actions == ["action_answer", "action_listen"]
    store.engine.dispose()
