"""Everything the review computes from the conversations of a period, and the key figures (summary.json)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.feedback import AnswerFeedback
from bot.procedures import PROCEDURES
from tools.review import journeys, messages, ratings
from tools.review.events import ALL_TIME, Conversation, Period

SPECS: dict[str, tuple[str, int]] = {name: (p.title, len(p.steps)) for name, p in PROCEDURES.items()}


@dataclass
class Review:
    since: date | None
    until: date | None
    conversations: list[Conversation]
    skipped_rows: int = 0
    min_confidence: float = 0.5
    intents: Counter[str] = field(default_factory=Counter)
    groups: list[messages.Group] = field(default_factory=list)
    funnels: dict[str, journeys.Funnel] = field(default_factory=dict)
    france_services: dict[str, int] = field(default_factory=dict)
    per_day: dict[date, int] = field(default_factory=dict)
    rated_answers: list[ratings.RankedAnswer] = field(default_factory=list)  # « Cette réponse vous a aidé ? »

    @property
    def user_messages(self) -> int:
        return sum(self.intents.values())

    @property
    def fallback_rate(self) -> float:
        return messages.fallback_rate(self.intents)


def analyse(
    conversations: list[Conversation],
    period: Period = ALL_TIME,
    skipped_rows: int = 0,
    min_confidence: float = 0.5,
    specs: dict[str, tuple[str, int]] | None = None,
    feedback: Iterable[AnswerFeedback] = (),
) -> Review:
    """Flagged messages grouped, intents, funnels, France Services outcomes and daily counts; ``feedback``
    (bot.feedback.summary of the period) ranked with the messages that led to each answer."""
    since = period.since or min((c.day for c in conversations), default=None)
    until = period.until or max((c.day for c in conversations), default=None)
    flagged = [m for c in conversations for m in messages.flagged_messages(c, min_confidence)]
    return Review(
        since=since,
        until=until,
        conversations=conversations,
        skipped_rows=skipped_rows,
        min_confidence=min_confidence,
        intents=messages.intent_counts(conversations),
        groups=messages.group_messages(flagged),
        funnels=journeys.funnels(conversations, SPECS if specs is None else specs),
        france_services=journeys.france_services(conversations),
        per_day=journeys.per_day(conversations, since, until),
        rated_answers=ratings.rank(feedback, conversations),
    )


def summary(review: Review) -> dict[str, Any]:
    """Key figures for the maintainers' HTML report: counts only, no identifier, no text."""
    return {
        "period": {
            "since": review.since.isoformat() if review.since else None,
            "until": review.until.isoformat() if review.until else None,
            "timezone": "Europe/Paris",
        },
        "conversations": len(review.conversations),
        "user_messages": review.user_messages,
        "fallback_rate": review.fallback_rate,
        "top_intents": messages.top_intents(review.intents),
        "funnels": {name: funnel.as_dict() for name, funnel in review.funnels.items()},
        "france_services": review.france_services,
        "to_label_groups": len(review.groups),
        "to_label_messages": sum(g.count for g in review.groups),
        "conversations_per_day": {day.isoformat(): n for day, n in review.per_day.items()},
        "min_confidence": review.min_confidence,
        "skipped_rows": review.skipped_rows,
        "feedback": {
            "answers": len(review.rated_answers),
            "helpful": sum(r.helpful for r in review.rated_answers),
            "unhelpful": sum(r.unhelpful for r in review.rated_answers),
        },
    }
