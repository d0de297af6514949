"""France Services form actions, run against hand-built trackers (no Rasa server)."""

import pytest

from actions import actions as a
from actions import france_services as fs
from bot.france_services.directory import Directory
from tests.actions.helpers import build_tracker
from tests.actions.helpers import run_action as run
from tests.actions.helpers import slot_values as slots


@pytest.fixture(autouse=True)
def shipped_directory(monkeypatch):
    """Answer from the shipped CSV: these tests must not depend on a database."""
    monkeypatch.setattr(fs, "directory", lambda: Directory(None))


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


def test_ask_action_words_the_question_after_the_last_problem():
    messages, _ = run(fs.ActionAskFsPlace(), tracker(fs_prompt=None))
    assert "Dans quelle commune" in messages[0]["text"]
    messages, _ = run(fs.ActionAskFsPlace(), tracker(fs_prompt="unknown"))
    assert "Je n'ai pas trouvé cette commune" in messages[0]["text"]


def test_results_then_every_search_slot_is_cleared():
    messages, events = run(
        fs.ActionFranceServicesResults(),
        tracker(fs_place="Nancy (54)", fs_latitude=48.6921, fs_longitude=6.1844, fs_failures=1.0),
    )
    assert messages[0]["text"].startswith("Voici les 3 France services les plus proches de Nancy (54)")
    assert len(messages) == 5
    desk = slots(events).pop("fs_desk")
    assert desk["name"].startswith("France services") and set(desk) == {"name", "address", "phone"}
    cleared = {k: v for k, v in slots(events).items() if k != "fs_desk"}
    assert set(cleared.values()) == {None} and set(cleared) == set(fs.STATE_SLOTS)


def test_results_after_a_stop_explain_and_offer_a_human():
    messages, _ = run(fs.ActionFranceServicesResults(), tracker(fs_prompt="gave_up"))
    assert "3422" in messages[0]["text"]


def test_a_fixed_answer_closes_an_interrupted_search():
    _, events = run(a.ActionAfterAnswer(), tracker("bonjour", "greet", active_loop="france_services_form"))
    assert {"event": "active_loop", "name": None} in [{k: e.get(k) for k in ("event", "name")} for e in events]
    _, events = run(a.ActionAfterAnswer(), tracker("bonjour", "greet"))
    assert all(e.get("event") != "active_loop" for e in events)
