"""Hand-built trackers and an action runner for the action tests (no Rasa server needed)."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


def build_tracker(
    text: str = "",
    intent: str | None = None,
    confidence: float = 0.9,
    entities: list | tuple | None = None,
    active_loop: str | None = None,
    ranking: list | None = None,
    response_selector: dict | None = None,
    off_topic: float | None = None,
    **slots: Any,
) -> Tracker:
    """A tracker whose latest message has this text, intent and parse data, with these slots set."""
    latest: dict[str, Any] = {"text": text, "intent": {"name": intent, "confidence": confidence} if intent else {}}
    if entities is not None:
        latest["entities"] = list(entities)
    if ranking is not None:
        latest["intent_ranking"] = ranking
    if response_selector is not None:
        latest["response_selector"] = response_selector
    if off_topic is not None:
        latest["off_topic"] = off_topic
    loop = {"name": active_loop} if active_loop else {}
    return Tracker("test", slots, latest, [], False, None, loop, "action_listen")


def run_action(action: Action, tracker: Tracker) -> tuple[list[dict], list[dict]]:
    """The messages the action sends and the events it returns."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def slot_values(events: list[dict]) -> dict[str, Any]:
    """The slots the events set, by name."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def run_for_slots(action: Action, tracker: Tracker) -> tuple[list[dict], dict[str, Any]]:
    """The messages the action sends and the slots it sets."""
    messages, events = run_action(action, tracker)
    return messages, slot_values(events)
