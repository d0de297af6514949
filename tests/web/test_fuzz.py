"""Fuzz the web proxy: 10,000 generated requests, none may break it, leak HTML or a traceback."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from dataclasses import replace

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.web.app import create_app
from bot.web.settings import Settings

SEED = 20261201
COUNT = 10_000
PIECES = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>", "javascript:alert(1)",
    "'; DROP TABLE events; --", "1 OR 1=1", "${jndi:ldap://x}", "{{7*7}}", "%00", "\x00", "\x1b[31m", "\u202e",
    "\u200f", "مرحبا", "שלום", "👩‍⚕️💊🏥", "𝕳𝖊𝖑𝖑𝖔", "Ω≈ç√∫", "\ud7ff", "\ufeff", "e\u0301", "bonjour",
    "j'ai perdu mon code", "88000", "1 85 05 78 006 084 36", "jean@example.fr", "/activation_start",
    '/share_position{"latitude": 99, "longitude": "x"}', "/", "{", "}", "\n\n\n", " " * 50, "é" * 300,
]  # fmt: skip


def random_text(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:  # random Unicode, control characters included
        return "".join(chr(rng.randrange(0x0, 0x2FFFF)) for _ in range(rng.randrange(0, 80)))
    if kind == 1:
        return "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 6)))
    if kind == 2:  # long messages, around the 1,000-character limit
        return rng.choice(PIECES) * rng.randrange(1, 200)
    if kind == 3:
        return ""
    return rng.choice(PIECES)


def random_body(rng: random.Random) -> tuple[bytes, str]:
    """A request body and its content type: mostly valid JSON, sometimes not at all."""
    kind = rng.randrange(10)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300))), "application/json"
    if kind == 1:
        return b"x" * 100_000, "application/json"  # 100 kB
    if kind == 2:
        return json.dumps([random_text(rng)]).encode(), "application/json"
    if kind == 3:  # a page that names a sender or a session: ignored, the conversation is the cookie's
        extra = {"session_id": random_text(rng), "sender": random_text(rng), "new_conversation": rng.random() < 0.5}
        return json.dumps({**extra, "message": random_text(rng)}).encode(), "application/json"
    if kind == 4:
        return json.dumps({"session_id": str(uuid.uuid4()), "message": random_text(rng)}).encode(), "text/html"
    body = {"session_id": str(uuid.UUID(int=rng.getrandbits(128))), "message": random_text(rng)}
    if rng.random() < 0.1:
        body["extra"] = {"nested": [random_text(rng)]}
    return json.dumps(body, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass"), "application/json"


def echo_rasa() -> web.Application:
    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response([{"text": body["message"], "buttons": [{"title": body["message"][:20],
                                                                          "payload": "/x"}]}])  # fmt: skip

    async def root(request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa")

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    app.router.add_get("/", root)
    return app


def test_ten_thousand_generated_requests():
    async def go() -> dict[int, int]:
        rasa = TestServer(echo_rasa())
        await rasa.start_server()
        url = str(rasa.make_url("")).rstrip("/")
        settings = replace(Settings(), rasa_url=url, rate_capacity=1e9, address_rate_capacity=1e9)
        client = TestClient(TestServer(create_app(settings)))
        await client.start_server()
        rng = random.Random(SEED)
        statuses: dict[int, int] = {}
        try:
            for _ in range(COUNT):
                data, content_type = random_body(rng)
                response = await client.post("/api/chat", data=data, headers={"Content-Type": content_type})
                text = await response.text()
                statuses[response.status] = statuses.get(response.status, 0) + 1
                assert response.status < 500, (response.status, text[:200])
                assert response.content_type == "application/json", response.content_type
                assert response.headers["X-Content-Type-Options"] == "nosniff"
                assert "Traceback" not in text and "File \"" not in text
                body = json.loads(text)
                assert set(body) in ({"messages"}, {"messages", "redacted"}, {"error"})
                if "error" in body:
                    assert isinstance(body["error"], str) and body["error"]
            alive = await client.post("/api/chat", json={"session_id": str(uuid.uuid4()), "message": "bonjour"})
            assert alive.status == 200 and (await alive.json())["messages"][0]["text"] == "bonjour"
            health = await client.get("/health")
            assert health.status in (200, 503)
        finally:
            await client.close()
            await rasa.close()
        return statuses

    statuses = asyncio.run(go())
    assert sum(statuses.values()) == COUNT
    assert statuses.get(200, 0) > COUNT // 3 and statuses.get(400, 0) > 0 and statuses.get(413, 0) > 0
