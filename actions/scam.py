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
from actions.actions import ActionStartProcedure
from actions.answers import ActionAnswer, send_check
from bot import scam
from bot.privacy import redact

SLOT = "pasted_message"
# The person's own question typed instead of the message: answered here by the action its rule would run, when
# the classifier is at least this sure of it (a FollowupAction would leave the rules without a next step).
ANSWERING: dict[str, type[NamedAction]] = {"faq": ActionAnswer, "activation_start": ActionStartProcedure,
                                           "child_activation_start": ActionStartProcedure}  # fmt: skip
MIN_CONFIDENCE = 0.5


class ActionAskPastedMessage(NamedAction, action="action_ask_pasted_message"):
    """The form's question: « Copiez ici le message reçu… »."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=scam.ask_text(tracker.get_slot("audience")))
        return []


class ActionCheckMessage(NamedAction, action="action_check_message"):
    """The warning signs of the pasted message, redacted first; the message is not kept in the slot. The person's
    own question typed instead (« jveux juste activer mon compte, je tape le code ou ?? ») is answered."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        pasted = tracker.get_slot(SLOT)
        report = scam.check(redact(pasted if isinstance(pasted, str) else ""))
        intent = tracker.latest_message.get("intent") or {}
        follow_up = ANSWERING.get(intent.get("name") or "")
        sure = float(intent.get("confidence") or 0.0) >= MIN_CONFIDENCE
        if follow_up and sure and scam.is_own_request(pasted, report):
            dispatcher.utter_message(response=scam.NOT_A_MESSAGE_RESPONSE)
            return [SlotSet(SLOT, None), *await follow_up().run(dispatcher, tracker, domain)]
        return [SlotSet(SLOT, None), *send_check(dispatcher, tracker, report)]
