"""Rasa glue for « Est-ce une arnaque ? »: ask for the message, check it (bot/scam.py), then forget it.

The form ``scam_check_form`` fills ``pasted_message`` from the next message, whatever its intent;
``action_check_message`` redacts it first (``bot.privacy.redact``), sends the signs found and sets the
slot back to null. Nothing here logs the text.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._common import NamedAction
from actions.answers import offer_resume
from bot import scam
from bot.answers.render import HUMAN_BUTTON, answer_payload
from bot.privacy import redact

SLOT = "pasted_message"
TOPIC = "official_email_scam"  # what a follow-up (« et pour le signaler ? ») is about
REPORT_BUTTON = {"title": "Signaler un message suspect", "payload": answer_payload("report_phishing")}
AGAIN_BUTTON = {"title": "Vérifier un autre message", "payload": "/check_message"}
BUTTONS = [REPORT_BUTTON, AGAIN_BUTTON, HUMAN_BUTTON]


class ActionAskPastedMessage(NamedAction, action="action_ask_pasted_message"):
    """The form's question: « Copiez ici le message reçu… »."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=scam.ask_text(tracker.get_slot("audience")))
        return []


class ActionCheckMessage(NamedAction, action="action_check_message"):
    """The warning signs of the pasted message, redacted first; the message is not kept in the slot."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        pasted = tracker.get_slot(SLOT)
        report = scam.check(redact(pasted if isinstance(pasted, str) else ""))
        dispatcher.utter_message(text=scam.render(report, tracker.get_slot("audience")), buttons=list(BUTTONS))
        offer_resume(dispatcher, tracker)
        return [SlotSet(SLOT, None), SlotSet("fallback_count", 0.0), SlotSet("last_topic", TOPIC)]
