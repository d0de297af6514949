"""Requests the site refuses before reading them (compressed bodies) and what its answers never say (Server)."""

from __future__ import annotations

import gzip
import json
import zlib
from typing import Any

import pytest

from bot.web.app import ENCODED
from tests.web.test_proxy import post, run

BOMB_INFLATED = 16 * 1024 * 1024


def gzip_bomb() -> bytes:
    """About 16 KB of gzip that inflates to 16 MB: a JSON chat request padded with spaces."""
    message = json.dumps({"message": "bonjour"}).encode()
    return gzip.compress(message[:-1] + b" " * (BOMB_INFLATED - len(message)) + b"}", compresslevel=9)


def test_a_gzip_bomb_is_refused_with_415_and_never_inflated(monkeypatch):
    bomb = gzip_bomb()
    assert 15_000 < len(bomb) < 17 * 1024  # 16 KB on the wire (the body limit), 16 MB once inflated
    inflaters: list[Any] = []
    real = zlib.decompressobj

    def spy(*args: Any, **kwargs: Any) -> Any:  # every gzip/deflate inflater aiohttp could build goes through here
        inflaters.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(zlib, "decompressobj", spy)

    async def test(client, seen):
        headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        response = await client.post("/api/chat", data=bomb, headers=headers)
        assert response.status == 415
        assert (await response.json())["error"] == ENCODED
        assert "Rechargez la page" in ENCODED
        assert inflaters == []  # the server built no inflater: the body was not inflated, not even in part
        assert (await post(client, "bonjour")).status == 200  # the site goes on

    seen = run(test)
    assert [s["message"] for s in seen] == ["bonjour"]  # the bomb reached nobody


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd", "x-gzip", "identity, gzip", "GZIP"])
def test_any_content_encoding_is_refused_before_the_body_is_read(encoding):
    async def test(client, seen):
        body = json.dumps({"message": "bonjour"}).encode()
        headers = {"Content-Type": "application/json", "Content-Encoding": encoding}
        response = await client.post("/api/chat", data=body, headers=headers)
        assert response.status == 415
        assert response.headers["X-Content-Type-Options"] == "nosniff"  # still the strict headers

    assert run(test) == []


def test_identity_is_no_encoding():
    async def test(client, seen):
        body = json.dumps({"message": "bonjour"}).encode()
        headers = {"Content-Type": "application/json", "Content-Encoding": "identity"}
        assert (await client.post("/api/chat", data=body, headers=headers)).status == 200

    assert len(run(test)) == 1


def test_no_server_banner_on_any_answer():
    async def test(client, seen):
        bomb = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        responses = {
            "page": await client.get("/"),
            "advisor page": await client.get("/accompagnement"),
            "static file": await client.get("/static/chat.css"),
            "chat": await post(client, "bonjour"),
            "health": await client.get("/health"),
            "404": await client.get("/nope"),
            "405": await client.get("/api/chat"),
            "413": await post(client, "a" * 100_000),
            "415": await client.post("/api/chat", data=gzip.compress(b"{}"), headers=bomb),
        }
        assert responses["static file"].status == 200
        for name, response in responses.items():
            assert "Server" not in response.headers, (name, response.headers.get("Server"))

    run(test)
