"""POST /api/feedback (« Cette réponse vous a aidé ? »): only the allowed fields are stored, bad input gets a French
400, floods a 429. aiohttp's test client, a fake Rasa that answers with a bank answer, a SQLite file per test."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot import feedback
from bot.web.app import FEEDBACK_NO_CONVERSATION, FEEDBACK_RATE, FEEDBACK_TOO_MANY, clean_bot_messages, create_app
from bot.web.settings import Settings

ANSWER = "code_missing"
ALLOWED = {"id", "answer_id", "helpful", "reason", "audience", "date"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fake_rasa() -> web.Application:
    """Rasa's REST channel answering one bank answer, its id in a custom message after the text."""

    async def webhook(request: web.Request) -> web.Response:
        sender = (await request.json())["sender"]
        return web.json_response([
            {"recipient_id": sender, "text": "Vous n'avez pas reçu le code ?", "buttons": []},
            {"recipient_id": sender, "custom": {"answer_id": ANSWER}},
        ])  # fmt: skip

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    return app


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'feedback.db'}"
    yield url
    feedback.dispose()


def stored(url: str) -> list[dict[str, Any]]:
    engine = sa.create_engine(url, future=True)
    try:
        if not sa.inspect(engine).has_table("feedback"):
            return []
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.text("SELECT * FROM feedback ORDER BY id"))]
    finally:
        engine.dispose()


def run(db: str, test: Callable[[TestClient, Clock], Awaitable[None]]) -> None:
    async def go() -> None:
        rasa = TestServer(fake_rasa())
        await rasa.start_server()
        clock = Clock()
        settings = replace(Settings(), rasa_url=str(rasa.make_url("")).rstrip("/"), rasa_timeout_s=2)
        client = TestClient(TestServer(create_app(settings, clock, feedback_db_url=db)))
        await client.start_server()
        try:
            await test(client, clock)
        finally:
            await client.close()
            await rasa.close()

    asyncio.run(go())


async def start_conversation(client: TestClient, audience: str = "citizen") -> dict[str, Any]:
    """A chat turn, as the page does first: the site issues the conversation cookie."""
    body = {"message": "je n'ai pas reçu mon code", **({"audience": audience} if audience == "advisor" else {})}
    response = await client.post("/api/chat", json=body)
    assert response.status == 200
    return await response.json()


async def give(client: TestClient, **fields: Any):
    return await client.post("/api/feedback", json=fields)


# ---------------------------------------------------------------- the answer id reaches the page


def test_the_answer_id_is_attached_to_the_message_before_it_and_checked():
    payload = [{"text": "Réponse"}, {"custom": {"answer_id": "code_missing"}}, {"text": "Autre chose"}]
    assert clean_bot_messages(payload) == [
        {"text": "Réponse", "buttons": [], "answer_id": "code_missing"},
        {"text": "Autre chose", "buttons": []},
    ]
    for bad in ("Code_missing", "x", "../etc", "a" * 61, "code missing", 12, None, ["code_missing"]):
        assert clean_bot_messages([{"text": "R"}, {"custom": {"answer_id": bad}}]) == [{"text": "R", "buttons": []}]
    assert clean_bot_messages([{"custom": {"answer_id": "code_missing"}}]) == []  # nothing to attach it to


def test_a_chat_answer_carries_its_answer_id(db):
    async def test(client, clock):
        answer = await start_conversation(client)
        assert answer["messages"][-1]["answer_id"] == ANSWER

    run(db, test)


# ---------------------------------------------------------------- what is stored


def test_yes_no_and_reasons_are_stored_with_the_allowed_fields_only(db):
    async def test(client, clock):
        await start_conversation(client)
        response = await give(client, answer_id=ANSWER, helpful=True, reason=None)
        assert response.status == 201
        # anything else in the body (text, ids) is ignored, never stored
        extra = {"text": "je m'appelle Jeanne Martin", "conversation_id": "abc", "sender": "s", "date": "1999-01-01"}
        response = await give(client, answer_id=ANSWER, helpful=False, reason="trop_complique", **extra)
        assert response.status == 201

    run(db, test)
    rows = stored(db)
    assert len(rows) == 2
    assert all(set(row) == ALLOWED for row in rows)
    assert [(r["answer_id"], bool(r["helpful"]), r["reason"], r["audience"]) for r in rows] == [
        (ANSWER, True, None, "citizen"), (ANSWER, False, "trop_complique", "citizen"),
    ]  # fmt: skip
    assert {r["date"] for r in rows} == {feedback.today().isoformat()}  # the day only
    assert "Jeanne" not in repr(rows) and "1999" not in repr(rows)


