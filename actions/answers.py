"""Rasa glue for the answer bank: send the chosen answer, suggest answers when unsure, « et pour mon enfant ? »."""

from __future__ import annotations

import functools
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._common import NamedAction
from actions.france_services import (
    ActionVisitChecklist,
    desk_found,
    desks_were_last,
    gazetteer,
    hours_if_asked,
    leave_search,
    send_nearest,
)
from bot import scam, situation
from bot.answers import respond
from bot.answers.bank import Answer, Bank, load_bank
from bot.answers.render import ADVISOR, HUMAN_BUTTON, SIMPLE_VALUE, button_for, render, source_reply, unit_button
from bot.answers.search import AnswerSearch
from bot.clauses import (
    SENTENCES_KEY,
    answers_an_off_topic_sentence,
    asks,
    other_questions,
    question_beside_statement,
    questions_in,
    sets_aside,
    sure_sentences,
)
from bot.contact import HOTLINE_HOURS
from bot.france_services.answer import short_reply
from bot.france_services.dialogue import Decision, place_in_request
from bot.introduction import ends_with_next_person, opens_with_next_person
from bot.understanding import (
    OFF_TOPIC_KEY,
    THRESHOLDS_FILE,
    Thresholds,
    about_another_services_account,
    asks_for_the_caisse,
    follow_up_move,
    is_help_request,
    load_thresholds,
    might_be_an_emergency,
    names_no_place_of_ones_own,
)

ROOT = Path(__file__).resolve().parent.parent
BANK_FOLDER = ROOT / "data" / "answers"
OFFER_RESUME = "utter_offer_resume"
OTHER_QUESTION = "utter_other_question"
OTHER_REQUEST = "utter_other_request"
# Requests that are no answer of the bank, offered as a button when they share a declined message (« fais-moi la fiche.
# et le rdv à l'ANTS ? »: an advisor lost the sheet, 7 December 2026); titles as on the domain's buttons
OTHER_REQUESTS = {"ask_summary": "Fiche récapitulative", "activation_start": "Activer mon espace",
                  "child_activation_start": "Activer son profil", "find_france_services": "Trouver une France Services",
                  "prepare_visit": "Préparer ma visite"}
SHORT_VERSION = "utter_short_version"
GUIDE_IN_SHORT = "faites seulement ce qui est écrit à l'étape, puis touchez « C'est fait »."
MAX_OTHER_QUESTIONS = 2
MAX_RESUME_OFFERS = 2
RESUME_OFFERS_SLOT = "resume_offers"
SITUATION_SLOT = "situation"  # what the person said of their situation (bot/situation.py): names only
DID_YOU_MEAN = "utter_did_you_mean"
REPHRASE = "utter_rephrase"
CLARIFY_FAILED = "utter_clarify_failed"
IF_IN_DANGER = "utter_emergency_if_in_danger"
SEE_ALSO = "utter_see_also"
ALREADY_ANSWERED_LINE = "utter_already_answered_line"
NO_YES_OR_NO = "utter_no_yes_or_no"
OUT_OF_SCOPE = "utter_out_of_scope"
NONE_OF_THESE = {"title": "Aucune de ces réponses", "payload": "/deny_suggestions"}


@functools.lru_cache(maxsize=1)
def bank() -> Bank:
    """The answer bank, read once per process."""
    return load_bank(BANK_FOLDER)


@functools.lru_cache(maxsize=1)
def thresholds() -> Thresholds:
    """The understanding thresholds (config/thresholds.yml), read once per process."""
    return load_thresholds(ROOT / THRESHOLDS_FILE)


@functools.lru_cache(maxsize=1)
def search() -> AnswerSearch:
    return AnswerSearch(bank())


def entity(tracker: Tracker, name: str) -> str | None:
    """The first value of entity ``name`` in the latest message (payload buttons carry them)."""
    for entity in tracker.latest_message.get("entities") or []:
        if isinstance(entity, dict) and entity.get("entity") == name and isinstance(entity.get("value"), str):
            return entity["value"]
    return None


def typed_text(tracker: Tracker) -> str:
    """What the person typed (empty for a button payload such as ``/faq{…}``)."""
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text


