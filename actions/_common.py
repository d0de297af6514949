"""What the custom actions share: a name given with the class, and the printable sheets' message."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.summary import Summary

KEEP_SHEET = "utter_keep_sheet"  # how to keep a printable sheet (print it, or take a photo; never e-mailed)


class NamedAction(Action, ABC):
    """An action named with its class: ``class ActionX(NamedAction, action="action_x")``, then its ``run``.

    Abstract until a subclass defines ``run``, so the action server does not register the base itself.
    """

    action_name: ClassVar[str] = ""

    def __init_subclass__(cls, action: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if action:
            cls.action_name = action

    def name(self) -> str:
        return self.action_name

    @abstractmethod
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        """Send this action's messages and return its events."""


def send_sheet(
    dispatcher: CollectingDispatcher, sheet: Summary, buttons: list[dict[str, str]] | None = None
) -> list[EventType]:
    """A printable sheet (« Fiche récapitulative », « Préparer ma visite »): as text in the chat, with
    ``buttons``, and as the payload the web page prints, then how to keep it; the fallback count starts again."""
    dispatcher.utter_message(text=sheet.as_text(), buttons=buttons or [], json_message={"summary": sheet.as_payload()})
    dispatcher.utter_message(response=KEEP_SHEET)
    return [SlotSet("fallback_count", 0.0)]
