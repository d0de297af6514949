"""Bounded history: the tracker Rasa works on holds the last few turns, not the whole conversation.

Rasa rebuilds the conversation's state from every event of the session for each prediction (three
or four per message), and sends every event to the action server: at turn 100 a message took 5×
as long as at turn 1 (docs/bench.md). The policies only look back a few turns (rules of one or
two turns, MemoizationPolicy max_history 3) and every slot is `influence_conversation: false`.

So the tracker store hands Rasa a *window*: the events since a cut placed at the start of a turn,
preceded by ``SlotSet`` events that restore the slots as they were at the cut. Same slots, same
latest message, same last turns, hence the same predictions (tests/integration/
test_tracker_window.py replays long conversations both ways). The cut only moves when the window
exceeds ``max_turns`` user turns, to leave ``min_turns``, and never while a form is active. The
state at the cut is kept in memory per conversation (LRU); another instance or a restart rebuilds
it once from the session's events. Nothing changes in the database: every event is still stored.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

DEFAULT_MIN_TURNS = 2
DEFAULT_MAX_TURNS = 4
CACHE_SIZE = 10_000


@dataclass(frozen=True)
class Cut:
    """Where the window starts: after the stored event ``event_id`` (None: the session's start)."""

    event_id: int | None = None
    slots: dict[str, Any] = field(default_factory=dict)  # slots that differ from their initial value
    timestamp: float | None = None

    def prefix(self) -> list[dict[str, Any]]:
        """The events that restore the slots of the cut (as dicts, like stored events)."""
        return [SlotSet(name, value, timestamp=self.timestamp).as_dict() for name, value in self.slots.items()]


def turn_starts(events: list[dict[str, Any]]) -> list[int]:
    """Indices of the ``action_listen`` events that open a user turn (followed by the user's message)."""
    return [
        i
        for i in range(len(events) - 1)
        if events[i].get("event") == "action"
        and events[i].get("name") == ACTION_LISTEN_NAME
        and events[i + 1].get("event") == "user"
    ]


def changed_slots(tracker: DialogueStateTracker) -> dict[str, Any]:
    return {name: slot.value for name, slot in tracker.slots.items() if slot.value != slot.initial_value}


class Windows:
    """The cuts of the conversations this process serves, and how to build a window."""

    def __init__(self, min_turns: int = DEFAULT_MIN_TURNS, max_turns: int = DEFAULT_MAX_TURNS) -> None:
        if min_turns < 0 or (min_turns and max_turns < min_turns):
            raise ValueError("window: 0 (off) or 0 < min_turns <= max_turns")
        self.min_turns, self.max_turns = min_turns, max_turns
        self._cuts: OrderedDict[str, Cut] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.min_turns > 0

    def cut(self, sender_id: str) -> Cut | None:
        cut = self._cuts.get(sender_id)
        if cut is not None:
            self._cuts.move_to_end(sender_id)
        return cut

    def forget(self, sender_id: str) -> None:
        self._cuts.pop(sender_id, None)

    def _remember(self, sender_id: str, cut: Cut) -> None:
        self._cuts[sender_id] = cut
        self._cuts.move_to_end(sender_id)
        while len(self._cuts) > CACHE_SIZE:
            self._cuts.popitem(last=False)

    def tracker(
        self, sender_id: str, cut: Cut, rows: list[tuple[int, dict[str, Any]]], slots: Any
    ) -> DialogueStateTracker:
        """The window tracker from the cut and the stored (id, event) rows after it; moves the cut if needed."""
        events = [event for _, event in rows]
        starts = turn_starts(events)
        if len(starts) > self.max_turns:
            index = starts[-self.min_turns]
            before = DialogueStateTracker.from_dict(sender_id, cut.prefix() + events[:index], slots)
            if before.active_loop_name is None:
                cut = Cut(rows[index - 1][0], changed_slots(before), events[index].get("timestamp"))
                events = events[index:]
        self._remember(sender_id, cut)
        return DialogueStateTracker.from_dict(sender_id, cut.prefix() + events, slots)


def decode(rows: list[Any]) -> list[tuple[int, dict[str, Any]]]:
    """(id, event dict) of stored event rows."""
    return [(row.id, json.loads(row.data)) for row in rows]
