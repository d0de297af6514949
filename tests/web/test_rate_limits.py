"""Fair rate limits of the web front: per conversation, per address (an office behind one NAT), bounded memory.

Time is simulated with an injected clock: nothing sleeps.
"""

from __future__ import annotations

import asyncio
import random
import tracemalloc
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from aiohttp import DummyCookieJar, web
from aiohttp.test_utils import TestClient, TestServer

from bot.web.app import LIMITS, TOO_MANY, create_app
from bot.web.ratelimit import MAX_KEYS, FairLimiter, RateLimiter, address_key
from bot.web.settings import Settings


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def echo_rasa(seen: list[str]) -> web.Application:
    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        seen.append(body["sender"])
        return web.json_response([{"text": body["message"]}])

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    return app


class Browser:
    """One browser's conversation: the cookie the site issued it (none before its first message)."""

    def __init__(self) -> None:
        self.cookie: str | None = None

    @property
    def id(self) -> str | None:
        """The conversation id Rasa sees as sender."""
        return self.cookie.split(".")[0] if self.cookie else None


def run(test: Callable[[TestClient, Clock, web.Application], Awaitable[None]], **overrides: Any) -> list[str]:
    """Run ``test`` against the web app (default limits unless overridden) in front of an echoing Rasa;
    return the senders Rasa saw."""

    async def go() -> list[str]:
        seen: list[str] = []
        rasa = TestServer(echo_rasa(seen))
        await rasa.start_server()
        clock = Clock()
        settings = replace(Settings(), rasa_url=str(rasa.make_url("")).rstrip("/"), **overrides)
        app = create_app(settings, clock=clock)
        client = TestClient(TestServer(app), cookie_jar=DummyCookieJar())  # each Browser keeps its cookie
        await client.start_server()
        try:
            await test(client, clock, app)
        finally:
            await client.close()
            await rasa.close()
        return seen

    return asyncio.run(go())


async def say(client: TestClient, browser: Browser, address: str | None = None) -> int:
    headers = {"X-Forwarded-For": address} if address else {}
    if browser.cookie:
        headers["Cookie"] = f"mes-conversation={browser.cookie}"
    response = await client.post("/api/chat", json={"message": "bonjour"}, headers=headers)
    if "mes-conversation" in response.cookies:
        browser.cookie = response.cookies["mes-conversation"].value
    if response.status == 429:
        assert (await response.json())["error"] == TOO_MANY
    return response.status


def test_an_office_of_twenty_advisors_behind_one_address_is_never_refused():
    """20 conversations from one address: three messages each at once, then one every 2 to 8 s for 3 minutes."""
    rng = random.Random(14)
    sessions = [Browser() for _ in range(20)]
    events = [(0.0, s) for s in sessions for _ in range(3)]
    for session in sessions:
        t = rng.uniform(0, 8)
        while t < 180:
            events.append((t, session))
            t += rng.uniform(2, 8)
    events.sort(key=lambda event: event[0])

    async def test(client, clock, app):
        start = clock.now
        statuses = []
        for t, session in events:
            clock.now = start + t
            statuses.append(await say(client, session))
        assert statuses.count(429) == 0
        assert set(statuses) == {200}

    seen = run(test)
    assert len(seen) == len(events) > 700


def test_one_flooding_conversation_is_refused_while_another_from_the_same_address_passes():
    flooder, other = Browser(), Browser()

    async def test(client, clock, app):
        statuses = [await say(client, flooder) for _ in range(50)]
        assert statuses == [200] * 12 + [429] * 38  # its own burst (rate_capacity), then refused
        assert [await say(client, other) for _ in range(12)] == [200] * 12  # the address still has room
        clock.now += 2.0  # one token back for the flooder (0.5/s)
        assert [await say(client, flooder) for _ in range(2)] == [200, 429]

    seen = run(test)
    assert seen.count(flooder.id) == 13 and seen.count(other.id) == 12 and flooder.id != other.id


