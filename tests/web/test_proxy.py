"""The web front's proxy, with aiohttp's test client and a fake Rasa server (no model needed)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.web.app import CSP, create_app
from bot.web.ratelimit import RateLimiter
from bot.web.settings import Settings


def fake_rasa(behaviour: str, seen: list[dict[str, Any]]) -> web.Application:
    """A stand-in for Rasa's REST channel: echoes, or fails the way ``behaviour`` says."""

    async def webhook(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        seen.append(body)
        if behaviour == "slow":
            await asyncio.sleep(2)
        if behaviour == "error":
            return web.Response(status=500, text="Traceback (most recent call last): boom")
        if behaviour == "empty":  # what Rasa answers when a custom action could not run
            return web.json_response([])
        if behaviour == "not_json":
            return web.Response(text="<html>oops</html>", content_type="text/html")
        return web.json_response(
            [
                {"recipient_id": body["sender"], "text": f"Vous avez dit : {body['message']}",
                 "buttons": [{"title": "Oui", "payload": "/affirm"}, {"title": 3, "payload": None}]},
                {"recipient_id": body["sender"], "custom": {"html": "<script>x</script>"}},
                {"recipient_id": body["sender"], "image": "https://evil.example/x.png"},
            ]
        )

    async def root(request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa: 3.6.21")

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    app.router.add_get("/", root)
    return app


def run(
    test: Callable[[TestClient, list[dict[str, Any]]], Awaitable[None]], behaviour: str = "echo", **overrides: Any
) -> list[dict[str, Any]]:
    """Start a fake Rasa (unless behaviour == "down") and the web app, run ``test`` with a client."""

    async def go() -> list[dict[str, Any]]:
        seen: list[dict[str, Any]] = []
        rasa = TestServer(fake_rasa(behaviour, seen))
        await rasa.start_server()
        url = str(rasa.make_url("")).rstrip("/")
        if behaviour == "down":
            await rasa.close()
        settings = replace(Settings(), rasa_url=url, rasa_timeout_s=0.5, **overrides)
        client = TestClient(TestServer(create_app(settings)))
        await client.start_server()
        try:
            await test(client, seen)
        finally:
            await client.close()
            await rasa.close()
        return seen

    return asyncio.run(go())


async def post(client: TestClient, message: Any, **fields: Any):
    """POST a message as the page does; the client's cookie jar keeps the conversation cookie the site issues."""
    return await client.post("/api/chat", json={"message": message, **fields})


def conversation_id(response: Any) -> str:
    """The conversation id of the cookie the site set on ``response``."""
    return response.cookies["mes-conversation"].value.split(".")[0]


def test_a_message_goes_to_rasa_and_only_text_and_buttons_come_back():
    async def test(client, seen):
        response = await post(client, "  bonjour  ")
        assert response.status == 200
        body = await response.json()
        expected = [{"text": "Vous avez dit : bonjour", "buttons": [{"title": "Oui", "payload": "/affirm"}]}]
        assert body == {"messages": expected}
        assert response.headers["Cache-Control"] == "no-store"
        ids.append(conversation_id(response))

    ids: list[str] = []
    seen = run(test)
    assert seen == [{"sender": ids[0], "message": "bonjour"}]  # the site's id, not one the page chose


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (json.dumps({"message": 42}).encode(), "application/json"),
        (json.dumps({"session_id": "0c5e4b1e-4b8e-4f6a-9f0e-2a1b3c4d5e6f"}).encode(), "application/json"),
        (json.dumps({"message": "x"}).encode(), "text/plain"),
        (b"\xff\xfe\x00garbage", "application/json"),
    ],
)
def test_malformed_requests_get_a_french_400_and_reach_nobody(body, content_type):
    async def test(client, seen):
        response = await client.post("/api/chat", data=body, headers={"Content-Type": content_type})
        assert response.status == 400
        assert "Rechargez la page" in (await response.json())["error"]

    assert run(test) == []


def test_empty_and_too_long_messages_are_refused_with_a_clear_message():
    async def test(client, seen):
        empty = await post(client, "   \x00  ")
        assert empty.status == 400 and "vide" in (await empty.json())["error"]
        long = await post(client, "é" * 1001)
        assert long.status == 413
        assert "1001 caractères" in (await long.json())["error"]
        assert (await post(client, "é" * 1000)).status == 200

    seen = run(test)
    assert [len(m["message"]) for m in seen] == [1000]


def test_oversized_body_is_refused_before_reading_it():
    async def test(client, seen):
        response = await post(client, "a" * 100_000)
        assert response.status == 413
        assert "trop long" in (await response.json())["error"]

    assert run(test) == []


def test_rate_limit_per_conversation():
    async def test(client, seen):
        statuses = [(await post(client, f"message {i}")).status for i in range(5)]
        assert statuses == [200, 200, 200, 429, 429]
        response = await post(client, "encore")
        assert "Attendez quelques secondes" in (await response.json())["error"]

    assert len(run(test, rate_capacity=3, rate_per_second=0.001)) == 3


def test_rate_limiter_refills():
    now = [0.0]
    limiter = RateLimiter(capacity=2, per_second=1, clock=lambda: now[0])
    assert [limiter.allow("a"), limiter.allow("a"), limiter.allow("a")] == [True, True, False]
    assert limiter.allow("b")  # another client has its own bucket
    now[0] = 1.0
    assert limiter.allow("a") and not limiter.allow("a")


