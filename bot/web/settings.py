"""Settings of the web front, each with a default that works on a laptop and one environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from bot.web.ratelimit import MAX_KEYS

ROOT = Path(__file__).resolve().parents[2]


def _float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    """Where Rasa and the action server are, and the limits the proxy enforces."""

    rasa_url: str = "http://127.0.0.1:5005"
    actions_health_url: str = "http://127.0.0.1:5055/health"
    database_url: str | None = None  # France Services store; None: FRANCE_SERVICES_DB_URL or the SQLite default
    static_dir: Path = ROOT / "bot" / "web" / "static"
    dsfr_dir: Path = ROOT / "node_modules" / "@gouvfr" / "dsfr" / "dist"
    max_message_chars: int = 1000
    max_body_bytes: int = 16 * 1024
    rasa_timeout_s: float = 20.0
    health_timeout_s: float = 2.0
    rate_capacity: float = 12.0  # messages one conversation may send in a burst
    rate_per_second: float = 0.5  # then one every 2 s on average
    # One address may be a whole France Services office or a carrier's NAT: 20 people writing every 5 s
    # make 4 messages/s; room for bursts (6 messages each at once) and faster clicks on buttons.
    address_rate_capacity: float = 120.0
    address_rate_per_second: float = 6.0
    rate_max_keys: int = MAX_KEYS  # buckets kept per limit (conversations, addresses): bounded memory
    trust_forwarded_for: bool = False  # True only behind a reverse proxy that sets X-Forwarded-For (and -Proto)
    # Signs the conversation cookies (bot/web/conversation.py); None: a random key drawn at start, so
    # conversations do not survive a restart of the site. Several instances of the site must share it.
    session_key: str | None = field(default=None, repr=False)  # never printed

    @classmethod
    def from_env(cls) -> Settings:
        """Read MES_RASA_URL, MES_ACTIONS_HEALTH_URL, FRANCE_SERVICES_DB_URL, MES_RASA_TIMEOUT, MES_TRUST_PROXY,
        MES_RATE_CAPACITY and MES_RATE_PER_SECOND (per conversation), MES_ADDRESS_RATE_CAPACITY and
        MES_ADDRESS_RATE_PER_SECOND (per client address), MES_RATE_MAX_KEYS, MES_SESSION_KEY."""
        return cls(
            rasa_url=os.environ.get("MES_RASA_URL", cls.rasa_url),
            actions_health_url=os.environ.get("MES_ACTIONS_HEALTH_URL", cls.actions_health_url),
            database_url=os.environ.get("FRANCE_SERVICES_DB_URL") or None,
            rasa_timeout_s=_float("MES_RASA_TIMEOUT", cls.rasa_timeout_s),
            trust_forwarded_for=os.environ.get("MES_TRUST_PROXY", "") == "1",
            rate_capacity=_float("MES_RATE_CAPACITY", cls.rate_capacity),
            rate_per_second=_float("MES_RATE_PER_SECOND", cls.rate_per_second),
            address_rate_capacity=_float("MES_ADDRESS_RATE_CAPACITY", cls.address_rate_capacity),
            address_rate_per_second=_float("MES_ADDRESS_RATE_PER_SECOND", cls.address_rate_per_second),
            rate_max_keys=_int("MES_RATE_MAX_KEYS", cls.rate_max_keys),
            session_key=os.environ.get("MES_SESSION_KEY") or None,
        )
