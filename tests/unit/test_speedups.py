"""rasa_ext/speedups.py: the same answers as Rasa's own code, only faster."""

from __future__ import annotations

import asyncio

import jsonschema
import pytest
import rasa.shared.utils.common
from hypothesis import given, settings
from hypothesis import strategies as st
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


# The quick check of an action's reply (each event against its own type's alternative) must never accept
# a reply Rasa's whole check refuses; what it refuses goes through the whole check.
ALTERNATIVES = RemoteAction.action_response_format_spec()["properties"]["events"]["items"]["oneOf"]
EVENT_TYPES = sorted(alternative["properties"]["event"]["const"] for alternative in ALTERNATIVES)
ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)  # fmt: skip
EVENT_KEYS = st.sampled_from(["event", "name", "value", "text", "timestamp", "metadata", "policy", "confidence",
                              "entities", "parse_data", "input_channel", "message_id", "hide_rule_turn"])  # fmt: skip
EVENTS = st.builds(
    lambda event_type, extra: {**extra, "event": event_type} if event_type is not None else extra,
    st.one_of(st.sampled_from(EVENT_TYPES), st.none(), st.integers(), st.text(max_size=4)),
    st.dictionaries(EVENT_KEYS, ODD_VALUES, max_size=4),
)
RESPONSES = st.one_of(st.lists(st.dictionaries(st.text(max_size=3), ODD_VALUES, max_size=2), max_size=2), ODD_VALUES)
REPLIES = st.one_of(
    st.fixed_dictionaries({"events": st.lists(EVENTS, max_size=4)}, optional={"responses": RESPONSES}),
    st.dictionaries(st.sampled_from(["events", "responses", "other"]), ODD_VALUES, max_size=2),
    ODD_VALUES,
)


def rasa_accepts(reply) -> bool:
    return jsonschema.Draft202012Validator(RemoteAction.action_response_format_spec()).is_valid(reply)


@settings(max_examples=400, deadline=None)
@given(REPLIES)
def test_the_quick_check_accepts_only_what_rasa_accepts(reply):
    assert rasa_speedups.quickly_valid(reply) <= rasa_accepts(reply)
    if rasa_speedups.quickly_valid(reply):
        assert RemoteAction("action_after_answer", None)._validate_action_result(reply) is True


def test_the_quick_check_accepts_the_usual_replies():
    assert rasa_speedups.quickly_valid(VALID)
    nine = {"events": [{"event": "slot", "name": f"s{i}", "value": i} for i in range(8)]
            + [{"event": "bot", "text": "ok", "data": {}}], "responses": [{"text": "ok"}]}  # fmt: skip
    assert rasa_speedups.quickly_valid(nine) and rasa_accepts(nine)
    assert not rasa_speedups.quickly_valid({"events": [{"event": "slot", "name": "x"}]})  # no value
    assert not rasa_speedups.quickly_valid({"events": [{"event": "no_such_event"}]})


def test_calls_to_the_action_server_share_one_connection():
    """Rasa opened a new session, so a new connection, for every call; two calls now use one."""
    from aiohttp import web
    from aiohttp.test_utils import TestServer
    from rasa.utils.endpoints import EndpointConfig

    peers = []

    async def webhook(request):
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response({"events": [], "responses": []})

    async def scenario():
        app = web.Application()
        app.router.add_post("/webhook", webhook)
        async with TestServer(app, host="127.0.0.1") as server:
            endpoint = EndpointConfig(f"http://127.0.0.1:{server.port}/webhook")
            for _ in range(2):
                reply = await endpoint.request(json={"next_action": "x"}, method="post")
                assert reply == {"events": [], "responses": []}
            session = endpoint.session()
            assert session.connector is rasa_speedups.kept_connector() and not session.connector_owner
            await session.close()
            assert not rasa_speedups.kept_connector().closed  # closing a session leaves the shared connector open

    asyncio.run(scenario())
    assert len(peers) == 2 and peers[0] == peers[1]  # same client port: the same connection


def test_outside_a_loop_the_session_is_rasas_own():
    from rasa.utils.endpoints import EndpointConfig

    session = rasa_speedups._session_on_kept_connector(lambda endpoint: ("rasa's own", endpoint))
    endpoint = EndpointConfig("http://127.0.0.1:1/webhook")
    assert session(endpoint) == ("rasa's own", endpoint)
