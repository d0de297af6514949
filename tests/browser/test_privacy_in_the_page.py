"""What the page keeps (Chromium, the whole stack): the masked text instead of what was typed, and a conversation
cookie the page's scripts can neither read nor choose."""

from __future__ import annotations

import json

import pytest

from tests.browser.test_site import USER, send

pytestmark = pytest.mark.slow

NIR = "1 85 05 78 006 084 36"
SECRETS = ("006 084", "00608436", "jean.dupont", "06 12 34 56 78")
STORAGE = "JSON.stringify(Object.fromEntries(Object.keys(sessionStorage).map(k => [k, sessionStorage.getItem(k)])))"


def test_a_message_with_personal_data_is_shown_and_kept_masked(page):
    send(page, f"mon numéro de sécu est {NIR}, mon mail jean.dupont@example.fr et mon portable 06 12 34 56 78")
    bubble = page.locator(USER).last.inner_text()
    assert "[numéro de sécurité sociale]" in bubble and "[adresse e-mail]" in bubble
    stored = page.evaluate(STORAGE)
    history = json.loads(json.loads(stored)["mes-chat:history"])
    assert history[0]["role"] == "user" and "[numéro de sécurité sociale]" in history[0]["text"]
    page.reload()
    after_reload = page.locator(USER).last.inner_text()
    assert "[numéro de sécurité sociale]" in after_reload
    for secret in SECRETS:
        for text in (bubble, stored, after_reload, page.inner_text("#chat-log")):
            assert secret not in text, secret
    assert "pas gardé" in page.inner_text("#chat-log")  # the user was told
    assert page.problems == []


def test_a_message_without_personal_data_is_kept_as_typed(page):
    send(page, "j'ai perdu mon code provisoire")
    page.reload()
    assert page.locator(USER).last.inner_text().endswith("j'ai perdu mon code provisoire")


def test_the_conversation_cookie_is_httponly_strict_and_the_page_names_no_sender(page):
    bodies: list[dict] = []
    page.on("request", lambda r: r.url.endswith("/api/chat") and bodies.append(json.loads(r.post_data)))
    send(page, "bonjour")
    send(page, "qui peut voir mes documents")
    assert page.evaluate("document.cookie") == ""  # HttpOnly: not readable by the page's scripts
    (cookie,) = [c for c in page.context.cookies() if c["name"].startswith("mes-conversation")]
    assert cookie["name"] == "mes-conversation" and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert all("session_id" not in b and "sender" not in b for b in bodies)
    assert [b.get("new_conversation") for b in bodies] == [True, None]  # this tab's first message starts one
    first = cookie["value"]
    page.click("#chat-clear")
    send(page, "bonjour")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "mes-conversation"]
    assert cookie["value"] != first  # « Effacer la conversation » starts a new conversation on the server
    assert bodies[-1]["new_conversation"] is True
    assert not any(k.endswith("session-id") for k in json.loads(page.evaluate(STORAGE)))


def test_a_message_that_got_no_answer_is_not_stored(browser, site_without_rasa):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(site_without_rasa)
    page.fill("#chat-input", f"mon numéro est {NIR}")
    page.press("#chat-input", "Enter")
    page.locator("#chat-log li[data-role='system']").last.wait_for()
    stored = page.evaluate(STORAGE)
    typed_back = page.input_value("#chat-input")
    context.close()
    assert "006 084" not in stored  # shown in its bubble and given back in the input, kept nowhere
    assert typed_back == f"mon numéro est {NIR}"
