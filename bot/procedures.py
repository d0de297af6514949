"""Guided procedures: ordered steps shown one at a time, with a help text per step.

A procedure is pure data (its step keys); the texts live in ``domain.yml`` as
``utter_<procedure>_step_<key>``, ``utter_<procedure>_help_<key>`` and
``utter_<procedure>_done``. The functions here compute the next state and the
response to show; they never touch Rasa, so they can be unit-tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass

ESCALATE_RESPONSE = "utter_procedure_escalate"
NO_PROCEDURE_RESPONSE = "utter_no_active_procedure"
FIRST_STEP_RESPONSE = "utter_procedure_first_step"

# After this many failures on the same step, the guide stops insisting and
# hands over to a human (3422, France Services) instead of looping.
FAILURES_BEFORE_ESCALATION = 2


@dataclass(frozen=True)
class Procedure:
    """An ordered list of step keys, named after its Rasa responses."""

    name: str
    steps: tuple[str, ...]

    def step_response(self, index: int) -> str:
        return f"utter_{self.name}_step_{self.steps[index]}"

    def help_response(self, index: int) -> str:
        return f"utter_{self.name}_help_{self.steps[index]}"

    @property
    def done_response(self) -> str:
        return f"utter_{self.name}_done"

    def responses(self) -> list[str]:
        """Every response name the procedure needs in the domain."""
        names = [self.step_response(i) for i in range(len(self.steps))]
        names += [self.help_response(i) for i in range(len(self.steps))]
        return [*names, self.done_response]


ACTIVATION = Procedure(
    name="activation",
    steps=("prepare", "open", "card", "identity", "code", "terms", "contact", "credentials"),
)
CHILD_ACTIVATION = Procedure(
    name="child_activation",
    steps=("login", "add_profile", "choose", "confirm"),
)

PROCEDURES: dict[str, Procedure] = {p.name: p for p in (ACTIVATION, CHILD_ACTIVATION)}

# The intent that starts each procedure.
START_INTENTS: dict[str, str] = {
    "activation_start": ACTIVATION.name,
    "child_activation_start": CHILD_ACTIVATION.name,
}


@dataclass(frozen=True)
class State:
    """Where the user is: no procedure (name None), or a step index and its failures."""

    name: str | None = None
    step: int = 0
    failures: int = 0

    @property
    def procedure(self) -> Procedure | None:
        return PROCEDURES.get(self.name) if self.name else None


@dataclass(frozen=True)
class Outcome:
    """What to show (in order) and the state to store."""

    responses: tuple[str, ...]
    state: State
    step: int | None = None  # 1-based number shown as "Étape k sur n"
    total: int | None = None


def state_from_slots(name: object, step: object, failures: object) -> State:
    """Rebuild a state from slot values, ignoring anything inconsistent."""
    procedure = PROCEDURES.get(name) if isinstance(name, str) else None
    if procedure is None:
        return State()
    index = _as_int(step)
    if not 0 <= index < len(procedure.steps):
        return State()
    return State(procedure.name, index, max(_as_int(failures), 0))


def _as_int(value: object) -> int:
    try:
        return int(float(value))  # slots arrive as floats or strings
    except (TypeError, ValueError):
        return -1


def _show_step(state: State, *before: str) -> Outcome:
    procedure = state.procedure
    assert procedure is not None
    return Outcome(
        responses=(*before, procedure.step_response(state.step)),
        state=state,
        step=state.step + 1,
        total=len(procedure.steps),
    )


def start(name: str) -> Outcome:
    """Begin a procedure at its first step (restarting it if already running)."""
    if name not in PROCEDURES:
        raise KeyError(name)
    return _show_step(State(name, 0, 0))


def step_done(state: State) -> Outcome:
    """The user finished the current step: show the next one, or the end."""
    procedure = state.procedure
    if procedure is None:
        return Outcome((NO_PROCEDURE_RESPONSE,), State())
    if state.step + 1 >= len(procedure.steps):
        return Outcome((procedure.done_response,), State())
    return _show_step(State(state.name, state.step + 1, 0))


def step_failed(state: State) -> Outcome:
    """The current step failed: first its help, then a human instead of looping."""
    procedure = state.procedure
    if procedure is None:
        return Outcome((NO_PROCEDURE_RESPONSE,), State())
    failures = state.failures + 1
    new_state = State(state.name, state.step, failures)
    if failures >= FAILURES_BEFORE_ESCALATION:
        return Outcome((ESCALATE_RESPONSE,), new_state)
    return Outcome((procedure.help_response(state.step),), new_state)


def step_back(state: State) -> Outcome:
    """Go back one step (or repeat the first one)."""
    if state.procedure is None:
        return Outcome((NO_PROCEDURE_RESPONSE,), State())
    if state.step == 0:
        return _show_step(State(state.name, 0, 0), FIRST_STEP_RESPONSE)
    return _show_step(State(state.name, state.step - 1, 0))


def resume(state: State) -> Outcome:
    """Show the current step again, after a detour through other questions."""
    if state.procedure is None:
        return Outcome((NO_PROCEDURE_RESPONSE,), State())
    return _show_step(State(state.name, state.step, 0))
