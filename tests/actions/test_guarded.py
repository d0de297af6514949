"""An action that fails answers in French with a way to a human, never with an empty reply or a traceback."""

import logging

from rasa_sdk.events import SlotSet

from actions import answers as a
from actions._common import ACTION_FAILED, _guarded
from tests.actions.helpers import build_tracker, run_action


async def _failing_run(self, dispatcher, tracker, domain):
    dispatcher.utter_message(text="début d'une réponse")
    raise IndexError("j'ai perdu mon code 1 85 05 78 006 084 36")  # a message that may quote the person


class _Failing:
    """Not an Action subclass: the action server would register it (tests/actions/test_action_names.py)."""

    run = _guarded(_failing_run)

    def name(self):
        return "action_test_failing"


def test_a_failing_action_sends_the_french_message_and_logs_no_personal_data(caplog):
    with caplog.at_level(logging.ERROR):
        messages, events = run_action(_Failing(), build_tracker("bonjour"))
    assert [m.get("response") for m in messages] == [ACTION_FAILED]  # what was sent before the error is dropped
    assert messages[0]["hotline_hours"] and events == [SlotSet("fallback_count", 0.0)]
    assert "IndexError" in caplog.text and "action_test_failing" in caplog.text
    assert "85 05" not in caplog.text and "perdu" not in caplog.text


def test_every_action_of_the_server_is_guarded():
    for action in (a.ActionAnswer, a.ActionClarify, a.ActionOutOfScope):
        assert getattr(action.run, "guarded", False)


def test_a_follow_up_as_first_message_is_answered():
    """« Et qui y aura accès ? » as the first message of a conversation got an empty reply (IndexError on the previous
    answers, make eval of 6 December 2026)."""
    ranking = [{"id": "who_can_see", "confidence": 0.3, "intent_response_key": "faq/who_can_see"}]
    ranked = {"all_retrieval_intents": ["faq"], "faq": {"response": {}, "ranking": ranking}}
    messages, _ = run_action(a.ActionAnswer(), build_tracker("Et qui y aura accès ?", "faq", response_selector=ranked))
    assert messages and messages[0].get("response") != ACTION_FAILED
    assert messages[0]["text"].startswith(a.bank().get("who_can_see").citizen.splitlines()[0])
