"""The page sends a shared position rounded to about 1 km (Chromium; /api/chat answered by the test, no Rasa)."""

from __future__ import annotations

import json

import pytest

from tests.browser.test_site import BOT, send

pytestmark = pytest.mark.slow

ASK = {"text": "Dans quelle commune habitez-vous ?", "buttons": [{"title": "Utiliser ma position",
                                                                  "payload": "/share_position"}]}  # fmt: skip


def test_the_page_sends_the_position_with_two_decimals(browser, site_without_rasa):
    context = browser.new_context(
        locale="fr-FR", geolocation={"latitude": 48.692123, "longitude": 6.184431}, permissions=["geolocation"]
    )
    page = context.new_page()
    sent: list[str] = []

    def answer(route):
        sent.append(json.loads(route.request.post_data)["message"])
        route.fulfill(json={"messages": [ASK]})

    page.route("**/api/chat", answer)
    page.goto(site_without_rasa)
    send(page, "je cherche une france services")
    page.locator(f"{BOT} .chat-quick-replies button", has_text="position").last.click()
    page.wait_for_selector("#chat-consent", state="visible")
    assert "1\u00a0km" in page.inner_text("#chat-consent")  # the consent says how coarse it is
    before = page.locator(BOT).count()
    page.click("#chat-consent-yes")
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n", arg=[BOT, before])
    context.close()
    assert sent[-1] == '/share_position{"latitude": 48.69, "longitude": 6.18}'
