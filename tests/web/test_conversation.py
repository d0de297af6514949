"""Conversation ids the site issues in a signed cookie (aiohttp's test client, fake Rasa): the page cannot choose
its sender, and an id learnt elsewhere is not enough to post into that conversation."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import pytest
from aiohttp import DummyCookieJar
from aiohttp.test_utils import TestClient, TestServer

from bot.web.app import ADVISOR_START, create_app
from bot.web.conversation import ConversationCookies
from bot.web.settings import Settings
from tests.web.test_proxy import fake_rasa

KEY = "k" * 40
CITIZEN = "mes-conversation"
ADVISOR = "mes-conversation-accompagnement"


def run(test: Callable[..., Awaitable[None]], clients: int = 1, **overrides: Any) -> list[dict[str, Any]]:
    """Run ``test(seen, *clients)`` with independent clients (no shared cookies) of one app; return what Rasa got."""

    async def go() -> list[dict[str, Any]]:
        seen: list[dict[str, Any]] = []
        rasa = TestServer(fake_rasa("echo", seen))
        await rasa.start_server()
        url = str(rasa.make_url("")).rstrip("/")
        settings = replace(Settings(), rasa_url=url, **{"session_key": KEY, **overrides})
        server = TestServer(create_app(settings))
        await server.start_server()
        started = [TestClient(server, cookie_jar=DummyCookieJar()) for _ in range(clients)]
        for client in started:
            await client.start_server()
        try:
            await test(seen, *started)
        finally:
            for client in started:
                await client.close()
            await server.close()
            await rasa.close()
        return seen

    return asyncio.run(go())


async def chat(client: TestClient, cookie: str | None = None, name: str = CITIZEN, **body: Any) -> Any:
    """POST a message with ``cookie`` (the raw value) as the page's cookie; the test keeps cookies itself."""
    headers = {"Cookie": f"{name}={cookie}"} if cookie is not None else {}
    response = await client.post("/api/chat", json={"message": "bonjour", **body}, headers=headers)
    assert response.status == 200, await response.text()
    return response


