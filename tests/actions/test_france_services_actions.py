"""France Services form actions, run against hand-built trackers (no Rasa server)."""

import asyncio
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import actions as a
from actions import france_services as fs
from bot.france_services.directory import Directory
from tests.actions.helpers import build_tracker
from tests.actions.helpers import run_action as run
from tests.actions.helpers import slot_values as slots

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def shipped_directory(monkeypatch):
    """Answer from the shipped CSV: these tests must not depend on a database."""
    shipped = Directory(None)
    monkeypatch.setattr(fs, "directory", lambda: shipped)


def tracker(text="", intent=None, confidence=0.9, entities=(), active_loop=None, **slot_set):
    return build_tracker(text, intent, confidence, entities, active_loop, **slot_set)


def test_validation_on_activation_reads_the_place_from_the_request():
    messages, events = run(fs.ValidateFranceServicesForm(),
                           tracker("une France services près de Épinal", "find_france_services"))  # fmt: skip
    assert messages == []
    got = slots(events)
    assert got["fs_place"] == "Épinal (88)"
    assert got["fs_latitude"] == pytest.approx(48.16, abs=0.05)


def test_validation_of_an_answer_that_is_not_a_place_asks_again():
    _, events = run(fs.ValidateFranceServicesForm(),
                    tracker("zzzzqqq", "nlu_fallback", 0.1, requested_slot="fs_place"))  # fmt: skip
    assert slots(events) == {"fs_place": None, "fs_prompt": "unknown", "fs_choices": None, "fs_failures": 1.0}


def test_validation_rejects_a_confident_other_topic():
    _, events = run(fs.ValidateFranceServicesForm(),
                    tracker("comment activer", "activation_start", 0.95, requested_slot="fs_place"))  # fmt: skip
    assert events == []  # no slot set: Rasa rejects the form and the other rules answer


def test_validation_stop_ends_the_form():
    _, events = run(fs.ValidateFranceServicesForm(),
                    tracker("stop", "nlu_fallback", 0.2, requested_slot="fs_place"))  # fmt: skip
    assert slots(events)["requested_slot"] is None
    assert slots(events)["fs_prompt"] == "cancelled"


def test_validation_reads_the_shared_position():
    entities = [{"entity": "latitude", "value": 48.69}, {"entity": "longitude", "value": 6.18}]
    _, events = run(fs.ValidateFranceServicesForm(), tracker("/share_position", "share_position", 1.0, entities))
    assert slots(events)["fs_place"] == "votre position"


def decimals(number: float) -> int:
    text = repr(float(number))
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def test_a_precise_position_is_stored_to_about_1_km_and_the_nearest_desks_are_still_found():
    """A client that sends 5 decimals (~1 m): the slots get 2 (~1 km), and the search works from them."""
    entities = [{"entity": "latitude", "value": 48.69212}, {"entity": "longitude", "value": "6.18443"}]
    payload = '/share_position{"latitude": 48.69212, "longitude": "6.18443"}'
    _, events = run(fs.ValidateFranceServicesForm(), tracker(payload, "share_position", 1.0, entities))
    got = slots(events)
    assert (got["fs_latitude"], got["fs_longitude"]) == (48.69, 6.18)
    assert decimals(got["fs_latitude"]) <= 2 and decimals(got["fs_longitude"]) <= 2
    messages, events = run(fs.ActionFranceServicesResults(), tracker(**got))
    assert messages[0]["text"] == "Voici les 3 France services les plus proches de votre position :"
    assert messages[1]["text"].startswith("1. France services de la préfecture de Nancy, à moins de 1 km")
    assert slots(events)["fs_desk"] == "3258" and "fs_latitude" in slots(events)
    assert all(not isinstance(value, float) or decimals(value) <= 2 for value in slots(events).values())


def test_ask_action_words_the_question_after_the_last_problem():
    messages, _ = run(fs.ActionAskFsPlace(), tracker(fs_prompt=None))
    assert messages[0]["response"] == "utter_fs_ask"
    messages, _ = run(fs.ActionAskFsPlace(), tracker(fs_prompt="unknown"))
    assert messages[0]["response"] == "utter_fs_unknown"


