"""Bounded history (rasa_ext/stores/tracker_window.py): long conversations give the same dialogue
as with the whole history.

One long conversation made of every user turn of tests/conversations/ and three passes of the
bench's script (guides, buttons, France Services form, fallbacks, goodbyes) is played through the
trained model twice: once with Rasa's in-memory store (whole history), once with the project's
store and a small window. Each turn must run the same actions, send the same responses and set the
same slots; the store must hold every event once, and none of the window's slot prefix.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.load import script
from bot.privacy import redact_value
from rasa_ext.stores.tracker_store import RedactingSQLTrackerStore
from tests.conftest import ACTION_ENDPOINT_OPTIONS, MODEL

ROOT = Path(__file__).resolve().parents[2]


def conversation() -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests" / "conversations").glob("*.yml")):
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            texts += [step["user"].strip() for step in story["steps"] if "user" in step]
    return texts + script() * 3


def dialogue(events: list[Any]) -> list[tuple]:
    """What the assistant did, without timestamps or the random choice among a response's variations.

    Redacted as the store redacts (a desk's phone number looks like anyone's)."""
    kept = []
    for event in events:
        data = redact_value(event.as_dict())
        kind = data["event"]
        if kind == "action":
            kept.append((kind, data["name"]))
        elif kind == "user":
            kept.append((kind, (data.get("parse_data") or {}).get("intent", {}).get("name")))
        elif kind == "bot":
            kept.append((kind, (data.get("metadata") or {}).get("utter_action") or data.get("text")))
        elif kind in ("slot", "active_loop", "rewind", "undo", "session_started", "restart"):
            kept.append((kind, data.get("name"), repr(data.get("value"))))
    return kept


def play(store: Any, sender: str, texts: list[str], loop: asyncio.AbstractEventLoop, action_server_url: str) -> None:
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    endpoint = EndpointConfig(url=action_server_url, **ACTION_ENDPOINT_OPTIONS)
    agent = Agent.load(str(MODEL), action_endpoint=endpoint, tracker_store=store)
    for text in texts:
        loop.run_until_complete(agent.handle_text(text, sender_id=sender))


@pytest.fixture(scope="module")
def reference(event_loop_session, action_server_url) -> list[tuple]:
    from rasa.core.tracker_store import InMemoryTrackerStore

    store = InMemoryTrackerStore(None)
    sender = uuid.uuid4().hex
    play(store, sender, conversation(), event_loop_session, action_server_url)
    tracker = event_loop_session.run_until_complete(store.retrieve_full_tracker(sender))
    return dialogue(tracker.events)


@pytest.mark.parametrize("turns", [1, 2])
def test_a_windowed_conversation_runs_the_same_dialogue(turns, reference, tmp_path, event_loop_session,
                                                        action_server_url):  # fmt: skip
    store = RedactingSQLTrackerStore(url=f"sqlite:///{tmp_path / 'trackers.db'}", window_turns=turns)
    sender = uuid.uuid4().hex
    texts = conversation()
    play(store, sender, texts, event_loop_session, action_server_url)

    stored = event_loop_session.run_until_complete(store.retrieve_full_tracker(sender))
    window = event_loop_session.run_until_complete(store.retrieve(sender))
    store.engine.dispose()
    got = dialogue(stored.events)
    assert len(got) == len(reference)
    for index, (expected, actual) in enumerate(zip(reference, got, strict=True)):
        assert actual == expected, f"event {index}: {actual} != {expected}"
    # The window was really cut (else this test would compare two whole histories).
    user_turns = sum(1 for event in window.events if event.type_name == "user")
    assert user_turns <= 2 * turns + 1 < len(texts)
    assert window.current_slot_values() == stored.current_slot_values()
