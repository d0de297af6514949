"""Three fixes to Rasa 3.6's hot path, same results, measured with `make bench` (docs/bench.md).

Profiled on a running assistant (py-spy, `rasa run`, a 200-message conversation):

- every custom action's reply is checked with ``jsonschema.validate``, which first re-checks the
  schema itself against the JSON Schema meta-schema: 20 to 45 ms per action call here, for a
  check whose schema never changes. We compile the validator once and keep the same check, the
  same error and the same message. Even compiled, the check tries each event against the 23
  alternatives of a ``oneOf``, one per event type (about 2 ms for a reply of nine events); the
  alternatives differ by the ``const`` of ``event``, so an event can only pass the one of its own
  type: we check it against that one first, and any reply this quick check refuses goes through
  the whole check, which gives Rasa's error.
- every stored event is rebuilt through ``Event.resolve_by_type``, which walks all the subclasses
  of ``Event`` for each event: a fifth of the time of a long conversation. We keep the answer of
  the first walk in a dictionary (same class, first match wins as before; an unknown name still
  goes through Rasa's own code).
- every call to the action server opens a new ``aiohttp.ClientSession`` with its own connector,
  so a new TCP connection, which the action server accepts and tears down again. We keep one
  connector per event loop, shared by the sessions (``connector_owner=False``): connections are
  reused, for less than the action server's own keep-alive (Sanic: 5 s) so that it never closes
  one we are about to reuse. Same headers, authentication and timeout as Rasa's session.

``install()`` is called by the classifier when Rasa creates or loads it (rasa_ext/nlu/linear_intent.py), so the fixes
apply wherever that model is served (rasa run, rasa shell, the tests' Agent, the bench) and to no
other model. It is idempotent; tests/unit/test_speedups.py checks both against Rasa's code.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import weakref
from typing import Any

_installed = False
KEEP_ALIVE_SECONDS = 2.0  # under Sanic's KEEP_ALIVE_TIMEOUT (5 s), the action server's
_connectors: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = weakref.WeakKeyDictionary()


@functools.lru_cache(maxsize=1)
def _response_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate did on every call
    return cls(schema)


@functools.lru_cache(maxsize=1)
def _validators_by_event_type() -> tuple[Any, dict[str, Any]] | None:
    """The reply's schema without the events' ``oneOf``, and each alternative by the event type it names.

    None when an alternative does not name exactly one type: then only the whole check is used."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    items = schema["properties"]["events"]["items"]
    by_type: dict[str, Any] = {}
    for alternative in items["oneOf"]:
        event_type = alternative.get("properties", {}).get("event", {}).get("const")
        if not isinstance(event_type, str) or event_type in by_type:
            return None
        by_type[event_type] = cls(alternative)
    without_one_of = {key: value for key, value in items.items() if key != "oneOf"}
    outer = {**schema, "properties": {**schema["properties"], "events": {**schema["properties"]["events"],
                                                                          "items": without_one_of}}}  # fmt: skip
    return cls(outer), by_type


def quickly_valid(result: Any) -> bool:
    """True only if Rasa's check accepts ``result``: each event checked against its own type's alternative."""
    split = _validators_by_event_type()
    if split is None:
        return False
    outer, by_type = split
    if not outer.is_valid(result):
        return False
    for event in result.get("events") or []:  # outer checked: each is an object whose "event" is a string
        alternative = by_type.get(event["event"])
        if alternative is None or not alternative.is_valid(event):
            return False
    return True


def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with a validator compiled once, and a quick check first."""
    from jsonschema import ValidationError, exceptions
    from rasa.shared.constants import DOCS_BASE_URL

    if quickly_valid(result):
        return True
    error = exceptions.best_match(_response_validator().iter_errors(result))
    if error is None:
        return True
    assert isinstance(error, ValidationError)
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def _cached_resolver(original: Any) -> Any:
    classes: dict[str, Any] = {}

    def resolve_by_type(type_name: str, default: Any = None) -> Any:
        if not classes:
            import rasa.shared.utils.common
            from rasa.shared.core.events import Event

            for cls in rasa.shared.utils.common.all_subclasses(Event):
                classes.setdefault(cls.type_name, cls)  # first match wins, as in Rasa's loop
        found = classes.get(type_name)
        return found if found is not None else original(type_name, default)

    resolve_by_type.__wrapped__ = original  # type: ignore[attr-defined]
    return staticmethod(resolve_by_type)


@functools.lru_cache(maxsize=1)
def _kept_connector_class() -> type:
    import aiohttp

    class KeptConnector(aiohttp.TCPConnector):
        """A connector nobody closes: it closes its idle connections itself when dropped (with its loop, or at
        exit), instead of logging « Unclosed connector »."""

        def __del__(self, *args: Any) -> None:
            if not self.closed:
                # _close marks it closed first, and does nothing more once its loop is closed; at exit, or
                # on a loop being torn down, there is nothing left to release.
                with contextlib.suppress(Exception):
                    self._close()
            super().__del__(*args)

    return KeptConnector


def kept_connector() -> Any:
    """The running loop's shared connector, made on first use (or again once closed)."""
    loop = asyncio.get_running_loop()
    connector = _connectors.get(loop)
    if connector is None or connector.closed:
        connector = _kept_connector_class()(keepalive_timeout=KEEP_ALIVE_SECONDS)
        _connectors[loop] = connector
    return connector


def _session_on_kept_connector(original: Any) -> Any:
    def session(self: Any) -> Any:
        """EndpointConfig.session, on the loop's kept connector (Rasa's own outside a loop)."""
        import aiohttp
        from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT

        try:
            connector = kept_connector()
        except RuntimeError:  # no running loop: nothing to keep a connection for
            return original(self)
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
        return aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=connector,
            connector_owner=False,
        )

    session.__wrapped__ = original  # type: ignore[attr-defined]
    return session


def install() -> None:
    """Apply the three fixes once per process."""
    global _installed
    if _installed:
        return
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event
    from rasa.utils.endpoints import EndpointConfig

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = _cached_resolver(Event.resolve_by_type)  # type: ignore[method-assign]
    EndpointConfig.session = _session_on_kept_connector(EndpointConfig.session)  # type: ignore[method-assign]
    _installed = True