def test_results_then_every_search_slot_is_cleared():
    messages, events = run(
        fs.ActionFranceServicesResults(),
        tracker(fs_place="Nancy (54)", fs_latitude=48.6921, fs_longitude=6.1844, fs_failures=1.0),
    )
    assert messages[0]["text"].startswith("Voici les 3 France services les plus proches de Nancy (54)")
    assert len(messages) == 5
    desk = fs.directory().desk(slots(events).pop("fs_desk"))  # the slot holds the nearest desk's id only
    assert desk is not None and messages[1]["text"].startswith(f"1. {desk.name}, à ")
    shown = [fs.directory().desk(i) for i in slots(events)["fs_shown"]]  # the three desks, nearest first
    assert [d.name for d in shown] == [m["text"].split(", à ")[0][3:] for m in messages[1:4]]
    cleared = {k: v for k, v in slots(events).items() if k not in ("fs_desk", "fs_shown")}
    assert set(cleared.values()) == {None} and set(cleared) == set(fs.STATE_SLOTS)


def test_a_day_named_in_the_last_messages_picks_the_desks_open_that_day():
    """« une france services ouverte le samedi pres de thionville il y en a une ? » got the same three desks four
    times, with Sunday's and Monday's hours (a persona who drives a truck all week, 6 December 2026)."""
    said = [{"event": "user", "text": "ouvert le samedi matin svp ?"},
            {"event": "bot", "text": "Dans quelle commune ?"}, {"event": "user", "text": "Thionville"}]  # fmt: skip
    place = {"fs_place": "Thionville (57)", "fs_latitude": 49.3579, "fs_longitude": 6.1683}
    on_saturday = Tracker("test", place, {"text": "Thionville"}, said, False, None, {}, "action_listen")
    messages, events = run(fs.ActionFranceServicesResults(), on_saturday)
    assert messages[0]["text"].startswith("Voici les 3 France services ouvertes le samedi les plus proches")
    desks = [m.get("text") or "" for m in messages[1:4]]
    assert all("\nLe samedi : ouvert de " in text for text in desks)
    desk = fs.directory().desk(slots(events)["fs_desk"])
    assert desk is not None and desk.hours.get("sat") and messages[1]["text"].startswith(f"1. {desk.name}, à ")
    assert fs.requested_day(on_saturday) == 5
    assert fs.requested_day(tracker("Thionville")) is None  # no day named: the three nearest, as before


def test_results_after_a_stop_explain_and_offer_a_human():
    messages, _ = run(fs.ActionFranceServicesResults(), tracker(fs_prompt="gave_up"))
    assert messages[0]["response"] == "utter_fs_gave_up"  # its texts hold the 3422 (tests/unit)


def test_a_fixed_answer_closes_an_interrupted_search():
    _, events = run(a.ActionAfterAnswer(), tracker("bonjour", "greet", active_loop="france_services_form"))
    assert {"event": "active_loop", "name": None} in [{k: e.get(k) for k in ("event", "name")} for e in events]
    _, events = run(a.ActionAfterAnswer(), tracker("bonjour", "greet"))
    assert all(e.get("event") != "active_loop" for e in events)


# ---------------------------------------------------------------- the desk in the summary sheet

NANCY_DESK = "3258"  # France services de la préfecture de Nancy, 6 rue Sainte Catherine, 03 83 34 26 27


def contacts(messages: list[dict]) -> list[str]:
    """The « Contacts utiles » lines of the sheet sent as a printable payload."""
    sections = messages[0]["custom"]["summary"]["sections"]
    return next(s["items"] for s in sections if s["heading"] == "Contacts utiles")


def test_the_sheet_rebuilds_the_desk_from_its_id():
    desk = fs.directory().desk(NANCY_DESK)
    messages, _ = run(a.ActionSummary(), tracker("/ask_summary", "ask_summary", fs_desk=NANCY_DESK))
    line = f"France services la plus proche : {desk.name}, {desk.full_address}, tél. {desk.phone}."
    assert line in contacts(messages) and line in messages[0]["text"]
    assert "6 rue Sainte Catherine, 54000 Nancy" in line and "03 83 34 26 27" in line


