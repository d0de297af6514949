"""Rasa glue for the France Services search: the form's validation, its question and the results."""

from __future__ import annotations

import functools
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions._common import NamedAction, send_sheet
from bot import visit
from bot.france_services.answer import DAY_SEARCH_LIMIT, asked_day, results_replies, shown_points
from bot.france_services.dialogue import (
    Decision,
    Reply,
    UserTurn,
    interpret,
    other_places_reply,
    prompt,
    stop_reply,
)
from bot.france_services.directory import Directory
from bot.france_services.hours import asks_appointment, asks_opening, hours_reply, referred_point
from bot.france_services.index import Point
from bot.france_services.store import PARIS, engine_from_url
from bot.places import Gazetteer

log = logging.getLogger(__name__)

FORM = "france_services_form"
SLOT = "fs_place"
STATE_SLOTS = ("fs_place", "fs_latitude", "fs_longitude", "fs_prompt", "fs_choices", "fs_failures")
GEO_FOLDER = Path(__file__).resolve().parent.parent / "data" / "geo"
SHOWN_SLOT = "fs_shown"  # the ids of the desks last shown, nearest first
DAY_MESSAGES = 3  # a day named in the request or in the answers to the search's questions (« un samedi ? », « Yutz »)


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The commune index, loaded once per process (~0.5 s)."""
    return Gazetteer.load(GEO_FOLDER)


@functools.lru_cache(maxsize=1)
def directory() -> Directory:
    """The France Services directory (database set by FRANCE_SERVICES_DB_URL, shipped file as fallback)."""
    try:
        engine = engine_from_url()
    except (SQLAlchemyError, ImportError, ValueError) as error:
        log.error("France Services database URL unusable (%s); using the shipped file", type(error).__name__)
        engine = None
    return Directory(engine)


def _send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)


def _turn(tracker: Tracker) -> UserTurn:
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    entities = {e.get("entity"): e.get("value") for e in message.get("entities") or [] if isinstance(e, dict)}
    failures = tracker.get_slot("fs_failures")
    return UserTurn(
        text=message.get("text") or "",
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        entities=entities,
        answering=tracker.get_slot("requested_slot") == SLOT,
        failures=int(failures) if isinstance(failures, (int, float)) else 0,
    )


def decision_events(decision: Decision) -> list[EventType]:
    """Slot events for a decision; none at all for "reject" (the form is then rejected)."""
    if decision.outcome == "reject":
        return []
    if decision.outcome == "found":
        return [
            SlotSet(SLOT, decision.label),
            SlotSet("fs_latitude", decision.latitude),
            SlotSet("fs_longitude", decision.longitude),
            SlotSet("fs_prompt", None),
            SlotSet("fs_choices", decision.choices or None),  # other communes of the same name
        ]
    events: list[EventType] = [
        SlotSet(SLOT, None),
        SlotSet("fs_prompt", decision.prompt),
        SlotSet("fs_choices", decision.choices or None),
        SlotSet("fs_failures", float(decision.failures)),
    ]
    if decision.outcome == "stop":
        events.append(SlotSet("requested_slot", None))  # ends the form; the results action explains why
    return events


class ValidateFranceServicesForm(NamedAction, action="validate_france_services_form"):
    """Read the place from the user's message: commune, postcode, department or position."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return decision_events(interpret(_turn(tracker), gazetteer()))


class ActionAskFsPlace(NamedAction, action="action_ask_fs_place"):
    """Ask for the place, worded after what went wrong with the previous answer."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(response=prompt(tracker.get_slot("fs_prompt")))
        return []


class ActionFranceServicesResults(NamedAction, action="action_france_services_results"):
    """Give the three nearest France Services points, or say why the search stopped; then clear the search."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        label = tracker.get_slot(SLOT)
        latitude, longitude = tracker.get_slot("fs_latitude"), tracker.get_slot("fs_longitude")
        events: list[EventType] = [SlotSet(name, None) for name in STATE_SLOTS]
        if label and isinstance(latitude, (int, float)) and isinstance(longitude, (int, float)):
            found = Decision("found", label=label, latitude=latitude, longitude=longitude,
                             choices=tracker.get_slot("fs_choices") or [])  # fmt: skip
            events += send_nearest(dispatcher, found, tracker)
        else:
            dispatcher.utter_message(response=stop_reply(tracker.get_slot("fs_prompt")))
        return events


