"""Per-client token buckets: a burst of messages, then a steady rate."""

from __future__ import annotations

import time
from collections.abc import Callable

MAX_CLIENTS = 100_000  # forget idle clients beyond this many, so memory stays bounded


class RateLimiter:
    """``allow(key)`` is True while the client ``key`` has tokens left; tokens come back at ``per_second``."""

    def __init__(self, capacity: float, per_second: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._capacity = capacity
        self._per_second = per_second
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last time)

    def allow(self, key: str) -> bool:
        """Take one token for ``key`` if there is one."""
        now = self._clock()
        tokens, last = self._buckets.get(key, (self._capacity, now))
        tokens = min(self._capacity, tokens + (now - last) * self._per_second)
        allowed = tokens >= 1.0
        self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > MAX_CLIENTS:
            self._forget_full(now)
        return allowed

    def _forget_full(self, now: float) -> None:
        """Drop clients whose bucket has refilled: they are indistinguishable from new ones."""
        refill = self._capacity / self._per_second if self._per_second > 0 else float("inf")
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < refill}