@pytest.mark.parametrize(
    ("behaviour", "status", "words"),
    [("down", 503, "3422"), ("slow", 504, "trop de temps"), ("error", 502, "3422"), ("not_json", 503, "3422")],
)
def test_rasa_failures_give_a_friendly_error_without_internals(behaviour, status, words):
    async def test(client, seen):
        response = await post(client, "bonjour")
        assert response.status == status
        text = await response.text()
        assert words in json.loads(text)["error"]
        assert "Traceback" not in text and "boom" not in text and "127.0.0.1" not in text

    run(test, behaviour)


def test_security_headers_everywhere():
    async def test(client, seen):
        for response in (await client.get("/"), await post(client, "x"), await client.get("/nope")):
            assert response.headers["Content-Security-Policy"] == CSP
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["X-Frame-Options"] == "DENY"
            assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP

    run(test)


def test_unknown_pages_and_methods_are_french_json():
    async def test(client, seen):
        missing = await client.get("/admin")
        assert missing.status == 404 and (await missing.json())["error"] == "Cette page n'existe pas."
        wrong = await client.get("/api/chat")
        assert wrong.status == 405
        escape = await client.get("/static/../../pyproject.toml")
        assert escape.status in (403, 404) and "requires-python" not in await escape.text()

    run(test)


def test_health_reports_each_component(tmp_path):
    db = f"sqlite:///{tmp_path / 'fs.db'}"

    async def up(client, seen):
        response = await client.get("/health")
        body = await response.json()
        assert body["rasa"] == "ok" and body["database"] == "ok"
        assert body["actions"] == "down" and response.status == 503 and body["status"] == "degraded"

    run(up, database_url=db, actions_health_url="http://127.0.0.1:1/health")

    async def down(client, seen):
        body = await (await client.get("/health")).json()
        assert body["rasa"] == "down" and body["database"] == "down"

    run(down, "down", database_url="postgresql://nobody@127.0.0.1:1/none", actions_health_url="http://127.0.0.1:1/")


def test_summary_sheet_is_attached_to_the_text_before_it_and_validated():
    from bot.web.app import clean_bot_messages

    sheet = {"title": "Fiche", "date": "1 décembre 2026", "sections": [{"heading": "Fait", "items": ["A", "B"]}]}
    messages = clean_bot_messages([{"text": "Fiche\\n- A"}, {"custom": {"summary": sheet}}])
    assert messages == [{"text": "Fiche\\n- A", "buttons": [], "summary": {**sheet, "kind": "summary"}}]
    visit = clean_bot_messages([{"text": "t"}, {"custom": {"summary": {**sheet, "kind": "visit"}}}])[0]["summary"]
    assert visit["kind"] == "visit"  # « Préparer ma visite »: printed more compactly
    unknown = clean_bot_messages([{"text": "t"}, {"custom": {"summary": {**sheet, "kind": "<b>"}}}])[0]["summary"]
    assert unknown["kind"] == "summary"
    bad = {"title": "Fiche", "date": "x", "sections": [{"heading": "Fait", "items": ["<b>ok</b>", 3]}]}
    assert clean_bot_messages([{"text": "t"}, {"custom": {"summary": bad}}]) == [{"text": "t", "buttons": []}]
    assert clean_bot_messages([{"custom": {"summary": sheet}}])[0]["text"] == "Fiche"
    assert clean_bot_messages([{"custom": {"html": "<script>"}}]) == []


def test_advisor_page_is_served():
    async def test(client, seen):
        response = await client.get("/accompagnement")
        assert response.status == 200
        assert 'data-audience="advisor"' in await response.text()
        assert response.headers["Content-Security-Policy"] == CSP

    run(test)


def test_personal_data_never_reaches_rasa_and_the_user_is_told():
    async def test(client, seen):
        response = await post(client, "mon numéro est 1 85 05 78 006 084 36, j'ai perdu mon code")
        body = await response.json()
        assert "je n'ai pas gardé" in body["messages"][0]["text"]
        assert "numéro de sécurité sociale" in body["messages"][0]["text"]
        assert "006 084" not in json.dumps(body)

    seen = run(test)
    assert "006 084" not in seen[0]["message"] and "j'ai perdu mon code" in seen[0]["message"]


def test_the_answer_gives_the_masked_text_the_page_keeps_instead_of_what_was_typed():
    async def test(client, seen):
        body = await (await post(client, "mon e-mail est jean.dupont@example.fr")).json()
        assert body["redacted"] == seen[-1]["message"] == "mon e-mail est [adresse e-mail]"
        assert "redacted" not in await (await post(client, "bonjour")).json()  # nothing masked: nothing to replace

    run(test)


def test_empty_answer_while_the_action_server_is_down_is_explained():
    async def test(client, seen):
        body = await (await post(client, "/step_done")).json()
        assert "indisponible" in body["messages"][0]["text"] and "3422" in body["messages"][0]["text"]

    run(test, "empty", actions_health_url="http://127.0.0.1:1/health")


def test_pages_share_one_header_and_footer():
    async def test(client, seen):
        citizen, advisor = await (await client.get("/")).text(), await (await client.get("/accompagnement")).text()
        for page in (citizen, advisor):
            assert "<!--#" not in page and "{tagline}" not in page
            assert page.count('class="fr-header"') == 1 and page.count('class="fr-footer"') == 1
            assert page.count('id="chat-log"') == 1 and page.count('id="chat-input"') == 1
        assert "Aide pour utiliser votre carnet de santé numérique" in citizen
        assert "Espace accompagnement – agents France services</p>" in advisor

    run(test)
