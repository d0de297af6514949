"""Journeys through the dialogue: guided procedures (funnels), France Services searches, conversations per day."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tools.review.events import Conversation, Event

FS_FORM = "france_services_form"
FS_RESULTS = "action_france_services_results"
FS_OUTCOMES = ("found", "gave_up", "cancelled", "not_understood", "interrupted", "other")
FS_STOPS = ("gave_up", "cancelled", "not_understood")
SAFE_NAME = re.compile(r"[a-z0-9_]{1,60}")  # an unknown procedure name also names a PNG file


@dataclass
class Funnel:
    """Conversations that started a procedure, finished it, or left it at step k (1-based)."""

    name: str
    title: str
    steps: int
    started: int = 0
    finished: int = 0
    abandoned_at_step: Counter[int] = field(default_factory=Counter)
    referred_at_step: Counter[int] = field(default_factory=Counter)  # stopped by a problem sent elsewhere

    def reached(self, step: int) -> int:
        """Conversations that got at least to ``step``."""
        left = sum(n for k, n in (self.abandoned_at_step + self.referred_at_step).items() if k < step)
        return self.started - left

    def as_dict(self) -> dict[str, Any]:
        last = max([self.steps, *self.abandoned_at_step, *self.referred_at_step])
        return {
            "title": self.title,
            "steps": self.steps,
            "started": self.started,
            "finished": self.finished,
            "reached": {str(k): self.reached(k) for k in range(1, last + 1)},
            "abandoned_at_step": {str(k): self.abandoned_at_step[k] for k in range(1, last + 1)},
            "referred_at_step": {str(k): self.referred_at_step[k] for k in range(1, last + 1)},
        }


def _step(value: Any) -> int | None:
    return int(value) + 1 if isinstance(value, (int, float)) and 0 <= value < 1000 else None


def _utterance(event: Event) -> Any:
    metadata = event.data.get("metadata")
    return metadata.get("utter_action") if isinstance(metadata, dict) else None


def procedure_outcomes(conversation: Conversation) -> dict[str, tuple[str, int]]:
    """Per procedure started in the conversation: ("finished" | "abandoned" | "referred", last step shown)."""
    outcomes: dict[str, tuple[str, int]] = {}
    current: str | None = None
    step, last_action = 1, None

    def close(status: str) -> None:
        if current and outcomes[current][0] != "finished":
            outcomes[current] = (status, step)

    for event in conversation.events:
        if event.type == "action":
            last_action = event.name
        elif event.type == "bot" and current and _utterance(event) == f"utter_{current}_done":
            close("finished")
        elif event.type == "restart":
            close("abandoned")
            current = None
        elif event.type == "slot" and event.name == "procedure" and event.data["value"] != current:
            value = event.data["value"]
            ended = value is None and last_action in ("action_step_done", "action_report_problem")
            close(("finished" if last_action == "action_step_done" else "referred") if ended else "abandoned")
            current, step = (value, 1) if isinstance(value, str) and value else (None, 1)
            if current:
                outcomes.setdefault(current, ("abandoned", 1))
        elif event.type == "slot" and event.name == "procedure_step" and current:
            step = _step(event.data["value"]) or step
    close("abandoned")
    return outcomes


def funnels(conversations: Iterable[Conversation], specs: dict[str, tuple[str, int]]) -> dict[str, Funnel]:
    """One funnel per procedure of ``specs`` (name -> (title, number of steps)), plus any unknown one seen."""
    result = {name: Funnel(name, title, steps) for name, (title, steps) in specs.items()}
    for conversation in conversations:
        for name, (status, step) in procedure_outcomes(conversation).items():
            if name not in result and not SAFE_NAME.fullmatch(name):
                continue
            funnel = result.setdefault(name, Funnel(name, name, step))
            funnel.steps = max(funnel.steps, step)
            funnel.started += 1
            if status == "finished":
                funnel.finished += 1
            else:
                (funnel.abandoned_at_step if status == "abandoned" else funnel.referred_at_step)[step] += 1
    return result


def _desk_found(events: list[Event], index: int) -> bool:
    """Whether the results action at ``index`` set ``fs_desk`` (its own events run until the next action or message)."""
    for event in events[index + 1 :]:
        if event.type in ("action", "user"):
            return False
        if event.type == "slot" and event.name == "fs_desk" and event.data["value"]:
            return True
    return False


def france_services_outcomes(conversation: Conversation) -> list[str]:
    """One outcome per France Services search of the conversation (see ``FS_OUTCOMES``)."""
    outcomes: list[str] = []
    searching, prompt = False, None
    for index, event in enumerate(conversation.events):
        if event.type == "active_loop" and event.name == FS_FORM:
            if searching:
                outcomes.append("interrupted")
            searching, prompt = True, None
        elif event.type == "slot" and event.name == "fs_prompt" and event.data["value"]:
            prompt = event.data["value"]
        elif event.type == "action" and event.name == FS_RESULTS:
            found = _desk_found(conversation.events, index)
            outcomes.append("found" if found else prompt if prompt in FS_STOPS else "other")
            searching, prompt = False, None
    return [*outcomes, "interrupted"] if searching else outcomes


def france_services(conversations: Iterable[Conversation]) -> dict[str, int]:
    counts = Counter(o for c in conversations for o in france_services_outcomes(c))
    return {key: counts[key] for key in FS_OUTCOMES}


def per_day(conversations: Iterable[Conversation], since: date | None, until: date | None) -> dict[date, int]:
    """Conversations per start day (Paris), every day from ``since`` to ``until`` (default: first and last seen)."""
    counts = Counter(c.day for c in conversations)
    first, last = since or min(counts, default=None), until or max(counts, default=None)
    if first is None or last is None or first > last:
        return {}
    return {first + timedelta(days=i): counts[first + timedelta(days=i)] for i in range((last - first).days + 1)}
