"""Rasa custom actions: thin glue between the tracker and the plain functions in ``bot/``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._common import ACTION_FAILED, KEEP_SHEET, NamedAction, send_sheet
from actions.answers import (
    ALREADY_ANSWERED_LINE,
    CLARIFY_FAILED,
    DID_YOU_MEAN,
    IF_IN_DANGER,
    NEW_PERSON,
    NEXT_PERSON_LINE,
    NO_YES_OR_NO,
    OFFER_RESUME,
    OTHER_QUESTION,
    OTHER_REQUEST,
    OUT_OF_SCOPE,
    REPHRASE,
    RESUME_OFFERS_SLOT,
    SEE_ALSO,
    SHORT_VERSION,
    ActionClarify,
    already_answered,
    back_to_conversation,
    bank,
    bot_texts,
    entity,
    for_next_person,
    forget_person,
    send_answer,
    situations_said,
    typed_text,
)
from actions.france_services import desk_found, leave_search
from bot import guides, procedures, scam, situation, summary
from bot.answers import respond
from bot.answers.render import ADVISOR, FRANCE_SERVICES_BUTTON, sheet_sections
from bot.france_services import dialogue
from bot.france_services.store import PARIS
from bot.privacy.retention import in_words, retention_days

ASSISTANT_PRIVACY_RESPONSE = "utter_assistant_privacy"
NEW_PERSON_BUTTON = {"title": "Nouvel usager", "payload": "/new_person"}


def responses_sent() -> set[str]:
    """Every domain response these actions can send (checked against the domain by the tests)."""
    names = {n for p in procedures.PROCEDURES.values() for n in p.responses()}
    names |= {procedures.ESCALATE_RESPONSE, procedures.NO_PROCEDURE_RESPONSE, procedures.FIRST_STEP_RESPONSE}
    names.add(procedures.PROBLEM_CHOICE_RESPONSE)
    names |= {OFFER_RESUME, DID_YOU_MEAN, REPHRASE, CLARIFY_FAILED, SEE_ALSO, OUT_OF_SCOPE, respond.CHILD_DEFAULT}
    names |= {IF_IN_DANGER, ALREADY_ANSWERED_LINE, NO_YES_OR_NO, OTHER_QUESTION, OTHER_REQUEST, SHORT_VERSION}
    names.add(scam.NOT_A_MESSAGE_RESPONSE)
    names |= {NEW_PERSON, KEEP_SHEET, NEXT_PERSON_LINE, ACTION_FAILED, ASSISTANT_PRIVACY_RESPONSE}
    names.add(dialogue.NOT_UNDERSTOOD_RESPONSE)
    names |= {dialogue.prompt(key) for key in dialogue.PROMPT_KEYS}
    names |= {dialogue.stop_reply(key) for key in dialogue.STOP_KEYS}
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
        SlotSet(RESUME_OFFERS_SLOT, 0.0),  # the guide is on screen: it may be offered again after a detour
    ]
    if outcome.event is not None:
        events.append(SlotSet("procedure_log", summary.record(tracker.get_slot("procedure_log"), outcome.event)))
    return events


def _intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


class ActionStartProcedure(NamedAction, action="action_start_procedure"):
    """Start the guide matching the intent (activation, child profile). A citizen without internet (« j'ai pas
    internet, comment j'active ? », now or earlier: bot/situation.py) is first told where a person helps, and one whose
    number or e-mail changed to give the new one to the caisse first. For a minor,
    the child's guide, after the line saying a parent manages the profile; for an adult under tutelle or curatelle,
    the line saying the 3422 tells how to act for them."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if (events := await for_next_person(self, dispatcher, tracker, domain)) is not None:
            return events  # « usagère suivante : elle veut activer »
        name = procedures.START_INTENTS.get(_intent(tracker) or "") or entity(tracker, "procedure")
        if name not in procedures.PROCEDURES:
            name = procedures.ACTIVATION.name
        situations, events = situations_said(tracker)
        untold = situation.not_yet_told(situations, bot_texts(tracker))
        if situation.NO_INTERNET in untold and tracker.get_slot("audience") != ADVISOR:
            dispatcher.utter_message(text=situation.LINES[situation.NO_INTERNET], buttons=[FRANCE_SERVICES_BUTTON])
        person = next((s for s in (situation.MINOR, situation.PROTECTED) if s in situations), None)
        if person == situation.MINOR:  # « un jeune de 17 ans veut activer »: a parent activates it (section 4.1)
            name = procedures.CHILD_ACTIVATION.name if name == procedures.ACTIVATION.name else name
        if person in untold:
            dispatcher.utter_message(text=situation.LINES[person])
        if situation.NEW_CONTACT in untold and name == procedures.ACTIVATION.name:
            # « il a changé de numéro, comment on active ? »: the code goes where the caisse knows (section 2.5)
            dispatcher.utter_message(text=situation.LINES[situation.NEW_CONTACT])
        outcome = procedures.start(name)
        return [*leave_search(tracker), *events, *_show(dispatcher, outcome, tracker), SlotSet("fallback_count", 0.0)]


Step = Callable[[procedures.State], procedures.Outcome]  # a move that needs only the guide's state
# A guide move typed in at least this many words with no guide running is a question (« c'est fait » is not).
QUESTION_WORDS = 5


class _ProcedureMove(NamedAction):
    """Base for the moves inside a guide: ``step`` (given with the class) on the guide's state, or ``move``
    overridden when the move reads the tracker; then its outcome shown."""

    step: ClassVar[Step | None] = None

    def __init_subclass__(cls, step: Step | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if step is not None:
            cls.step = staticmethod(step)

    def move(self, state: procedures.State, tracker: Tracker) -> procedures.Outcome:
        """The guide's outcome: ``step`` on its state unless a subclass reads more of the tracker."""
        if self.step is None:
            raise NotImplementedError
        return self.step(state)

    def recover(self, tracker: Tracker) -> procedures.State | None:
        """The guide to move in when none is running, if this move can bring one back (none by default)."""
        return None

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        state = _procedure_state(tracker)
        text = typed_text(tracker)
        if state.name is None:
            state = self.recover(tracker) or state
        if state.name is None:
            if len(text.split()) >= QUESTION_WORDS:
                # « jai telecharge lappli mais ca me demande un identifiant jen ai pas » with no guide running reads
                # like a guide's « problem »: a question, so the likeliest answers, not « Aucun guide n'est en cours »
                return await ActionClarify().run(dispatcher, tracker, domain)
            recent = respond.just_answered(tracker.get_slot("recent_answers"))
            previous = bank().get(recent[-1]) if recent else None
            if previous is not None and text and not respond.says_nothing_of_its_own(text):
                # « ca fait 3 semaines » after the answer on a missing result got « Aucun guide n'est en cours » (7
                # December 2026): it speaks of that answer, so its line, the likeliest answers and a human
                # (« c'est fait » stays)
                return already_answered(dispatcher, tracker, previous, recent)
        outcome = self.move(state, tracker)
        events = [*_show(dispatcher, outcome, tracker), SlotSet("fallback_count", 0.0)]
        # a guide's « appelez le 3422 avec l'usager » for a person who said they hear badly (an advisor, 7 December
        # 2026): the video interpreter after it
        said = "\n".join(guides.response_texts().get(name, "") for name in outcome.responses)
        if line := situation.hearing_line(tracker.get_slot("situation"), said, tracker.get_slot("audience") == ADVISOR):
            dispatcher.utter_message(text=line)
        return events


class ActionStepDone(_ProcedureMove, action="action_step_done", step=procedures.step_done):
    """« Fait »: the next step, or the end of the guide."""


class ActionStepFailed(_ProcedureMove, action="action_step_failed", step=procedures.step_failed):
    """« Problème »: the step's known problems, its help, then a human."""


class ActionStepBack(_ProcedureMove, action="action_step_back", step=procedures.step_back):
    """« Étape précédente »: one step back."""


class ActionResumeProcedure(_ProcedureMove, action="action_resume_procedure"):
    """The current step again, after a detour through other questions, or the step named by its number; with no guide
    running, the one a known problem stopped (the person has fixed it since)."""

    def move(self, state: procedures.State, tracker: Tracker) -> procedures.Outcome:
        return procedures.resume(state, typed_text(tracker))

    def recover(self, tracker: Tracker) -> procedures.State | None:
        return summary.stopped_by_a_problem(tracker.get_slot("procedure_log"))


class ActionReportProblem(_ProcedureMove, action="action_report_problem"):
    """A known problem picked from the buttons: its fix, or its next action."""

    def move(self, state: procedures.State, tracker: Tracker) -> procedures.Outcome:
        return procedures.report_problem(state, entity(tracker, "problem"))


class ActionSummary(NamedAction, action="action_summary"):
    """The « Fiche récapitulative »: as text in the chat and as a printable sheet for the web page; an advisor
    is offered « Nouvel usager » under it (an advisor's sheet once listed every person seen that day)."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        answers = sheet_sections(tracker.get_slot("recent_answers"), bank())
        sheet = summary.build(tracker.get_slot("procedure_log"), desk_found(tracker), datetime.now(PARIS), answers)
        buttons = [NEW_PERSON_BUTTON] if tracker.get_slot("audience") == ADVISOR else []
        return send_sheet(dispatcher, sheet, buttons)


class ActionAssistantPrivacy(NamedAction, action="action_assistant_privacy"):
    """« tu gardes ce que j'écris ? »: what the assistant keeps, for how long ($MES_RETENTION_DAYS), masked."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(response=ASSISTANT_PRIVACY_RESPONSE, retention_days=in_words(retention_days()))
        return []


class ActionNewPerson(NamedAction, action="action_new_person"):
    """« Nouvel usager », « on recommence à zéro »: every slot back to its start (the sheet, the guide, the
    remembered situation, the France Services search), except the page's audience."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(response=NEW_PERSON)
        return forget_person(tracker)


class ActionAfterAnswer(NamedAction, action="action_after_answer"):
    """After a fixed response (greeting, off-topic…): reset the fallback count, offer to resume a guide."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return back_to_conversation(dispatcher, tracker)


class ActionAnswerForChild(NamedAction, action="action_answer_for_child"):
    """ "Et pour mon fils ?": the child version of the last answer, or the child's guide."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = typed_text(tracker)  # « et pour ma mère ? », « et pour moi ? », « et alors ? »: no child,
        if respond.not_about_a_child(text) or respond.says_nothing_of_its_own(text):
            return await ActionClarify().run(dispatcher, tracker, domain)  # the likeliest answers, then a human
        target = respond.child_follow_up(tracker.get_slot("last_topic"), bank())
        if target in procedures.START_INTENTS:
            outcome = procedures.start(procedures.START_INTENTS[target])
            return [*_show(dispatcher, outcome, tracker), SlotSet("last_topic", target)]
        if target in bank():
            return send_answer(dispatcher, tracker, target)
        dispatcher.utter_message(response=target)
        return [SlotSet("fallback_count", 0.0)]
