"""Two fixes to Rasa 3.6's hot path, same results, measured with `make bench` (docs/bench.md).

Profiled on a running assistant (py-spy, `rasa run`, a 200-message conversation):

- every custom action's reply is checked with ``jsonschema.validate``, which first re-checks the
  schema itself against the JSON Schema meta-schema: 20 to 45 ms per action call here, for a
  check whose schema never changes. We compile the validator once and keep the same check, the
  same error and the same message.
- every stored event is rebuilt through ``Event.resolve_by_type``, which walks all the subclasses
  of ``Event`` for each event: a fifth of the time of a long conversation. We keep the answer of
  the first walk in a dictionary (same class, first match wins as before; an unknown name still
  goes through Rasa's own code).

``install()`` is called by the classifier when Rasa creates or loads it (rasa_ext/nlu/linear_intent.py), so the fixes
apply wherever that model is served (rasa run, rasa shell, the tests' Agent, the bench) and to no
other model. It is idempotent; tests/unit/test_speedups.py checks both against Rasa's code.
"""

from __future__ import annotations

import functools
from typing import Any

_installed = False


@functools.lru_cache(maxsize=1)
def _response_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate did on every call
    return cls(schema)


def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with a validator compiled once."""
    from jsonschema import ValidationError, exceptions
    from rasa.shared.constants import DOCS_BASE_URL

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


def install() -> None:
    """Apply both fixes once per process."""
    global _installed
    if _installed:
        return
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = _cached_resolver(Event.resolve_by_type)  # type: ignore[method-assign]
    _installed = True