def requested_day(tracker: Tracker) -> int | None:
    """The day (0 = Monday) named in the person's last ``DAY_MESSAGES`` messages, the latest first, or None."""
    users = [event for event in reversed(tracker.events or []) if event.get("event") == "user"][:DAY_MESSAGES]
    return next((day for event in users if (day := asked_day(event.get("text"))) is not None), None)


def send_nearest(dispatcher: CollectingDispatcher, found: Decision, tracker: Tracker) -> list[EventType]:
    """The three nearest desks to a place found (with a day asked in the last messages, the nearest open that day),
    then the other communes of the same name if any; inside a guide, the last button resumes it. Right after desks
    near the same place, a question on their hours (« celle d'Épinal elle est ouverte le mercredi ? ») gets them."""
    day, in_procedure = requested_day(tracker), tracker.get_slot("procedure") is not None
    limit = DAY_SEARCH_LIMIT if day is not None else 3
    lookup = directory().nearest(float(found.latitude or 0.0), float(found.longitude or 0.0), limit)
    if lookup.points and (events := hours_if_asked(dispatcher, tracker, nearest_id=lookup.points[0].id)) is not None:
        return events
    replies = results_replies(found.label or "", lookup, datetime.now(timezone.utc), in_procedure, day)
    others = other_places_reply(found.choices)
    if others is not None and lookup.points:  # before the closing message and its buttons
        replies.insert(len(replies) - 1, others)
    for reply in replies:
        _send(dispatcher, reply)
    if not lookup.points:
        return []
    # Only the desks' ids: the summary sheet reads the nearest's public data back from the directory, and a question
    # on their hours reads them again (text in a slot would come back from the redacting tracker store as « [numéro
    # de téléphone] »).
    shown = shown_points(lookup.points, day)
    return [SlotSet("fs_desk", shown[0].id), SlotSet(SHOWN_SLOT, [point.id for point in shown])]


def desks_were_last(tracker: Tracker) -> bool:
    """Whether the last reply of the bank or of the France Services search was the search's (its slot ``fs_desk`` was
    set after the last ``last_topic``)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "slot" and event.get("name") in ("fs_desk", "last_topic"):
            return event.get("name") == "fs_desk"
    return False


def hours_if_asked(
    dispatcher: CollectingDispatcher, tracker: Tracker, nearest_id: str | None = None
) -> list[EventType] | None:
    """Right after the nearest desks, « la première c'est ouvert quels jours ? », « et le samedi ? »: the hours of the
    desk meant (bot/france_services/hours.py). ``nearest_id``: the nearest desk to a place the message names; a
    place whose nearest desk was not shown asks for a new search (None). None for any other message."""
    text = tracker.latest_message.get("text") or ""
    ids = tracker.get_slot(SHOWN_SLOT) or []
    if not (isinstance(ids, list) and ids and desks_were_last(tracker) and asks_opening(text)):
        return None
    if nearest_id is not None and nearest_id not in ids:
        return None
    points = [point for point in map(directory().desk, ids) if point is not None]
    if not points:
        return None
    meant = referred_point(points, text, next((point for point in points if point.id == nearest_id), None))
    _send(dispatcher, hours_reply(meant, asked_day(text), appointment_first=asks_appointment(text)))
    # the desk meant becomes the one « Préparer ma visite » prints
    return [SlotSet("fs_desk", meant.id), SlotSet("fallback_count", 0.0)]


def desk_found(tracker: Tracker) -> Point | None:
    """The nearest desk of the last search, read back from the directory (the slot holds its id only)."""
    return directory().desk(tracker.get_slot("fs_desk"))


def leave_search(tracker: Tracker) -> list[EventType]:
    """Events that end an interrupted France Services search (the user moved on to another topic)."""
    if (tracker.active_loop or {}).get("name") != FORM:
        return []
    return [ActiveLoop(None), SlotSet("requested_slot", None), *(SlotSet(name, None) for name in STATE_SLOTS)]


class ActionVisitChecklist(NamedAction, action="action_visit_checklist"):
    """« Préparer ma visite »: what to bring to the nearest desk found, as text and as a printable sheet."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        sheet = visit.build(desk_found(tracker), tracker.get_slot("procedure_log"), datetime.now(PARIS))
        return send_sheet(dispatcher, sheet)


gazetteer()  # load at start-up, not during the first user's search
