"""« Est-ce une arnaque ? » in the browser: a published scam is flagged, an official message is not called a scam.

The whole published set is checked by tests/unit/test_scam_check.py; here one message of each kind goes through
the page, the proxy's redaction, Rasa's form and the action server, as a person would paste it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.browser.test_site import BOT, last_bot_texts, send

pytestmark = pytest.mark.slow

MESSAGES = yaml.safe_load((Path(__file__).resolve().parents[1] / "scam" / "messages.yml").read_text(encoding="utf-8"))
CLOSING = "Ne cliquez pas, tapez monespacesante.fr vous-même, ou appelez le 3422."


def published(kind: str, published_as: str) -> dict:
    return next(m for m in MESSAGES["messages"] if m["kind"] == kind and m["published_as"] == published_as)


@pytest.mark.parametrize(("message", "flagged"), [
    (published("scam", "quoted"), True), (published("official", "described"), False),
], ids=["published-scam", "official-message"])  # fmt: skip
def test_a_pasted_message_gets_its_warning_signs_and_the_closing_line(page, message, flagged):
    send(page, "je voudrais vérifier un message que j'ai reçu")
    assert "Copiez ici le message reçu" in last_bot_texts(page)
    send(page, message["text"][:900])
    reply = page.locator(BOT).last.locator(".chat-msg__text").inner_text()  # the answer's text, not its buttons
    assert ("signe d'alerte" in reply or "signes d'alerte" in reply) and reply.strip().endswith(CLOSING)
    assert ("aucun des signes" not in reply) is flagged  # a scam shows signs; an official message shows none
    assert "sûr" not in reply  # never « this message is safe »
    buttons = page.locator(BOT).last.locator(".chat-quick-replies button").all_inner_texts()
    assert "Signaler un message suspect" in buttons and "Parler à un conseiller" in buttons
    assert page.problems == []