@pytest.mark.parametrize(
    "old",
    [
        {"name": "France services de Nancy", "address": "[adresse], 54000 Nancy", "phone": "[numéro de téléphone]"},
        "no-such-desk", "", 3258, ["3258"], None,
    ],
)  # fmt: skip
def test_an_older_or_unknown_desk_slot_gives_a_sheet_without_a_desk(old):
    """Trackers saved before slots held ids keep the desk's (redacted) text: read as no desk, no error."""
    messages, events = run(a.ActionSummary(), tracker("/ask_summary", "ask_summary", fs_desk=old))
    assert messages[0]["text"].startswith("Fiche récapitulative")
    assert not any("France services la plus proche" in line for line in contacts(messages))
    assert "[numéro de téléphone]" not in messages[0]["text"]
    assert slots(events) == {"fallback_count": 0.0}


def test_the_desk_survives_the_redacting_tracker_store(tmp_path):
    """The real store (SQLite) redacts every event it saves; the sheet built from the tracker it gives back
    still shows the desk's phone number and street address, read from the directory by id."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa_sdk import Tracker

    from rasa_ext.stores.tracker_store import RedactingSQLTrackerStore

    domain = Domain.load(str(ROOT / "domain"))
    store = RedactingSQLTrackerStore(domain=domain, url=f"sqlite:///{tmp_path / 'trackers.db'}")
    try:
        messages, events = run(fs.ActionFranceServicesResults(),
                               tracker(fs_place="Nancy (54)", fs_latitude=48.69, fs_longitude=6.18))  # fmt: skip
        answer, intent = "\n".join(m["text"] for m in messages), {"name": "find_france_services", "confidence": 1.0}
        assert "6 rue Sainte Catherine, 54000 Nancy" in answer and "Téléphone : 03 83 34 26 27" in answer
        history = [
            ActionExecuted("action_listen"),
            UserUttered("une France services près de Nancy, je suis au 06 12 34 56 78", intent),
            ActionExecuted("action_france_services_results"),
            *(BotUttered(m["text"]) for m in messages),
            *(Event.from_parameters(e) for e in events),
            ActionExecuted("action_listen"),
            UserUttered("/ask_summary", {"name": "ask_summary", "confidence": 1.0}),
        ]
        asyncio.run(store.save(DialogueStateTracker.from_events("citizen", history, domain.slots)))
        back = asyncio.run(store.retrieve("citizen"))
        said = next(e.text for e in back.events if isinstance(e, UserUttered) and "Nancy" in (e.text or ""))
        assert "06 12 34 56 78" not in said  # it went through the redaction
        assert back.get_slot("fs_desk") == NANCY_DESK
        sheet, _ = run(a.ActionSummary(), Tracker.from_dict(back.current_state()))
    finally:
        store.engine.dispose()
    for text in ("\n".join(contacts(sheet)), sheet[0]["text"]):
        assert "6 rue Sainte Catherine, 54000 Nancy" in text and "tél. 03 83 34 26 27" in text
        assert "[numéro de téléphone]" not in text and "[adresse]" not in text


def test_prepare_visit_sends_the_checklist_for_the_desk_found_as_text_and_printable_sheet():
    from actions.france_services import ActionVisitChecklist

    desk = fs.directory().nearest(48.17, 6.45, limit=1).points[0]  # Épinal
    messages, _ = run(ActionVisitChecklist(), build_tracker("/prepare_visit", "prepare_visit",
                                                                        fs_desk=desk.id))  # fmt: skip
    sheet = messages[0]["custom"]["summary"]
    assert messages[0]["text"].startswith("Préparer ma visite") and desk.name in messages[0]["text"]
    assert sheet["sections"][0]["heading"] == "À apporter"
    assert any(desk.name in item for s in sheet["sections"] for item in s["items"])
    messages, _ = run(ActionVisitChecklist(), build_tracker("/prepare_visit", "prepare_visit"))
    assert "mairie" in messages[0]["text"]  # no search made: how to find a desk


def after_the_desks(text, intent="out_of_scope", **slot_set):
    """A tracker right after the three nearest desks to Épinal (fs_desk set after the last answer), then ``text``."""
    shown = [p.id for p in fs.directory().nearest(48.1724, 6.4496, 3).points]
    said = [{"event": "slot", "name": "last_topic", "value": "what_is_mes"},
            {"event": "user", "text": "jhabite epinal je conduis pas"},
            {"event": "slot", "name": "fs_desk", "value": shown[0]},
            {"event": "slot", "name": "fs_shown", "value": shown}]
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.6}, "off_topic": 0.9}
    slots_now = {"fs_desk": shown[0], "fs_shown": shown, "last_topic": "what_is_mes", **slot_set}
    return Tracker("test", slots_now, latest, [*said, {"event": "user", "text": text}], False, None, {},
                   "action_listen")


@pytest.mark.parametrize("text", ["celle d epinal elle est ouverte le mercredi?", "et le mercredi ?"])
def test_right_after_the_desks_a_question_on_their_hours_gets_them(text):
    """An 81-year-old who takes the bus asked « celle d epinal elle est ouverte le mercredi? » and was told « Je ne
    réponds qu'aux questions sur Mon espace santé » (persona session, 6 December 2026)."""
    from actions import answers

    messages, events = run(answers.ActionOutOfScope(), after_the_desks(text))
    assert messages[0]["text"].startswith("France services Epinal :\nLe mercredi : ouvert de 8 h 30 à 12 h")
    assert slots(events)["fs_desk"] == after_the_desks(text).get_slot("fs_shown")[0]


