"""Fair rate limits: a token bucket per conversation and a looser one per client address, in bounded memory.

Many people can share one address (a France Services office behind a NAT, a mobile carrier): the address
bucket is sized for a whole office, the conversation bucket for one person. A message passes when both have
a token, and then takes one from each. The conversation key is the page's session id (a random UUID): nobody
who does not know it can spend another person's tokens. A message refused by its conversation's limit costs
its address nothing, so one person's flood (or a stuck page) does not lock the rest of the office out; its
body (16 KB at most) is still read, which nginx's per-address limit bounds in production.

Memory: each limiter keeps at most ``max_keys`` buckets and forgets the least recently used one first. A key
touched again (even by a refused message) becomes the most recent, so a flooding sender is the last one
forgotten. Forgetting is exact when the bucket had refilled (it is then the same as a new one); otherwise the
forgotten key starts again with a full bucket. Escaping a limit that way needs ``max_keys`` other keys to
arrive while the bucket refills (``capacity / per_second`` seconds): new conversations only enter once their
address lets them through, so one address cannot do it (with the defaults, 50,000 conversations in 24 s take
about 190 addresses at their cap), and an attacker with that many addresses already has that many buckets.
"""

from __future__ import annotations

import ipaddress
import time
from collections import OrderedDict
from collections.abc import Callable

MAX_KEYS = 50_000  # buckets kept per limiter: about 17 MB at most, keys included (tests/web/test_rate_limits.py)
IPV6_PREFIX = 64  # one IPv6 subscriber (home, office, phone) usually holds a whole /64


class RateLimiter:
    """``allow(key)`` is True while ``key`` has tokens left; tokens come back at ``per_second``, up to ``capacity``."""

    def __init__(
        self,
        capacity: float,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_KEYS,
    ) -> None:
        self._capacity = capacity
        self._per_second = per_second
        self._clock = clock
        self._max_keys = max(1, max_keys)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, last time)

    def __len__(self) -> int:
        return len(self._buckets)

    def tokens(self, key: str) -> float:
        """The tokens ``key`` has now (a full bucket if unknown); a known key becomes the most recent."""
        return self._tokens(key, self._clock())

    def has_token(self, key: str) -> bool:
        """Whether ``key`` could send a message now, without taking a token (an unknown key is not stored)."""
        return self.tokens(key) >= 1.0

    def allow(self, key: str) -> bool:
        """Take one token for ``key`` if there is one; remember the bucket either way."""
        now = self._clock()
        tokens = self._tokens(key, now)
        allowed = tokens >= 1.0
        self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        self._buckets.move_to_end(key)
        while len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)  # the least recently used
        return allowed

    def _tokens(self, key: str, now: float) -> float:
        entry = self._buckets.get(key)
        if entry is None:
            return self._capacity
        self._buckets.move_to_end(key)
        tokens, last = entry
        return min(self._capacity, tokens + (now - last) * self._per_second)


class FairLimiter:
    """The per-conversation and per-address limits together."""

    def __init__(self, conversations: RateLimiter, addresses: RateLimiter) -> None:
        self.conversations = conversations
        self.addresses = addresses

    def address_open(self, address: str) -> bool:
        """Whether ``address`` has a token left: checked before the body is read, so floods cost little."""
        return self.addresses.has_token(address)

    def allow(self, address: str, conversation: str) -> bool:
        """Take a token from both buckets if both have one; a refused message costs its address nothing,
        so one conversation flooding does not block the others behind the same address."""
        # has_token marks a known conversation recently used: a flooding one is the last forgotten.
        if not (self.conversations.has_token(conversation) and self.addresses.has_token(address)):
            return False
        self.conversations.allow(conversation)
        self.addresses.allow(address)
        return True

    def charge(self, address: str) -> None:
        """A request refused as malformed still costs its address one token."""
        self.addresses.allow(address)


def address_key(address: str) -> str:
    """The key of a client address: the address, its /64 network for IPv6 (one subscriber), or the text as is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_PREFIX), strict=False))
    return str(ip)