def test_advisors_report_an_inexact_step_citizens_cannot(db):
    async def test(client, clock):
        await start_conversation(client, "advisor")
        response = await give(client, answer_id=ANSWER, helpful=False, reason="etape_inexacte", audience="advisor")
        assert response.status == 201
        await start_conversation(client)
        response = await give(client, answer_id=ANSWER, helpful=False, reason="etape_inexacte")
        assert response.status == 400
        assert (await response.json())["error"] == "La raison choisie n'est pas reconnue."

    run(db, test)
    assert [(r["audience"], r["reason"]) for r in stored(db)] == [("advisor", "etape_inexacte")]


def test_the_conversation_cookie_is_needed_and_never_stored(db):
    async def test(client, clock):
        response = await give(client, answer_id=ANSWER, helpful=True)  # no conversation yet
        assert response.status == 403 and (await response.json())["error"] == FEEDBACK_NO_CONVERSATION
        await start_conversation(client)  # a citizen cookie does not open the advisors' audience
        response = await give(client, answer_id=ANSWER, helpful=True, audience="advisor")
        assert response.status == 403
        assert stored(db) == []
        response = await give(client, answer_id=ANSWER, helpful=True)
        assert response.status == 201
        cookie = next(iter(client.session.cookie_jar)).value.split(".")[0]
        assert cookie not in repr(stored(db))

    run(db, test)
    assert len(stored(db)) == 1


# ---------------------------------------------------------------- bad input


BAD = [
    ({"helpful": True}, "La réponse concernée n'est pas reconnue."),
    ({"answer_id": "Code_Missing", "helpful": True}, "La réponse concernée n'est pas reconnue."),
    ({"answer_id": "<script>", "helpful": True}, "La réponse concernée n'est pas reconnue."),
    ({"answer_id": 42, "helpful": True}, "La réponse concernée n'est pas reconnue."),
    ({"answer_id": ANSWER}, "Indiquez si la réponse vous a aidé : oui ou non."),
    ({"answer_id": ANSWER, "helpful": "non"}, "Indiquez si la réponse vous a aidé : oui ou non."),
    ({"answer_id": ANSWER, "helpful": 0}, "Indiquez si la réponse vous a aidé : oui ou non."),
    ({"answer_id": ANSWER, "helpful": False, "reason": "c'est nul"}, "La raison choisie n'est pas reconnue."),
    ({"answer_id": ANSWER, "helpful": False, "reason": ["autre"]}, "La raison choisie n'est pas reconnue."),
    ({"answer_id": ANSWER, "helpful": True, "reason": "autre"}, "La raison choisie n'est pas reconnue."),
]


def test_bad_input_gets_a_french_400_and_nothing_is_stored(db):
    async def test(client, clock):
        await start_conversation(client)
        for body, message in BAD:
            response = await client.post("/api/feedback", json=body)
            assert response.status == 400, body
            assert (await response.json())["error"] == message
        for raw, content_type in (("{oops", "application/json"), ("[1, 2]", "application/json"),
                                  ('{"answer_id": "code_missing", "helpful": true}', "text/plain")):  # fmt: skip
            response = await client.post("/api/feedback", data=raw, headers={"Content-Type": content_type})
            assert response.status == 400
            assert "Rechargez la page" in (await response.json())["error"]
        response = await client.get("/api/feedback")
        assert response.status == 405

    run(db, test)
    assert stored(db) == []


# ---------------------------------------------------------------- rate limit


def test_a_flood_gets_429_in_french_and_stores_nothing_more(db):
    capacity = int(FEEDBACK_RATE[0])

    async def test(client, clock):
        await start_conversation(client)
        for _ in range(capacity):
            assert (await give(client, answer_id=ANSWER, helpful=True)).status == 201
        response = await give(client, answer_id=ANSWER, helpful=True)
        assert response.status == 429 and (await response.json())["error"] == FEEDBACK_TOO_MANY
        clock.now += 1 / FEEDBACK_RATE[1]  # one token back
        assert (await give(client, answer_id=ANSWER, helpful=True)).status == 201
        assert (await give(client, answer_id=ANSWER, helpful=True)).status == 429

    run(db, test)
    assert len(stored(db)) == capacity + 1


def test_bad_requests_cost_their_address(db):
    async def test(client, clock):
        statuses = [(await client.post("/api/feedback", data="x")).status for _ in range(105)]
        assert statuses[0] == 400 and statuses[-1] == 429

    run(db, test)
    assert stored(db) == []


# ---------------------------------------------------------------- failures


def test_an_unreachable_database_is_said_in_french_and_logs_no_data(tmp_path, caplog):
    blocked = tmp_path / "file"
    blocked.write_text("")
    url = f"sqlite:///{blocked / 'sub' / 'feedback.db'}"  # its folder cannot be created: a file is in the way

    async def test(client, clock):
        await start_conversation(client)
        response = await give(client, answer_id=ANSWER, helpful=False, reason="autre")
        assert response.status == 503
        assert (await response.json())["error"] == "Votre avis n'a pas pu être enregistré. Réessayez dans un instant."

    with caplog.at_level(logging.WARNING):
        run(url, test)
    feedback.dispose()
    assert "feedback not stored" in caplog.text and ANSWER not in caplog.text
