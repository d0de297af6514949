"""« Cette réponse vous a aidé ? »: the readers' feedback on the answers of the bank, anonymous by construction.

One row per click, with exactly: the answer's id, helpful (yes/no), the reason (one of a fixed list, or
none), the audience (citizen or advisor page) and the day (YYYY-MM-DD, Paris time). No text, no conversation
id, no address, no time of day: nothing in a row says who gave it or in which conversation. (The row's
number only orders rows; the review never reads it.)

Plain module (SQLAlchemy only): the site (.venv-web) writes with ``record``, the review (.venv) reads with
``summary``. SQLite ``var/feedback.db`` by default, ``$MES_FEEDBACK_DB_URL`` otherwise.

Retention: rows older than ``$MES_FEEDBACK_RETENTION_DAYS`` days (365 by default: a year of trends, the rows
being anonymous) are deleted by ``purge``: ``record`` runs it at most once a day per process, and
``python -m tools purge`` (with the conversations' retention) does it from cron.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import declarative_base

ROOT = Path(__file__).resolve().parent.parent
ENV_VAR = "MES_FEEDBACK_DB_URL"
DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'feedback.db'}"
RETENTION_ENV_VAR = "MES_FEEDBACK_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 365
PARIS = ZoneInfo("Europe/Paris")

AUDIENCES = ("citizen", "advisor")
REASONS = ("pas_ma_question", "trop_complique", "information_fausse", "autre")
ADVISOR_REASONS = (*REASONS, "etape_inexacte")  # « Signaler une erreur » on /accompagnement
REASON_LABELS = {
    "pas_ma_question": "pas ma question",
    "trop_complique": "trop compliqué",
    "information_fausse": "information fausse",
    "autre": "autre",
    "etape_inexacte": "étape inexacte",
}
ANSWER_ID = re.compile(r"^[a-z][a-z0-9_]{2,59}$")  # a unit id of the bank (data/answers/*.yml)


Base = declarative_base()


class Feedback(Base):
    """One reader's click. Nothing else is stored: see the module's docstring."""

    __tablename__ = "feedback"

    id = sa.Column(sa.Integer, primary_key=True)
    answer_id = sa.Column(sa.String(60), nullable=False, index=True)
    helpful = sa.Column(sa.Boolean, nullable=False)
    reason = sa.Column(sa.String(30), nullable=True)
    audience = sa.Column(sa.String(10), nullable=False)
    date = sa.Column(sa.Date, nullable=False, index=True)


class FeedbackError(ValueError):
    """A field that may not be stored; the message says which, in French."""


@dataclass(frozen=True)
class AnswerFeedback:
    """The counts of one answer: yes, no, and the no's by reason (none when nobody said no)."""

    answer_id: str
    helpful: int
    unhelpful: int
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.helpful + self.unhelpful

    @property
    def unhelpful_rate(self) -> float:
        return round(self.unhelpful / self.total, 4) if self.total else 0.0


def db_url(url: str | None = None) -> str:
    """``url``, else $MES_FEEDBACK_DB_URL, else the SQLite file var/feedback.db."""
    return url or os.environ.get(ENV_VAR) or DEFAULT_URL


_engines: dict[str, Engine] = {}
_ready: set[str] = set()
_purged_on: dict[str, dt.date] = {}
_lock = threading.Lock()


def engine(url: str | None = None) -> Engine:
    """One engine per URL for the process, with the table created (and the SQLite folder) on first use."""
    url = db_url(url)
    with _lock:
        if url not in _engines:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            _engines[url] = sa.create_engine(url, future=True)
        if url not in _ready:
            Base.metadata.create_all(_engines[url])
            _ready.add(url)
        return _engines[url]


def dispose() -> None:
    """Close every engine (tests, end of process)."""
    with _lock:
        for created in _engines.values():
            created.dispose()
        _engines.clear()
        _ready.clear()
        _purged_on.clear()


def today() -> dt.date:
    """The day in Paris, the only time a row keeps."""
    return dt.datetime.now(PARIS).date()