def offer_resume(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Offer to go back to the guide left for another question, at most ``MAX_RESUME_OFFERS`` times since the guide
    last showed a step (slot ``resume_offers``, reset by actions/actions._show): a persona got « Voulez-vous reprendre
    le guide… » under five replies in a row after leaving it. A slot, not the events: Rasa only sees the last turns
    (rasa_ext/stores/tracker_window.py)."""
    offers = int(tracker.get_slot(RESUME_OFFERS_SLOT) or 0)
    if tracker.get_slot("procedure") is None or offers >= MAX_RESUME_OFFERS:
        return []
    dispatcher.utter_message(response=OFFER_RESUME)
    return [SlotSet(RESUME_OFFERS_SLOT, float(offers + 1))]


def back_to_conversation(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """After a reply outside the answers and guides: offer to resume a guide, end an interrupted France Services
    search, reset the fallback count."""
    return [*offer_resume(dispatcher, tracker), *leave_search(tracker), SlotSet("fallback_count", 0.0)]


def advisor(tracker: Tracker) -> bool:
    """Whether a France Services advisor is asking (advisors' page): they are the desk, a place in their question
    is where the person lives, not a request for the nearest desks (they still get them by asking for a desk)."""
    return tracker.get_slot("audience") == ADVISOR


def bot_texts(tracker: Tracker) -> list[str]:
    """The texts the assistant sent in the conversation (as far as the tracker it was handed goes back)."""
    return [str(event.get("text") or "") for event in tracker.events or [] if event.get("event") == "bot"]


def situations_said(tracker: Tracker) -> tuple[list[str], list[EventType]]:
    """The person's situations (bot/situation.py: the slot's, plus what this message says), and the slot event
    when this message added one."""
    kept = tracker.get_slot(SITUATION_SLOT) or []
    situations = situation.remembered(kept, typed_text(tracker))
    return situations, ([SlotSet(SITUATION_SLOT, situations)] if situations != kept else [])


def unfit_options(tracker: Tracker, text: str) -> frozenset[str]:
    """The answers not to offer as buttons for ``text`` in this conversation (``respond.unfit_options``)."""
    return respond.unfit_options(text, situations_said(tracker)[0], bank())


def send_answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    unit_id: str,
    see_also: list[Answer] | None = None,
    simple: bool = False,
    also_asked: list[Answer] | None = None,
) -> list[EventType]:
    """Send one unit for the reader's audience (its easy-to-read text when ``simple``), then the other questions
    of the message (``also_asked``) and ``see_also`` as buttons; a citizen's help request that names a place gets
    the nearest desks."""
    situations, noted = situations_said(tracker)
    just_sent = (respond.just_answered(tracker.get_slot("recent_answers")) or [None])[-1]
    text = typed_text(tracker)
    # a citizen who speaks only of himself asks for himself: « je veux fermer. je peux pas juste telephoner ? » after
    # his late wife's space got the deceased's closing (a persona of 74, 7 December 2026)
    for_advisor = advisor(tracker)
    meant = situations if for_advisor else situation.for_the_message(situations, text)
    meant = situation.for_ones_own_space(meant, text, for_advisor)  # « … son propre espace à sa fille ? »
    unit = bank().get(respond.in_situation(unit_id, meant, bank(), just_sent))
    if unit is None:
        dispatcher.utter_message(response=REPHRASE)
        return [SlotSet("fallback_count", 0.0)]
    events: list[EventType] = [*leave_search(tracker), SlotSet("fallback_count", 0.0), SlotSet("last_topic", unit.id)]
    events += noted
    # « et la cpam à Épinal ? » wants the caisse's desk: its answer, not the nearest France Services
    # « mon fils habite à Metz, il pourrait le faire pour moi ? » names his town, not one to find a desk near
    elsewhere = names_no_place_of_ones_own(text)
    nearby = unit.nearby and not for_advisor and not asks_for_the_caisse(text) and not elsewhere
    place = place_in_request(text, gazetteer()) if nearby else None
    if place is not None:
        events += send_nearest(dispatcher, place, tracker)
        return events
    untold = situation.not_yet_told(situations, bot_texts(tracker))
    if not for_advisor:
        untold = situation.for_the_message(untold, text)
    # nor the deceased's line before an answer on the person's own space (an advisor's « son propre espace »)
    untold = situation.for_ones_own_space(untold, text, for_advisor)
    reply = render(unit, bank(), tracker.get_slot("audience"), simple=simple, situations=untold)
    # With the answer, which one it is (« Cette réponse vous a aidé ? »): Rasa's REST channel sends the custom
    # part as its own message right after the text, and the web front attaches it to that text; the tracker
    # store keeps it in the same bot event, where the review finds it.
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons, json_message={"answer_id": unit.id})
    recent = respond.remember(tracker.get_slot("recent_answers"), unit.id, text)
    events.append(SlotSet("recent_answers", recent))
    if simple and unit.simple:  # asked once, the easy-to-read version stays (slot ``easy_to_read``)
        events.append(SlotSet("easy_to_read", True))
    # a button of the answer itself is not offered a second time below it (a persona saw one twice in a turn)
    shown = {button.get("payload") for button in reply.buttons}
    also_asked = [other for other in also_asked or [] if unit_button(other)["payload"] not in shown]
    see_also = [other for other in see_also or [] if unit_button(other)["payload"] not in shown]
    offer_asked_too(dispatcher, tracker, also_asked or [])
    if see_also:
        dispatcher.utter_message(response=SEE_ALSO, buttons=[unit_button(other) for other in see_also])
    return [*events, *offer_resume(dispatcher, tracker)]


def already_answered(
    dispatcher: CollectingDispatcher, tracker: Tracker, unit: Answer, recent: list[str]
) -> list[EventType]:
    """A typed question that would get again the answer just sent (« jparlais des messages au medecin, c dans
    lappli aussi ? » after the messaging answer): that answer did not help. Other likely answers to choose from,
    then a human (« Aucune de ces réponses »); the same answer again when there is no other. An answer sent
    earlier in the conversation is sent again, with the other likely answers as buttons (``ActionAnswer``): the
    person may have come back to it, and scrolling up is hard for many (four persona sessions got « Ma réponse
    serait encore… » instead of the answer they asked for)."""
    text = typed_text(tracker)
    selector = tracker.latest_message.get("response_selector")
    unfit = unfit_options(tracker, text)  # unit.id among the options
    options = respond.clarify_options(selector, text, bank(), search(), exclude={*recent, *unfit})
    if not options:
        return send_answer(dispatcher, tracker, unit.id)
    # « png ça passe ? » after the file formats: the line of that answer on it (an advisor's session); with no word in
    # common, its first line (« donc si je dis rien il peut pas rentrer dans mon dossier ? » wants its point again)
    line = respond.matching_line(unit, text, advisor(tracker)) or respond.first_line(unit, advisor(tracker))
    return quote_line(dispatcher, ALREADY_ANSWERED_LINE, unit, line, [*map(unit_button, options)])


def quote_line(
    dispatcher: CollectingDispatcher, response: str, unit: Answer, line: str, buttons: list[dict[str, str]]
) -> list[EventType]:
    """``response`` quoting ``line`` of the answer ``unit`` sent before, with ``buttons`` (answers to choose from),
    then « Aucune de ces réponses », which leads to a human."""
    dispatcher.utter_message(response=response, buttons=[*buttons, NONE_OF_THESE], title=unit.title, line=line,
                             hotline_hours=HOTLINE_HOURS)  # fmt: skip
    return [SlotSet("fallback_count", 1.0)]


# What is kept of the person an advisor is helping, forgotten for the next one (action_new_person forgets every slot).
PERSON_SLOTS = ("recent_answers", "procedure_log", "situation", "last_topic", "procedure", "fs_desk")
NEXT_PERSON_LINE = "utter_next_person"
NEW_PERSON = "utter_new_person"  # « Nouvel usager » (actions.ActionNewPerson)


async def for_next_person(
    action: NamedAction, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[EventType] | None:
    """« usagère suivante : elle a perdu son code » on the advisors' page, without « Nouvel usager » first: what was
    kept of the previous person (sheet, guide, situation) is forgotten, then ``action`` answers for the new one (two
    advisors' sessions mixed their users' sheets and situations, 6 December 2026). None when the message does not
    open so, or when nothing of a previous person is kept."""
    if not advisor(tracker) or not any(tracker.get_slot(name) for name in PERSON_SLOTS):
        return None
    if ends_with_next_person(typed_text(tracker)):  # « … Je passe à l'usager suivant »: nothing asked for the next one
        dispatcher.utter_message(response=NEW_PERSON)
        return forget_person(tracker)
    if not opens_with_next_person(typed_text(tracker)):
        return None
    dispatcher.utter_message(response=NEXT_PERSON_LINE)
    audience = tracker.get_slot("audience")
    fresh = Tracker(tracker.sender_id, {"audience": audience}, tracker.latest_message, [], False, None, {},
                    tracker.latest_action_name)  # fmt: skip
    events = await action.run(dispatcher, fresh, domain)
    return [*forget_person(tracker), *events]


def forget_person(tracker: Tracker) -> list[EventType]:
    """Every slot back to its start but the page's audience; an open France Services search is closed too, or its
    question would come back to the next person."""
    return [*leave_search(tracker), AllSlotsReset(), SlotSet("audience", tracker.get_slot("audience"))]


class ActionAnswer(NamedAction, action="action_answer"):
    """Send the answer chosen by a button or by the classifier (with close answers when it was not sure)."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if (events := await for_next_person(self, dispatcher, tracker, domain)) is not None:
            return events
        asked = entity(tracker, "answer")
        selector = tracker.latest_message.get("response_selector")
        context = {"last_topic": tracker.get_slot("last_topic"), "text": typed_text(tracker)}
        if not asked and (checked := check_link_if_asked(dispatcher, tracker, context["text"])) is not None:
            return checked
        if not asked and (sourced := source_if_asked(dispatcher, tracker, context["text"])) is not None:
            return sourced
        # right after the desks, « et vaucouleurs le samedi ? » is a new search, whatever answer the classifier
        # prefers (it got the 3422's hours, 7 December 2026), and « c'est ouvert le samedi ? » their hours
        if not asked and (place := place_asked_for(tracker, context["text"], after_desks_only=True)) is not None:
            return [*send_nearest(dispatcher, place, tracker), SlotSet("fallback_count", 0.0)]
        if not asked and (hours := hours_if_asked(dispatcher, tracker)) is not None:
            return hours
        # the classifier's own ranking, and in context of the previous answer (computed once for the choice and
        # see-also)
        raw = [] if asked else respond.selector_ranking(selector)
        ranking = respond.in_context(raw, bank=bank(), **context)
        situations = situations_said(tracker)[0]
        unit = respond.chosen_unit(asked, ranking, bank(), context["text"], situations)
        if unit is None:
            return send_answer(dispatcher, tracker, "")
        # « comment je fais alors » after the answer for a person without e-mail got, by a guess, the answer for those
        # who cannot travel (a citizen chat, 6 December 2026): the previous answer's next steps instead
        if not asked and (plain := no_yes_or_no(dispatcher, tracker, unit, context["text"])) is not None:
            return plain
        if not asked and (steps := next_steps_if_vague(dispatcher, tracker, context["text"])) is not None:
            return steps
        recent = respond.just_answered(tracker.get_slot("recent_answers")) if context["text"] and not asked else []
        limits = thresholds()
        # the answer was given already, or is unsure, and a sentence that only restates the situation pulled it: the
        # asking sentence's answer. When unsure, or pulled by no sentence (the words of several mixed), the only
        # asking sentence given an answer, surer alone: « mes parents ont encore accès à mon espace ?? j'étais sur
        # leur carte vitale quand j'étais petite » got the answer for those without a carte Vitale (0.16); « … ma
        # petite fille me l'a activé. est ce que mon infirmiere et mon pharmacien peuvent voir mes prise de sang
        # dedans ? » the documents sent before activation (0.61; its question alone 0.98). Personas of 29 and 72,
        # 7 December 2026.
        whole = raw[0][1] if raw else 1.0
        question = None
        if unit.id in recent:
            question = question_beside_told(tracker, unit.id, limits.intent)
        elif whole < limits.see_also_below or not pulled_by_a_sentence(tracker, unit.id):
            question = question_beside_told(tracker, unit.id, max(limits.other_question, whole), alone=True)
        told = unit.id if question else None
        unit = question or unit
        if recent[-1:] == [unit.id]:
            return already_answered(dispatcher, tracker, unit, recent)
        # « faut prendre rendez vous ou je peux y aller comme ca ? » after the answer on France Services got the refusal
        # of medical appointments (a persona of 78): an unsure follow-up that a line of the previous answer speaks of
        # gets that line, and the likeliest answers, rather than a refusal. Not rather than an answer of the bank:
        # « je fais comment pr autoriser ma sage femme ? » after who cannot see the record got that answer's line on
        # authorised professionals, not « Autoriser un soignant » (three follow-ups of a persona, 6 December 2026)
        previous = bank().get(recent[-1]) if recent else None
        # the classifier's own probability counts here, not the one the context's weights raise
        unsure = bool(raw) and raw[0][1] < limits.see_also_below and respond.is_short_follow_up(context["text"])
        unsure = unsure and (unit.declines or recent[-1:] == [unit.id])
        if previous is not None and unsure and respond.matching_line(previous, context["text"], advisor(tracker)):
            return already_answered(dispatcher, tracker, previous, recent)
        unfit = respond.unfit_options(context["text"], situations, bank())
        others = [] if asked else respond.see_also(ranking, unit.id, bank(), limits.see_also_below,
                                                   limits.see_also_share)  # fmt: skip
        others = [other for other in others if other.id not in unfit]
        if unit.id in recent and not others:  # asked again later: the answer, and what else it might have been
            others = respond.clarify_options(selector, context["text"], bank(), search(), limit=2,
                                             exclude={unit.id, *unfit})  # fmt: skip
        # the « Plus simple » button, or asked once before in the conversation (the slot ``easy_to_read``)
        simple = entity(tracker, "simple") == SIMPLE_VALUE or tracker.get_slot("easy_to_read") is True
        # « … carte vitale perdue. et je n'ai pas d'adresse mail ? »: the other question of the message, as a button
        # each other question must share a word with the sentence that asks it (« et celui de mon grand ? » was
        # offered « 3646 ou 3422 ? »); the sentences as the classifier cut them, in the same order
        also_asked = [other for other in asked_in_message(tracker, context["text"], unit.id) if other.id != told]
        sentences = tracker.latest_message.get(SENTENCES_KEY)
        if also_asked and answers_an_off_topic_sentence(unit.id, sentences, limits.other_question, limits.decline):
            # the question on Mon espace santé first, not an answer pulled by the sentence on home insurance
            unit, also_asked, others = also_asked[0], also_asked[1:], []
        # asked in the message, it is said so with its short answer, not offered among the close answers
        others = [other for other in others if other.id not in {asked.id for asked in also_asked}]
        return send_answer(dispatcher, tracker, unit.id, others, simple=simple, also_asked=also_asked)


def pulled_by_a_sentence(tracker: Tracker, answered: str) -> bool:
    """Whether a sentence of the message, ranked alone, gives ``answered`` (an id of the bank) too."""
    ranked = tracker.latest_message.get(SENTENCES_KEY)
    return any(isinstance(s, dict) and s.get("label") == f"faq/{answered}" for s in ranked or [])


def question_beside_told(tracker: Tracker, answered: str, min_confidence: float, alone: bool = False) -> Answer | None:
    """The answer to the question of a message whose answer ``answered`` (already given in the conversation, or unsure)
    was pulled by a sentence that asks nothing (``clauses.question_beside_statement``), at least ``min_confidence``
    likely (with ``alone``, the only asking sentence given an answer of the bank), or None."""
    ranked = tracker.latest_message.get(SENTENCES_KEY)
    question = question_beside_statement(answered, typed_text(tracker), ranked, min_confidence, thresholds().decline,
                                         alone=alone, vague=respond.says_nothing_of_its_own)  # fmt: skip
    return bank().get(question) if question else None


def asked_in_message(tracker: Tracker, text: str, answered: str) -> list[Answer]:
    """The other answers the sentences of the message ask for, besides ``answered`` (an id, or "" when the message was
    declined). Each must share a word with the sentence that asks it (« et celui de mon grand ? » was offered « 3646
    ou 3422 ? »); the sentences as the classifier cut them, in the same order."""
    ranked, sentences = tracker.latest_message.get(SENTENCES_KEY), questions_in(text)
    same_cut = isinstance(ranked, list) and len(ranked) == len(sentences)
    limits = thresholds()
    situations = situations_said(tracker)[0]
    asked_too = other_questions(
        answered, ranked, limits.other_question, limits.decline,
        grounded=lambda index, other: same_cut and respond.shares_a_word(sentences[index], bank().get(other))
        and (not advisor(tracker) or asks(sentences[index]))  # an advisor's notes tell the situation
        and not respond.rejects_previous(sentences[index])  # « j'ai pas demandé ça. » is no other question
        and not sets_aside(sentences[index])  # « je ne vous parle pas d'équipe de soins »
        and not respond.hearing_unasked(bank().get(other), sentences[index])  # « on s'entend pas trop bien »
        # « maman … c'est moi qui doit dire oui a sa place ? » from a curatrice was offered « Enfant rattaché à l'autre
        # parent » (7 December 2026): a minors' answer only for a sentence that may be about a minor
        and not respond.not_about_minors(bank().get(other), sentences[index], situations),
    )  # fmt: skip
    also = [bank().get(u) for u in asked_too][:MAX_OTHER_QUESTIONS]
    return [other for other in also if other is not None]


def other_requests(sentences: object) -> list[str]:
    """The intents of ``OTHER_REQUESTS`` that a sentence of a declined message asks for, surely and on topic."""
    limits = thresholds()
    sure = sure_sentences(sentences, limits.other_question, limits.decline)
    return list(dict.fromkeys(label for _, label, _ in sure if label in OTHER_REQUESTS))


def offer_asked_too(dispatcher: CollectingDispatcher, tracker: Tracker, also_asked: list[Answer]) -> None:
    """The other questions of the message, each with its short answer and its button (a persona of 79 did not touch
    bare buttons, felt unanswered)."""
    if not also_asked:
        return
    questions = "\n".join(respond.in_brief(other, advisor(tracker)) for other in also_asked)
    dispatcher.utter_message(response=OTHER_QUESTION, questions=questions,
                             buttons=[unit_button(other) for other in also_asked])  # fmt: skip


def simplified_just_before(tracker: Tracker) -> bool:
    """Whether the assistant's previous turn already made an answer simpler (``action_answer_simpler``)."""
    events = list(tracker.events or [])
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    if len(users) < 2:
        return False
    actions = [event.get("name") for event in events[users[-2] + 1 : users[-1]] if event.get("event") == "action"]
    return "action_answer_simpler" in actions


class ActionAnswerSimpler(NamedAction, action="action_answer_simpler"):
    """« trop long », « je comprends rien » after an answer: its easy-to-read text when it has one, else its first
    line and a human (a 76-year-old with poor eyesight typed « CEST TROP LONG JE VOIS RIEN » and got a longer answer
    on another topic). Without a previous answer, as an unsure message (``ActionClarify``)."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        desk = desk_found(tracker) if desks_were_last(tracker) else None
        if desk is not None:  # after the nearest desks: the nearest one only, with its phone and today's hours
            reply = short_reply(desk, datetime.now(timezone.utc))
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
            return [SlotSet("fallback_count", 0.0)]
        unit = bank().get(tracker.get_slot("last_topic"))
        if unit is not None and unit.declines:  # a refusal is not made simpler (« En bref : Je ne réponds qu'aux… »)
            unit = None
        if unit is None and tracker.get_slot("procedure") is not None:  # inside a guide: one step at a time
            dispatcher.utter_message(response=SHORT_VERSION, summary=GUIDE_IN_SHORT, hotline_hours=HOTLINE_HOURS)
            return [SlotSet("fallback_count", 0.0), *offer_resume(dispatcher, tracker)]
        if unit is None:  # no answer before: read as an unsure message (the likeliest answers, a place's desks)
            return await ActionClarify().run(dispatcher, tracker, domain)
        # an advisor too: « une version simple pour que je lui lise à voix haute » (persona session); once only:
        # « C TROP LONG » after « Plus simple » got the same 15 lines again (a persona of 74, 7 December 2026)
        if unit.simple and not simplified_just_before(tracker):
            return send_answer(dispatcher, tracker, unit.id, simple=True)
        dispatcher.utter_message(response=SHORT_VERSION, summary=respond.first_line(unit, advisor(tracker)),
                                 hotline_hours=HOTLINE_HOURS)  # fmt: skip
        # the next answers that have an easy-to-read version are given in it
        return [SlotSet("fallback_count", 0.0), SlotSet("easy_to_read", True), *offer_resume(dispatcher, tracker)]


def place_asked_for(tracker: Tracker, text: str, after_desks_only: bool = False) -> Decision | None:
    """The place of a citizen's help request (not with ``after_desks_only``), or of any message right after the
    nearest desks: a name alone or after « à », « pour »…, in any case (« et a AUBUSSON le jeudi matin ? » got « Je
    n'ai pas compris » in a persona session)."""
    if advisor(tracker) or asks_for_the_caisse(text):  # « et la cpam à Épinal ? »: the caisse's desk (cpam_help)
        return None
    if desks_were_last(tracker):
        return place_in_request(text, gazetteer(), answer=True)
    return place_in_request(text, gazetteer()) if is_help_request(text) and not after_desks_only else None


class ActionClarify(NamedAction, action="action_clarify"):
    """Unsure: the three likeliest answers as buttons (the nearest desks for a help request naming a place),
    then a human."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = typed_text(tracker)
        if might_be_an_emergency(tracker.latest_message.get("intent_ranking") or [], thresholds().emergency_possible):
            dispatcher.utter_message(response=IF_IN_DANGER)
        if (checked := check_link_if_asked(dispatcher, tracker, text)) is not None:
            return checked
        if (sourced := source_if_asked(dispatcher, tracker, text)) is not None:  # « source ? » after an answer
            return sourced
        place = place_asked_for(tracker, text)
        if place is not None:
            events = send_nearest(dispatcher, place, tracker)
            return [*events, SlotSet("fallback_count", 0.0)]
        if (hours := hours_if_asked(dispatcher, tracker)) is not None:  # « elle ouvre quand ? » after the desks
            return hours
        if len(questions_in(text)) > 1 and (asked := asked_in_message(tracker, text, "")):
            # « Mes données sont-elles vendues aux laboratoires ? Et est-ce qu'on s'en sert pour entraîner leurs IA ? »:
            # unsure of the whole, sure of each question (« pas de réponse plus sûre », a persona, 7 December 2026)
            return send_answer(dispatcher, tracker, asked[0].id, also_asked=asked[1:])
        misses = int(tracker.get_slot("fallback_count") or 0) + 1
        if misses >= 2:
            dispatcher.utter_message(response=CLARIFY_FAILED)
            return [SlotSet("fallback_count", 0.0)]
        if (plain := no_yes_or_no(dispatcher, tracker, None, text)) is not None:  # « donc c'est non ? »
            return plain
        if (steps := next_steps_if_vague(dispatcher, tracker, text)) is not None:  # « et alors ? » after an answer
            return steps
        options = respond.clarify_options(tracker.latest_message.get("response_selector"), text, bank(), search(),
                                          exclude=unfit_options(tracker, text))
        if not options:
            dispatcher.utter_message(response=REPHRASE)
            return [SlotSet("fallback_count", float(misses))]
        dispatcher.utter_message(response=DID_YOU_MEAN, buttons=[*map(unit_button, options), NONE_OF_THESE])
        return [SlotSet("fallback_count", float(misses))]


class ActionOutOfScope(NamedAction, action="action_out_of_scope"):
    """Declined as off-topic: say where to go. But in a conversation already about Mon espace santé, a follow-up
    the detector is not sure of (« c'est obligatoire de l'avoir ? ») gets the answer or the likeliest answers, and
    one that continues the previous answer (« combien de temps ils sont gardés ? ») gets its answer."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        parsed = tracker.latest_message
        last_topic = tracker.get_slot("last_topic")
        in_conversation = bool(last_topic or tracker.get_slot("procedure"))
        text = typed_text(tracker)
        if (checked := check_link_if_asked(dispatcher, tracker, text)) is not None:  # « ameli-maj.com c'est vrai ? »
            return checked
        if (sourced := source_if_asked(dispatcher, tracker, text)) is not None:
            return sourced
        # right after the nearest desks, « celle d'Épinal elle est ouverte le mercredi ? » (their hours) and « et a
        # AUBUSSON ? » (place_asked_for) are no off-topic questions
        if (place := place_asked_for(tracker, text, after_desks_only=True)) is not None:
            events = send_nearest(dispatcher, place, tracker)
            return [*events, SlotSet("fallback_count", 0.0)]
        if (hours := hours_if_asked(dispatcher, tracker)) is not None:
            return hours
        if desks_were_last(tracker) and "prepare_visit" in other_requests(parsed.get(SENTENCES_KEY)):
            # « celle de manchester c'est a coté de l'hopital. qu'est ce que je dois amener avec moi pour maman ? »
            # right after the desks was declined (a carer, 7 December 2026): what to bring
            return await ActionVisitChecklist().run(dispatcher, tracker, domain)
        if (steps := next_steps_if_vague(dispatcher, tracker, text)) is not None:  # « elle doit faire quoi »
            return steps
        if about_another_services_account(text):  # « et mon compte doctolib, on le supprime comment ? »
            dispatcher.utter_message(response=OUT_OF_SCOPE)
            return back_to_conversation(dispatcher, tracker)
        continues = respond.continues_previous(parsed.get("response_selector"), last_topic, bank(),
                                               tracker.get_slot("recent_answers"))
        move = follow_up_move(parsed.get("intent_ranking") or [], parsed.get(OFF_TOPIC_KEY), in_conversation,
                              thresholds(), continues)  # fmt: skip
        if move == "answer":
            return await ActionAnswer().run(dispatcher, tracker, domain)
        if move == "clarify":
            return await ActionClarify().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response=OUT_OF_SCOPE)
        # « … le permis à l'ANTS ? et elle peut masquer un document ? »: the question on Mon espace santé is not lost
        offer_asked_too(dispatcher, tracker, asked_in_message(tracker, text, ""))
        if requests := other_requests(parsed.get(SENTENCES_KEY)):
            buttons = [{"title": OTHER_REQUESTS[name], "payload": f"/{name}"} for name in requests]
            dispatcher.utter_message(response=OTHER_REQUEST, buttons=buttons)
        return back_to_conversation(dispatcher, tracker)


def send_check(dispatcher: CollectingDispatcher, tracker: Tracker, report: scam.ScamReport) -> list[EventType]:
    """The warning signs of a message or an address (bot/scam.py), for the reader's audience, with the check's
    buttons."""
    dispatcher.utter_message(text=scam.render(report, tracker.get_slot("audience")), buttons=list(scam.CHECK_BUTTONS))
    return [SlotSet("fallback_count", 0.0), SlotSet("last_topic", scam.CHECK_TOPIC), *offer_resume(dispatcher, tracker)]


def check_link_if_asked(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> list[EventType] | None:
    """« ameli-vitale-maj.com c un vrai site ? »: whether the address is official, by the message check, whatever
    the classifier chose (a persona of 16 was told what Mon espace santé is, twice); None for any other message."""
    if not scam.asks_about_a_link(text):
        return None
    return send_check(dispatcher, tracker, scam.check_addresses(text))


def source_if_asked(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> list[EventType] | None:
    """« source ? » after an answer, or « quel article dit que l'assureur n'a pas le droit ? »: the official page and
    the legal texts of the answer meant, whatever the classifier chose (a persona got the same answer again, or the
    2019 law in general, 6 December 2026); None for any other message or with no answer to source."""
    kind = respond.asks_for_source(text)
    if kind is None:
        return None
    last_topic = tracker.get_slot("last_topic")
    ranking = respond.ranking_in_context(tracker.latest_message.get("response_selector"), bank(), last_topic, text)
    unit = respond.source_unit(kind, ranking, last_topic, bank(), thresholds().answer)
    if unit is None:
        return None
    reply = source_reply(unit, bank())
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
    return [SlotSet("fallback_count", 0.0), SlotSet("last_topic", unit.id)]


def next_steps_if_vague(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> list[EventType] | None:
    """After an answer, a message with no word of its own (« elle doit faire quoi », « et alors ? ») asks about what
    was just said, whatever the classifier made of it: that answer's next steps (``offer_next_steps``). None when
    there was no answer before or the message says something of its own."""
    previous = bank().get(tracker.get_slot("last_topic"))
    if previous is None or not respond.says_nothing_of_its_own(text):
        return None
    return offer_next_steps(dispatcher, tracker, previous)


def no_yes_or_no(
    dispatcher: CollectingDispatcher, tracker: Tracker, unit: Answer | None, text: str
) -> list[EventType] | None:
    """« donc c'est oui ou non ? » right after an answer whose point our sources do not settle (selling data got
    « plus haut » and that answer's first line; « donc en gros non je peux pas le bloquer ? » after stopping a
    child's sharing got « pas sûr », two personas, 7 December 2026): no yes or no can be given, that answer's line
    saying so, that answer's next steps (the follow-up names nothing: the likeliest answers to it were unrelated, own
    chat of 7 December 2026; the likeliest ones when it has none) and a human. None when the message asks about
    another answer than the previous one (``unit``, the classifier's choice, or None when it was unsure), asks no
    plain yes or no, or that answer settles its point."""
    previous = bank().get(tracker.get_slot("last_topic"))
    about_previous = unit is not None and previous is not None and unit.id == previous.id
    if previous is None or not (about_previous or respond.is_short_follow_up(text)
                                or respond.says_nothing_of_its_own(text)):  # fmt: skip
        return None
    if (line := respond.unsettled_line(previous, text, advisor(tracker))) is None:
        return None
    buttons = next_step_buttons(previous) or [*map(unit_button, respond.clarify_options(
        tracker.latest_message.get("response_selector"), text, bank(), search(),
        exclude={previous.id, *unfit_options(tracker, text)}))]  # fmt: skip
    return quote_line(dispatcher, NO_YES_OR_NO, previous, line, buttons)


def next_step_buttons(previous: Answer) -> list[dict[str, str]]:
    """The buttons of ``previous``'s next steps but the way to a human (the reply offers one of its own)."""
    next_steps = (button_for(n, bank()) for n in previous.next)
    return [b for b in next_steps if b and b["payload"] != HUMAN_BUTTON["payload"]]


def offer_next_steps(dispatcher: CollectingDispatcher, tracker: Tracker, previous: Answer) -> list[EventType]:
    """The previous answer's next steps to choose from; « Aucune de ces réponses », or another message with no word of
    its own right after them, then leads to a human."""
    if tracker.get_slot("fallback_count"):
        dispatcher.utter_message(response=CLARIFY_FAILED)
        return [SlotSet("fallback_count", 0.0)]
    dispatcher.utter_message(response=DID_YOU_MEAN, buttons=[*next_step_buttons(previous), NONE_OF_THESE])
    return [SlotSet("fallback_count", 1.0)]


class ActionSuggestionsRefused(NamedAction, action="action_suggestions_refused"):
    """None of the suggestions fits: offer a human right away. With no suggestion just offered (« c'est pas une
    arnaque votre lettre ? » read as « none of these » on a first message), it is an unsure message like any other;
    « vous m'avez pas répondu » after an answer gets that answer's next steps to choose from, then a human."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        previous = bank().get(tracker.get_slot("last_topic"))
        if not tracker.get_slot("fallback_count") and previous and respond.rejects_previous(typed_text(tracker)):
            return offer_next_steps(dispatcher, tracker, previous)
        if not tracker.get_slot("fallback_count"):
            return await ActionClarify().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response=CLARIFY_FAILED)
        return [SlotSet("fallback_count", 0.0)]


search()  # build the bank and its index at start-up, not during the first user's question
