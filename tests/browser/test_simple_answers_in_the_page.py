"""« Plus simple » in the browser: an answer with an easy-to-read text offers it, and the button shows it."""

from __future__ import annotations

import pytest

from tests.browser.test_site import BOT, send, wait_for_answer

pytestmark = pytest.mark.slow


def test_plus_simple_shows_the_easy_to_read_text_of_the_same_answer(page):
    from bot.answers.bank import BANK_FOLDER, load_bank

    unit = load_bank(BANK_FOLDER).get("code_missing")
    send(page, "j'ai perdu mon code provisoire")
    usual = page.locator(BOT).last.locator(".chat-msg__text").inner_text()
    assert unit.citizen.splitlines()[0] in usual
    before = page.locator(BOT).count()
    page.locator(BOT).last.locator(".chat-quick-replies button", has_text="Plus simple").click()
    wait_for_answer(page, before)
    simple = page.locator(BOT).last.locator(".chat-msg__text").inner_text()
    assert unit.simple.splitlines()[0] in simple and unit.citizen.splitlines()[0] not in simple
    assert "3422" in simple and unit.source in simple  # a way to a human, the official link
    buttons = page.locator(BOT).last.locator(".chat-quick-replies button").all_inner_texts()
    assert "Plus simple" not in buttons and "Parler à un conseiller" in buttons
    assert page.problems == []