def check(answer_id: Any, helpful: Any, reason: Any, audience: Any) -> tuple[str, bool, str | None, str]:
    """The fields, checked: a unit id, a boolean, a reason allowed for the audience (only after « Non »)."""
    if not isinstance(answer_id, str) or not ANSWER_ID.match(answer_id):
        raise FeedbackError("La réponse concernée n'est pas reconnue.")
    if not isinstance(helpful, bool):
        raise FeedbackError("Indiquez si la réponse vous a aidé : oui ou non.")
    if audience not in AUDIENCES:
        raise FeedbackError("La page d'origine n'est pas reconnue.")
    if reason is not None:
        allowed = ADVISOR_REASONS if audience == "advisor" else REASONS
        if helpful or not isinstance(reason, str) or reason not in allowed:
            raise FeedbackError("La raison choisie n'est pas reconnue.")
    return answer_id, helpful, reason, audience


def record(
    answer_id: Any, helpful: Any, reason: Any = None, audience: Any = "citizen", *,
    url: str | None = None, day: dt.date | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Check and store one feedback; returns the stored fields. Raises FeedbackError on a bad field."""
    answer_id, helpful, reason, audience = check(answer_id, helpful, reason, audience)
    day = day or today()
    store = engine(url)
    with store.begin() as conn:
        conn.execute(sa.insert(Feedback).values(answer_id=answer_id, helpful=helpful, reason=reason,
                                                audience=audience, date=day))  # fmt: skip
    _purge_daily(db_url(url), day)
    return {"answer_id": answer_id, "helpful": helpful, "reason": reason, "audience": audience,
            "date": day.isoformat()}  # fmt: skip


def _purge_daily(url: str, day: dt.date) -> None:
    with _lock:
        if _purged_on.get(url) == day:
            return
        _purged_on[url] = day
    purge(url, on=day)


def retention_days(days: float | None = None) -> float:
    return float(days if days is not None else os.environ.get(RETENTION_ENV_VAR, DEFAULT_RETENTION_DAYS))


def purge(url: str | None = None, days: float | None = None, on: dt.date | None = None) -> int:
    """Delete the rows older than ``days`` days (default $MES_FEEDBACK_RETENTION_DAYS, 365); a row exactly
    ``days`` old stays (counted back from ``on``, default today). Returns how many were deleted."""
    cutoff = (on or today()) - dt.timedelta(days=retention_days(days))
    with engine(url).begin() as conn:
        return conn.execute(sa.delete(Feedback).where(Feedback.date < cutoff)).rowcount or 0


def rows(url: str | None = None) -> list[dict[str, Any]]:
    """Every stored row, as stored (tests, exports)."""
    with engine(url).connect() as conn:
        result = conn.execute(sa.select(Feedback).order_by(Feedback.id))
        return [dict(row._mapping) for row in result]


def summary(
    url: str | None = None, since: dt.date | None = None, until: dt.date | None = None, audience: str | None = None
) -> list[AnswerFeedback]:
    """Per answer: yes, no and the no's by reason, between ``since`` and ``until`` (days, both included);
    the most unhelpful first (rate, then number of no's, then id). [] when the database file does not exist
    (nothing is created just to read)."""
    url = db_url(url)
    parsed = make_url(url)
    database = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if database and database != ":memory:" and not Path(database).is_file():
        return []
    query = sa.select(Feedback.answer_id, Feedback.helpful, Feedback.reason, sa.func.count()).group_by(
        Feedback.answer_id, Feedback.helpful, Feedback.reason
    )
    if since is not None:
        query = query.where(Feedback.date >= since)
    if until is not None:
        query = query.where(Feedback.date <= until)
    if audience is not None:
        query = query.where(Feedback.audience == audience)
    counts: dict[str, dict[str, Any]] = {}
    with engine(url).connect() as conn:
        for answer_id, helpful, reason, n in conn.execute(query):
            entry = counts.setdefault(answer_id, {"yes": 0, "no": 0, "reasons": {}})
            if helpful:
                entry["yes"] += n
            else:
                entry["no"] += n
                key = reason or "sans_raison"
                entry["reasons"][key] = entry["reasons"].get(key, 0) + n
    ranked = [AnswerFeedback(a, c["yes"], c["no"], dict(sorted(c["reasons"].items(), key=lambda r: (-r[1], r[0]))))
              for a, c in counts.items()]  # fmt: skip
    return sorted(ranked, key=lambda f: (-f.unhelpful_rate, -f.unhelpful, f.answer_id))
