"""Rasa custom actions: thin glue between the tracker and the plain functions in ``bot/``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import france_services
from actions.answers import (
    CLARIFY_FAILED,
    DID_YOU_MEAN,
    OFFER_RESUME,
    OUT_OF_SCOPE,
    REPHRASE,
    SEE_ALSO,
    bank,
    entity,
    offer_resume,
    send_answer,
)
from actions.france_services import leave_search
from bot import procedures, summary
from bot.answers import respond
from bot.france_services import dialogue
from bot.france_services.store import PARIS


def responses_sent() -> set[str]:
    """Every domain response these actions can send (checked against the domain by the tests)."""
    names = {n for p in procedures.PROCEDURES.values() for n in p.responses()}
    names |= {procedures.ESCALATE_RESPONSE, procedures.NO_PROCEDURE_RESPONSE, procedures.FIRST_STEP_RESPONSE}
    names.add(procedures.PROBLEM_CHOICE_RESPONSE)
    names |= {OFFER_RESUME, DID_YOU_MEAN, REPHRASE, CLARIFY_FAILED, SEE_ALSO, OUT_OF_SCOPE, respond.CHILD_DEFAULT}
    names.add(dialogue.NOT_UNDERSTOOD_RESPONSE)
    return names


def _procedure_state(tracker: Tracker) -> procedures.State:
    return procedures.state_from_slots(
        tracker.get_slot("procedure"),
        tracker.get_slot("procedure_step"),
        tracker.get_slot("procedure_failures"),
    )


def _show(dispatcher: CollectingDispatcher, outcome: procedures.Outcome, tracker: Tracker) -> list[EventType]:
    """Send the outcome's responses, store its state in slots and note the event for the summary sheet."""
    for index, response in enumerate(outcome.responses):
        extra: dict[str, Any] = {}
        if outcome.buttons and index == len(outcome.responses) - 1:
            extra["buttons"] = list(outcome.buttons)
        if outcome.step is not None:
            extra.update(step=outcome.step, total=outcome.total)
        dispatcher.utter_message(response=response, **extra)
    state = outcome.state
    events: list[EventType] = [
        SlotSet("procedure", state.name),
        SlotSet("procedure_step", float(state.step) if state.name else None),
        SlotSet("procedure_failures", float(state.failures) if state.name else None),
    ]
    if outcome.event is not None:
        events.append(SlotSet("procedure_log", summary.record(tracker.get_slot("procedure_log"), outcome.event)))
    return events




def _intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


class ActionStartProcedure(Action):
    """Start the guide matching the intent (activation, child profile)."""

    def name(self) -> str:
        return "action_start_procedure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        name = procedures.START_INTENTS.get(_intent(tracker) or "") or entity(tracker, "procedure")
        if name not in procedures.PROCEDURES:
            name = procedures.ACTIVATION.name
        outcome = procedures.start(name)
        return [*leave_search(tracker), *_show(dispatcher, outcome, tracker), SlotSet("fallback_count", 0.0)]


class _ProcedureMove(Action):
    """Base for the moves inside a guide: done, failed, back, resume."""

    action_name = ""

    def name(self) -> str:
        return self.action_name

    def move(self, state: procedures.State, tracker: Tracker) -> procedures.Outcome:
        raise NotImplementedError

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        outcome = self.move(_procedure_state(tracker), tracker)
        return [*_show(dispatcher, outcome, tracker), SlotSet("fallback_count", 0.0)]


class ActionStepDone(_ProcedureMove):
    action_name = "action_step_done"

    def move(self, state: procedures.State, tracker: Tracker) -> procedures.Outcome:
        return procedures.step_done(state)


class ActionStepFailed(_ProcedureMove):
    action_name = "action_step_failed"

    def move(self, state: procedures.State, tracker: Tracker) -> procedures.Outcome:
        return procedures.step_failed(state)


class ActionStepBack(_ProcedureMove):
    action_name = "action_step_back"

    def move(self, state: procedures.State, tracker: Tracker) -> procedures.Outcome:
        return procedures.step_back(state)


class ActionResumeProcedure(_ProcedureMove):
    action_name = "action_resume_procedure"

    def move(self, state: procedures.State, tracker: Tracker) -> procedures.Outcome:
        return procedures.resume(state)


class ActionReportProblem(_ProcedureMove):
    """A known problem picked from the buttons: its fix, or its next action."""

    action_name = "action_report_problem"

    def move(self, state: procedures.State, tracker: Tracker) -> procedures.Outcome:
        return procedures.report_problem(state, entity(tracker, "problem"))


class ActionSummary(Action):
    """The « Fiche récapitulative »: as text in the chat and as a printable sheet for the web page."""

    def name(self) -> str:
        return "action_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        desk = france_services.directory().desk(tracker.get_slot("fs_desk"))  # the slot holds the desk's id only
        sheet = summary.build(tracker.get_slot("procedure_log"), desk, datetime.now(PARIS))
        dispatcher.utter_message(text=sheet.as_text(), json_message={"summary": sheet.as_payload()})
        return [SlotSet("fallback_count", 0.0)]


class ActionAfterAnswer(Action):
    """After a fixed response (greeting, off-topic…): reset the fallback count, offer to resume a guide."""

    def name(self) -> str:
        return "action_after_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        offer_resume(dispatcher, tracker)
        return [*leave_search(tracker), SlotSet("fallback_count", 0.0)]


class ActionAnswerForChild(Action):
    """ "Et pour mon fils ?": the child version of the last answer, or the child's guide."""

    def name(self) -> str:
        return "action_answer_for_child"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        target = respond.child_follow_up(tracker.get_slot("last_topic"), bank())
        if target in procedures.START_INTENTS:
            outcome = procedures.start(procedures.START_INTENTS[target])
            return [*_show(dispatcher, outcome, tracker), SlotSet("last_topic", target)]
        if target in bank():
            return send_answer(dispatcher, tracker, target)
        dispatcher.utter_message(response=target)
        return [SlotSet("fallback_count", 0.0)]