def test_the_hours_of_the_desk_named_become_the_visit_sheets_desk():
    from actions import answers

    messages, events = run(answers.ActionClarify(), after_the_desks("la derniere ouvre quels jours ?", "nlu_fallback"))
    assert messages[0]["text"].startswith("France services de Girancourt :\nSes horaires de la semaine :")
    assert fs.directory().desk(slots(events)["fs_desk"]).name == "France services de Girancourt"


def test_a_new_place_with_a_day_is_a_new_search_and_a_hours_question_after_an_answer_is_not_about_desks():
    from actions import answers

    messages, _ = run(answers.ActionOutOfScope(), after_the_desks("et a Thionville c ouvert le samedi ?"))
    intro = "Voici les 3 France services ouvertes le samedi les plus proches de Thionville"
    assert messages[0]["text"].startswith(intro)
    later = after_the_desks("c'est ouvert le samedi ?")
    later.events.append({"event": "slot", "name": "last_topic", "value": "is_it_free"})  # an answer came after them
    assert fs.hours_if_asked(CollectingDispatcher(), later) is None


def test_the_same_place_again_with_a_question_on_hours_gets_the_hours_not_the_same_list():
    """« la premiere c est ouvert quels jours? … et la secu a epinal elle peut m aider aussi? » got the same three
    desks again (persona session, 6 December 2026)."""
    asked = after_the_desks("la premiere c est ouvert quels jours? et la secu a epinal elle peut m aider aussi?",
                            "find_france_services", fs_place="Épinal (88)", fs_latitude=48.1724, fs_longitude=6.4496)
    messages, _ = run(fs.ActionFranceServicesResults(), asked)
    assert messages[0]["text"].startswith("France services Epinal :\nSes horaires de la semaine :")


def test_right_after_the_desks_whether_to_book_is_about_the_desk_not_a_medical_appointment():
    """« il faut prendre rdv ? » right after the desks near Saint-Avold got « Je ne peux pas prendre de rendez-vous
    pour vous » (a citizen chat, 6 December 2026)."""
    from actions import answers

    ranked = {"all_retrieval_intents": ["faq"], "faq": {"response": {}, "ranking": [
        {"id": "ask_appointment", "confidence": 0.9, "intent_response_key": "faq/ask_appointment"}]}}
    tracker = after_the_desks("il faut prendre rdv ?", "faq")
    tracker.latest_message["response_selector"] = ranked
    messages, _ = run(answers.ActionAnswer(), tracker)
    lines = messages[0]["text"].splitlines()
    assert lines[0] == "France services Epinal :" and lines[1] in ("Sur rendez-vous.", "Avec ou sans rendez-vous.")


def test_a_town_after_the_desks_is_a_new_search_whatever_answer_the_classifier_prefers():
    """« et vaucouleurs le samedi ? » after the desks near Commercy got the 3422's hours (7 December 2026)."""
    from actions import answers

    messages, _ = run(answers.ActionAnswer(), after_the_desks("et thaon les vosges le samedi ?", "faq"))
    assert "les plus proches de Thaon-les-Vosges" in messages[0]["text"]
