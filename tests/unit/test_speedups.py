"""rasa_ext/speedups.py: the same answers as Rasa's own code, only faster."""

from __future__ import annotations

import jsonschema
import pytest
import rasa.shared.utils.common
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, SlotSet, UserUttered

from rasa_ext import speedups as rasa_speedups

rasa_speedups.install()
ORIGINAL_RESOLVE = Event.resolve_by_type.__wrapped__


def test_install_is_idempotent_and_applied():
    rasa_speedups.install()
    assert RemoteAction._validate_action_result is rasa_speedups.validate_action_result
    assert Event.resolve_by_type.__wrapped__ is ORIGINAL_RESOLVE  # not wrapped twice


@pytest.mark.parametrize("cls", sorted(rasa.shared.utils.common.all_subclasses(Event), key=lambda c: c.__name__))
def test_every_event_type_resolves_to_rasas_class(cls):
    assert Event.resolve_by_type(cls.type_name) is ORIGINAL_RESOLVE(cls.type_name)


def test_unknown_event_types_behave_as_in_rasa():
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_events_round_trip_through_the_cached_resolver():
    events = [UserUttered("bonjour", {"name": "greet", "confidence": 1.0}), SlotSet("last_topic", "greet")]
    assert [Event.from_parameters(e.as_dict()) for e in events] == events


VALID = {"events": [{"event": "slot", "name": "fallback_count", "value": 0.0}], "responses": [{"text": "ok"}]}
INVALID = [
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": "text"},
]


def test_a_valid_action_reply_passes():
    action = RemoteAction("action_after_answer", None)
    assert action._validate_action_result(VALID) is True
    jsonschema.validate(VALID, RemoteAction.action_response_format_spec())  # Rasa's check agrees


@pytest.mark.parametrize("reply", INVALID)
def test_an_invalid_action_reply_is_refused_with_rasas_error(reply):
    with pytest.raises(jsonschema.ValidationError) as expected:
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError) as got:
        RemoteAction("action_after_answer", None)._validate_action_result(reply)
    assert got.value.message.startswith(expected.value.message)
    assert "Failed to validate Action server response" in got.value.message
    assert list(got.value.path) == list(expected.value.path)
