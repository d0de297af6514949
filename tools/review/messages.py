"""User messages: which ones the assistant missed, grouped by wording; intents and fallback rate."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process

from bot.answers.respond import selector_ranking
from bot.places.position import rounded_payload
from bot.privacy import redact
from bot.text import normalize
from tools.review.events import Conversation, Event

FALLBACK = "nlu_fallback"
DECLINED = "out_of_scope"
ANSWER = "faq"
CLARIFY = "action_clarify"
REFUSED = "deny_suggestions"
NO_INTENT = "(aucune)"
SIMILARITY = 80
MAX_EXAMPLES = 10


@dataclass(frozen=True)
class Flagged:
    """A user message the assistant did not understand or was unsure about (text already redacted)."""

    text: str
    guessed: str | None
    day: date
    reason: str  # "fallback", "declined", "low_confidence", "refused" or "not_understood"


@dataclass(frozen=True)
class Group:
    count: int
    first_seen: date
    last_seen: date
    guessed_intent: str | None
    examples: tuple[str, ...]


def intent_of(event: Event) -> tuple[str | None, float]:
    """Intent name and confidence of a user event (None, 0.0 when missing)."""
    intent = event.data["parse_data"].get("intent")
    intent = intent if isinstance(intent, dict) else {}
    name, confidence = intent.get("name"), intent.get("confidence")
    score = float(confidence) if isinstance(confidence, (int, float)) else 0.0
    return (name if isinstance(name, str) else None), score


def guessed_intent(event: Event) -> str | None:
    """What the model thought: the intent (``faq/<id>`` for an answer of the bank), or, when it was not sure
    or declined, its best real guess."""
    name, _ = intent_of(event)
    if name not in (FALLBACK, DECLINED, ANSWER):
        return name
    answers = selector_ranking(event.data["parse_data"].get("response_selector"))
    ranking = event.data["parse_data"].get("intent_ranking")
    for entry in ranking if isinstance(ranking, list) else []:
        guess = entry.get("name") if isinstance(entry, dict) else None
        if guess == ANSWER and answers:
            return f"{ANSWER}/{answers[0][0]}"
        if isinstance(guess, str) and guess not in (FALLBACK, ANSWER) and (guess != DECLINED or name == DECLINED):
            return guess
    return None


def one_line(text: str) -> str:
    """Redacted again, a position payload rounded to about 1 km, printable characters only, on one line."""
    return " ".join("".join(c if c.isprintable() else " " for c in redact(rounded_payload(text))).split())


def turns(conversation: Conversation) -> list[tuple[Event, list[Event]]]:
    """Each user event with the events that followed it, up to the next user event."""
    result: list[tuple[Event, list[Event]]] = []
    for event in conversation.events:
        if event.type == "user":
            result.append((event, []))
        elif result:
            result[-1][1].append(event)
    return result


def refused_suggestions(conversation: Conversation) -> int:
    """How many times the user refused the « vouliez-vous dire » suggestions."""
    steps = turns(conversation)
    return sum(
        1
        for (_, after), (following, _) in itertools.pairwise(steps)
        if intent_of(following)[0] == REFUSED and any(e.type == "action" and e.name == CLARIFY for e in after)
    )


def flagged_messages(conversation: Conversation, min_confidence: float = 0.5) -> list[Flagged]:
    """Messages with the fallback intent, a low confidence, refused suggestions or a place not understood."""
    found: list[Flagged] = []
    steps = turns(conversation)
    for index, (user, after) in enumerate(steps):
        text = user.data["text"]
        if text.lstrip().startswith("/"):
            continue  # a button's payload, not words a person typed
        name, confidence = intent_of(user)
        following = intent_of(steps[index + 1][0])[0] if index + 1 < len(steps) else None
        if name == FALLBACK:
            reason = "fallback"
        elif name == DECLINED:
            reason = "declined"  # off-topic: worth a look, the detector may have been wrong
        elif following == REFUSED and any(e.type == "action" and e.name == CLARIFY for e in after):
            reason = "refused"
        elif any(e.type == "slot" and e.name == "fs_prompt" and e.data["value"] == "not_understood" for e in after):
            reason = "not_understood"
        elif confidence < min_confidence:
            reason = "low_confidence"
        else:
            continue
        clean = one_line(text)
        if normalize(clean):
            found.append(Flagged(clean, guessed_intent(user), user.day, reason))
    return found


def group_messages(flagged: Iterable[Flagged], threshold: int = SIMILARITY) -> list[Group]:
    """Greedy clusters of similar wordings (token set ratio ≥ threshold), largest first; deterministic."""
    by_key: dict[str, list[Flagged]] = {}
    for message in flagged:
        by_key.setdefault(normalize(message.text), []).append(message)
    leaders: list[str] = []
    members: list[list[str]] = []
    for key in sorted(by_key, key=lambda k: (-len(by_key[k]), k)):
        match = process.extractOne(key, leaders, scorer=fuzz.token_set_ratio, score_cutoff=threshold)
        if match is None:
            leaders.append(key)
            members.append([key])
        else:
            members[match[2]].append(key)
    groups = []
    for keys in members:
        messages = [m for key in keys for m in by_key[key]]
        guesses = Counter(m.guessed or NO_INTENT for m in messages)
        guess = min(guesses, key=lambda g: (-guesses[g], g))
        groups.append(Group(
            count=len(messages),
            first_seen=min(m.day for m in messages),
            last_seen=max(m.day for m in messages),
            guessed_intent=None if guess == NO_INTENT else guess,
            examples=tuple(by_key[key][0].text for key in keys[:MAX_EXAMPLES]),
        ))  # fmt: skip
    return sorted(groups, key=lambda g: (-g.count, g.first_seen, normalize(g.examples[0])))


def intent_counts(conversations: Iterable[Conversation]) -> Counter[str]:
    """User messages per intent."""
    return Counter(intent_of(e)[0] or NO_INTENT for c in conversations for e in c.user_events)


def top_intents(counts: Counter[str], limit: int = 15) -> list[dict[str, Any]]:
    return [{"intent": name, "count": n} for name, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:limit]]


def fallback_rate(counts: Counter[str]) -> float:
    """Share of user messages not answered: « not sure » or declined as off-topic (0.0 without messages)."""
    total = sum(counts.values())
    return round((counts.get(FALLBACK, 0) + counts.get(DECLINED, 0)) / total, 4) if total else 0.0