def test_one_address_flooding_with_new_conversations_hits_the_address_cap():
    capacity = Settings().address_rate_capacity

    async def test(client, clock, app):
        statuses = [await say(client, Browser(), "203.0.113.7") for _ in range(300)]
        assert statuses == [200] * int(capacity) + [429] * (300 - int(capacity))
        assert await say(client, Browser(), "198.51.100.9") == 200  # another address is not affected
        # Refused conversations were not stored: one address cannot push other conversations out.
        assert len(app[LIMITS].conversations) == capacity + 1
        clock.now += 10.0  # 6 messages/s come back
        statuses = [await say(client, Browser(), "203.0.113.7") for _ in range(80)]
        assert statuses.count(200) == 60

    run(test, trust_forwarded_for=True)


def test_an_ipv6_client_cannot_escape_the_address_cap_by_changing_address_within_its_64():
    async def test(client, clock, app):
        addresses = [f"2001:db8:1:2::{i:x}" for i in range(1, 11)]
        statuses = [await say(client, Browser(), a) for a in addresses]
        assert statuses == [200] * 5 + [429] * 5
        assert await say(client, Browser(), "2001:db8:1:3::1") == 200  # another /64

    run(test, trust_forwarded_for=True, address_rate_capacity=5)


def test_malformed_requests_cost_their_address_and_an_empty_address_bucket_refuses_before_reading():
    async def test(client, clock, app):
        for _ in range(3):
            bad = await client.post("/api/chat", data=b"{not json", headers={"Content-Type": "application/json"})
            assert bad.status == 400
        assert await say(client, Browser()) == 429

    assert run(test, address_rate_capacity=3) == []


def test_the_app_keeps_at_most_rate_max_keys_buckets():
    async def test(client, clock, app):
        for i in range(30):
            assert await say(client, Browser(), f"192.0.2.{i}") == 200
        assert len(app[LIMITS].conversations) == 10 and len(app[LIMITS].addresses) == 10

    run(test, trust_forwarded_for=True, rate_max_keys=10)


def test_memory_stays_bounded_with_100_000_distinct_keys():
    clock = Clock()
    limits = FairLimiter(RateLimiter(12, 0.5, clock), RateLimiter(120, 6, clock))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        used = []
        for half in range(2):
            for i in range(50_000):
                assert limits.allow(f"10.{half}.{i // 256}.{i % 256}", str(uuid.uuid4()))
            used.append(tracemalloc.get_traced_memory()[0] - before)
    finally:
        tracemalloc.stop()
    assert len(limits.conversations) == len(limits.addresses) == MAX_KEYS < 100_000
    # The second 50,000 keys replaced the first ones (unbounded, the memory would double; the step left
    # is the dicts' tables after churn, the plateau).
    assert used[1] < used[0] * 1.5
    assert used[1] < 40_000_000  # both limiters, keys included: about 33 MB


def test_a_flooding_sender_is_the_last_one_forgotten():
    clock = Clock()
    limiter = RateLimiter(capacity=2, per_second=0.01, clock=clock, max_keys=100)
    assert [limiter.allow("flooder") for _ in range(3)] == [True, True, False]
    for i in range(500):
        limiter.allow(f"other-{i}")
        if i % 50 == 0:
            assert not limiter.allow("flooder")  # still flooding: it stays among the recent keys
    assert not limiter.has_token("flooder") and len(limiter) == 100


def test_a_refilled_bucket_is_forgotten_first_and_loses_nothing():
    clock = Clock()
    limiter = RateLimiter(capacity=2, per_second=1, clock=clock, max_keys=2)
    assert limiter.allow("a") and limiter.allow("a")
    clock.now += 2.0  # "a" is full again
    limiter.allow("b")
    limiter.allow("c")  # forgets "a", the least recently used
    assert len(limiter) == 2 and limiter.tokens("a") == 2  # the same as its refilled bucket


def test_limits_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("MES_RATE_CAPACITY", "5")
    monkeypatch.setenv("MES_ADDRESS_RATE_CAPACITY", "200")
    monkeypatch.setenv("MES_ADDRESS_RATE_PER_SECOND", "10")
    monkeypatch.setenv("MES_RATE_MAX_KEYS", "not a number")
    settings = Settings.from_env()
    assert (settings.rate_capacity, settings.address_rate_capacity, settings.address_rate_per_second) == (5, 200, 10)
    assert settings.rate_max_keys == MAX_KEYS


def test_address_keys():
    assert address_key("203.0.113.7") == "203.0.113.7"
    assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert address_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert address_key("unknown") == "unknown"