def signature(audience: str, conversation_id: str, key: str = KEY) -> str:
    """HMAC-SHA256 of "<audience>:<id>", base64url without padding (computed here, not by the app)."""
    mac = hmac.new(key.encode(), f"{audience}:{conversation_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def test_the_site_issues_a_signed_httponly_samesite_strict_session_cookie():
    async def test(seen, client):
        first = await chat(client)
        header = first.headers["Set-Cookie"]
        cookie = first.cookies[CITIZEN]
        conversation_id, _, mac = cookie.value.partition(".")
        assert str(uuid.UUID(conversation_id, version=4)) == conversation_id  # a random UUID
        assert mac == signature("citizen", conversation_id)
        assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
        assert "HttpOnly" in header and "SameSite=Strict" in header
        assert not cookie["secure"] and not cookie["max-age"] and not cookie["expires"]  # http; a session cookie
        again = await chat(client, cookie.value)
        assert "Set-Cookie" not in again.headers  # the same conversation goes on
        assert [s["sender"] for s in seen] == [conversation_id, conversation_id]

    run(test)


def test_a_sender_named_in_the_body_is_ignored():
    async def test(seen, owner, other):
        cookie = (await chat(owner)).cookies[CITIZEN].value
        victim = cookie.split(".")[0]
        response = await chat(other, session_id=victim, sender=victim)
        mine = response.cookies[CITIZEN].value.split(".")[0]
        await chat(other, response.cookies[CITIZEN].value, session_id=victim, sender=victim)
        assert mine != victim
        assert [s["sender"] for s in seen] == [victim, mine, mine]

    run(test, clients=2)


@pytest.mark.parametrize(
    "forged",
    [
        lambda cid, sig: cid,  # the id alone (as found in a log or the tracker store)
        lambda cid, sig: f"{cid}.",
        lambda cid, sig: f"{cid}.{'A' * 43}",  # a made-up signature
        lambda cid, sig: f"{cid}.{signature('advisor', cid)}",  # the other audience's signature
        lambda cid, sig: f"{cid[:-1]}{'0' if cid[-1] != '0' else '1'}.{sig}",  # id changed, signature kept
        lambda cid, sig: f"{cid}.{sig[:-1]}{'A' if sig[-1] != 'A' else 'B'}",  # signature changed
        lambda cid, sig: f"{cid.upper()}.{sig}",
        lambda cid, sig: f"{cid}.{signature('citizen', cid, key='x' * 40)}",  # signed with another key
        lambda cid, sig: f"../{cid}.{sig}",
    ],
)
def test_two_clients_cannot_share_a_conversation_without_its_signature(forged):
    async def test(seen, owner, intruder):
        cookie = (await chat(owner)).cookies[CITIZEN].value
        victim, _, mac = cookie.partition(".")
        response = await chat(intruder, forged(victim, mac))
        replaced = response.cookies[CITIZEN].value  # a tampered cookie is refused and replaced
        assert replaced.split(".")[0] != victim
        assert replaced.split(".")[1] == signature("citizen", replaced.split(".")[0])
        assert [s["sender"] for s in seen] == [victim, replaced.split(".")[0]]

    run(test, clients=2)


def test_the_whole_cookie_copied_is_the_same_conversation():
    """The signed cookie is the conversation's key: a browser that has it goes on (HttpOnly keeps scripts off it)."""

    async def test(seen, owner, other):
        cookie = (await chat(owner)).cookies[CITIZEN].value
        await chat(other, cookie)
        assert seen[0]["sender"] == seen[1]["sender"]

    run(test, clients=2)


def test_a_new_conversation_is_issued_on_request_and_the_old_cookie_is_replaced():
    async def test(seen, client):
        old = (await chat(client)).cookies[CITIZEN].value
        new = (await chat(client, old, new_conversation=True)).cookies[CITIZEN].value
        await chat(client, new)
        assert new != old
        assert [s["sender"] for s in seen] == [old.split(".")[0], new.split(".")[0], new.split(".")[0]]

    run(test)


def test_each_audience_has_its_own_conversation_and_a_lost_advisor_one_is_started_again():
    async def test(seen, client):
        citizen = (await chat(client)).cookies[CITIZEN].value
        started = await chat(client, name=ADVISOR, message=ADVISOR_START, audience="advisor")
        advisor = started.cookies[ADVISOR].value
        assert advisor.split(".")[1] == signature("advisor", advisor.split(".")[0])
        assert CITIZEN not in started.cookies  # the citizen conversation is untouched
        # The citizen's cookie under the advisor's name is not accepted (signed for another audience).
        swapped = await chat(client, citizen, name=ADVISOR, message="/step_done", audience="advisor")
        restarted = swapped.cookies[ADVISOR].value.split(".")[0]
        assert [s["sender"] for s in seen] == [citizen.split(".")[0], advisor.split(".")[0], restarted, restarted]
        # A new advisors' conversation that did not begin with the page's silent start: the site tells Rasa first.
        assert [s["message"] for s in seen[2:]] == [ADVISOR_START, "/step_done"]

    run(test)


def test_with_a_configured_key_conversations_survive_a_restart_of_the_site_and_without_one_they_do_not():
    cookies = ConversationCookies(KEY.encode())
    conversation = str(uuid.uuid4())
    value = cookies.value("citizen", conversation)

    async def restarted_with_the_same_key(seen, client):
        assert "Set-Cookie" not in (await chat(client, value)).headers

    assert run(restarted_with_the_same_key)[0]["sender"] == conversation

    async def restarted_with_a_random_key(seen, client):
        assert CITIZEN in (await chat(client, value)).cookies

    assert run(restarted_with_a_random_key, session_key=None)[0]["sender"] != conversation


def test_over_https_the_cookie_is_secure_and_host_prefixed():
    async def test(seen, client):
        https = {"X-Forwarded-Proto": "https"}
        response = await client.post("/api/chat", json={"message": "bonjour"}, headers=https)
        cookie = response.cookies["__Host-mes-conversation"]
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
        assert "Domain" not in response.headers["Set-Cookie"]
        headers = {**https, "Cookie": f"__Host-mes-conversation={cookie.value}"}
        again = await client.post("/api/chat", json={"message": "encore"}, headers=headers)
        assert "Set-Cookie" not in again.headers
        assert seen[0]["sender"] == seen[1]["sender"]

    run(test, trust_forwarded_for=True)

    async def untrusted(seen, client):
        response = await client.post("/api/chat", json={"message": "x"}, headers={"X-Forwarded-Proto": "https"})
        assert not response.cookies[CITIZEN]["secure"]  # the header counts only behind the trusted proxy

    run(untrusted)


def test_the_signing_key_comes_from_the_environment_and_must_be_long_enough(monkeypatch):
    monkeypatch.setenv("MES_SESSION_KEY", KEY)
    settings = Settings.from_env()
    assert settings.session_key == KEY and KEY not in repr(settings)
    with pytest.raises(ValueError, match="32"):
        create_app(replace(settings, session_key="court"))


def test_the_per_conversation_rate_limit_follows_the_issued_id():
    async def test(seen, flooder, other):
        cookie = (await chat(flooder)).cookies[CITIZEN].value
        mine = {"Cookie": f"{CITIZEN}={cookie}"}
        statuses = [(await flooder.post("/api/chat", json={"message": "x"}, headers=mine)).status for _ in range(4)]
        assert statuses == [200, 200, 429, 429]  # 3 in its burst, then refused
        # Naming the flooder's conversation in the body neither spends its tokens nor escapes them.
        named = {"message": "x", "session_id": cookie.split(".")[0]}
        assert (await other.post("/api/chat", json=named)).status == 200
        renamed = {"message": "x", "session_id": str(uuid.uuid4())}
        assert (await flooder.post("/api/chat", json=renamed, headers=mine)).status == 429

    run(test, clients=2, rate_capacity=3, rate_per_second=0.001)
