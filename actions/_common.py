"""What the custom actions share: a name given with the class, and the printable sheets' message."""

from __future__ import annotations

import functools
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.contact import HOTLINE_HOURS
from bot.summary import Summary

KEEP_SHEET = "utter_keep_sheet"  # how to keep a printable sheet (print it, or take a photo; never e-mailed)
# What the person reads when an action fails: a French message and a way to a human, never an empty reply (« Et qui
# y aura accès ? » as a first message got nothing at all after an IndexError, make eval of 6 December 2026).
ACTION_FAILED = "utter_action_failed"
log = logging.getLogger(__name__)

Run = Callable[[Any, CollectingDispatcher, Tracker, dict[str, Any]], Awaitable[list[EventType]]]


def _guarded(run: Run) -> Run:
    """``run``, but an exception gets ``ACTION_FAILED`` instead of the messages sent so far, and is logged by its type
    and place only (its message may quote what the person typed)."""

    @functools.wraps(run)
    async def guarded(self: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: dict[str, Any]) -> list[EventType]:  # fmt: skip
        try:
            return await run(self, dispatcher, tracker, domain)
        except Exception as error:
            frame = error.__traceback__
            while frame is not None and frame.tb_next is not None:
                frame = frame.tb_next
            where = f"{frame.tb_frame.f_code.co_filename}:{frame.tb_lineno}" if frame is not None else "?"
            log.error("action %s failed: %s at %s", self.name(), type(error).__name__, where)
            dispatcher.messages.clear()
            dispatcher.utter_message(response=ACTION_FAILED, hotline_hours=HOTLINE_HOURS)
            return [SlotSet("fallback_count", 0.0)]

    guarded.guarded = True  # type: ignore[attr-defined]
    return guarded


class NamedAction(Action, ABC):
    """An action named with its class: ``class ActionX(NamedAction, action="action_x")``, then its ``run``.

    Abstract until a subclass defines ``run``, so the action server does not register the base itself.
    """

    action_name: ClassVar[str] = ""

    def __init_subclass__(cls, action: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if action:
            cls.action_name = action
        run = cls.__dict__.get("run")
        if run is not None and not getattr(run, "guarded", False) and not getattr(run, "__isabstractmethod__", False):
            cls.run = _guarded(run)

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
