"""Guided procedures: ordered steps shown one at a time, with help, known problems and a way out.

A procedure is data: one file per guide, ``data/guides/<name>.yml`` (steps, known problems, what
the summary sheet says, and every text). ``bot/guides.py`` turns its texts into the responses of
``domain/guides.yml``: ``utter_<name>_step_<key>``, ``utter_<name>_help_<key>``,
``utter_<name>_problem_<problem>``, ``utter_<name>_done`` and, for some, ``utter_<name>_intro``, each
with an advisor variation (slot ``audience``). The functions here compute the next state and the
responses to show; they never touch Rasa.

When a step fails: its known problems are offered as buttons (else its help); a second failure
shows the help; one more hands over to a human. A problem either has a fix to try on the spot
("retry") or cannot be solved here ("refer"): the procedure then stops with a next action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.guides import GUIDES, SpecError, check_texts, expand, guide_files, read
from bot.text import normalize

SPECS = GUIDES
ESCALATE_RESPONSE = "utter_procedure_escalate"
NO_PROCEDURE_RESPONSE = "utter_no_active_procedure"
FIRST_STEP_RESPONSE = "utter_procedure_first_step"
PROBLEM_CHOICE_RESPONSE = "utter_procedure_which_problem"
OTHER_PROBLEM_TITLE = "Autre problème"
OUTCOMES = ("retry", "refer")


@dataclass(frozen=True)
class Problem:
    """A known way a step can fail, offered as a button."""

    key: str
    label: str
    outcome: str  # "retry": fix on the spot, same step; "refer": stop here, next action elsewhere
    next_action: str = ""  # refer only: what the citizen does next (summary sheet)


@dataclass(frozen=True)
class Step:
    key: str
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Procedure:
    """Steps, known problems and summary texts of one guided procedure."""

    name: str
    title: str
    steps: tuple[Step, ...]
    problems: dict[str, Problem] = field(default_factory=dict)
    intro: bool = False
    summary_done: str = ""
    summary_left: str = ""
    next_steps: tuple[str, ...] = ()

    def step_response(self, index: int) -> str:
        return f"utter_{self.name}_step_{self.steps[index].key}"

    def help_response(self, index: int) -> str:
        return f"utter_{self.name}_help_{self.steps[index].key}"

    def problem_response(self, key: str) -> str:
        return f"utter_{self.name}_problem_{key}"

    @property
    def done_response(self) -> str:
        return f"utter_{self.name}_done"

    @property
    def intro_response(self) -> str:
        return f"utter_{self.name}_intro"

    def responses(self) -> list[str]:
        """Every response name the procedure needs in the domain."""
        names = [self.step_response(i) for i in range(len(self.steps))]
        names += [self.help_response(i) for i in range(len(self.steps))]
        names += [self.problem_response(key) for key in self.problems]
        names.append(self.done_response)
        return [*names, self.intro_response] if self.intro else names


def load_spec(path: Path) -> Procedure:
    """Read and check one guide file: its structure, then that every text exists for both audiences."""
    data: dict[str, Any] = read(path)
    name = data.get("name")
    if name != path.stem:
        raise SpecError(f"{path.name}: name must be {path.stem!r}")
    problems = {
        key: Problem(key, str(p["label"]), str(p["outcome"]), expand(str(p.get("next_action") or "")))
        for key, p in (data.get("problems") or {}).items()
    }
    for problem in problems.values():
        if problem.outcome not in OUTCOMES or (problem.outcome == "refer" and not problem.next_action):
            raise SpecError(f"{path.name}: problem {problem.key} needs outcome retry|refer (refer: next_action)")
    steps = tuple(Step(str(s["key"]), tuple(s.get("problems") or ())) for s in data.get("steps") or [])
    if not steps:
        raise SpecError(f"{path.name}: no steps")
    unknown = {p for s in steps for p in s.problems} - set(problems)
    if unknown:
        raise SpecError(f"{path.name}: unknown problems {sorted(unknown)}")
    check_texts(path, data)
    summary = data.get("summary") or {}
    if not all(isinstance(s, str) for s in summary.get("next_steps") or ()):
        raise SpecError(f"{path.name}: summary next_steps must be texts (quote a line holding « : »)")
    return Procedure(
        name=name,
        title=str(data.get("title") or name),
        steps=steps,
        problems=problems,
        intro=bool(data.get("intro", False)),
        summary_done=expand(str(summary.get("done") or "")),
        summary_left=expand(str(summary.get("left") or "")),
        next_steps=tuple(expand(str(s)) for s in summary.get("next_steps") or ()),
    )


def load_all(folder: Path = SPECS) -> dict[str, Procedure]:
    """Every procedure of ``folder``, by name."""
    return {p.name: p for p in (load_spec(path) for path in guide_files(folder))}


PROCEDURES: dict[str, Procedure] = load_all()
ACTIVATION = PROCEDURES["activation"]
CHILD_ACTIVATION = PROCEDURES["child_activation"]

# Intents that start a procedure directly; any procedure also starts with /start_procedure{"procedure": name}.
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
class Event:
    """What happened, for the summary sheet: started, step, problem, done or blocked."""

    kind: str
    procedure: str
    step: int = 0  # 1-based step reached
    problem: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What to show (in order), the state to store, and what to remember for the summary."""

    responses: tuple[str, ...]
    state: State
    step: int | None = None  # 1-based number shown as "Étape k sur n"
    total: int | None = None
    buttons: tuple[dict[str, str], ...] = ()  # dynamic buttons for the last response (problem choice)
    event: Event | None = None


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


def _show_step(state: State, *before: str, kind: str = "step") -> Outcome:
    procedure = state.procedure
    assert procedure is not None
    return Outcome(
        responses=(*before, procedure.step_response(state.step)),
        state=state,
        step=state.step + 1,
        total=len(procedure.steps),
        event=Event(kind, procedure.name, state.step + 1),
    )


def _no_procedure() -> Outcome:
    return Outcome((NO_PROCEDURE_RESPONSE,), State())


def start(name: str) -> Outcome:
    """Begin a procedure at its first step (restarting it if already running)."""
    procedure = PROCEDURES[name]
    intro = (procedure.intro_response,) if procedure.intro else ()
    return _show_step(State(name, 0, 0), *intro, kind="started")


def step_done(state: State) -> Outcome:
    """The user finished the current step: show the next one, or the end."""
    procedure = state.procedure
    if procedure is None:
        return _no_procedure()
    if state.step + 1 >= len(procedure.steps):
        return Outcome((procedure.done_response,), State(), event=Event("done", procedure.name, len(procedure.steps)))
    return _show_step(State(state.name, state.step + 1, 0))


def problem_buttons(procedure: Procedure, index: int) -> tuple[dict[str, str], ...]:
    """The known problems of a step as buttons, then « Autre problème »."""
    buttons = [
        {"title": procedure.problems[key].label, "payload": f'/report_problem{{"problem": "{key}"}}'}
        for key in procedure.steps[index].problems
    ]
    return (*buttons, {"title": OTHER_PROBLEM_TITLE, "payload": "/step_failed"})


def step_failed(state: State) -> Outcome:
    """The current step failed: its known problems (or help), then its help, then a human."""
    procedure = state.procedure
    if procedure is None:
        return _no_procedure()
    failures = state.failures + 1
    new_state = replace(state, failures=failures)
    has_problems = bool(procedure.steps[state.step].problems)
    if has_problems and failures == 1:
        return Outcome((PROBLEM_CHOICE_RESPONSE,), new_state, buttons=problem_buttons(procedure, state.step))
    if failures < (3 if has_problems else 2):
        return Outcome((procedure.help_response(state.step),), new_state)
    return Outcome((ESCALATE_RESPONSE,), new_state)


def report_problem(state: State, key: object) -> Outcome:
    """The user picked a known problem: its fix (same step), or its next action (the procedure stops)."""
    procedure = state.procedure
    if procedure is None:
        return _no_procedure()
    problem = procedure.problems.get(key) if isinstance(key, str) else None
    if problem is None:
        return Outcome((PROBLEM_CHOICE_RESPONSE,), state, buttons=problem_buttons(procedure, state.step))
    response = (procedure.problem_response(problem.key),)
    step = state.step + 1
    if problem.outcome == "refer":
        return Outcome(response, State(), event=Event("blocked", procedure.name, step, problem.key))
    return Outcome(response, replace(state, failures=0), event=Event("problem", procedure.name, step, problem.key))


def step_back(state: State) -> Outcome:
    """Go back one step (or repeat the first one)."""
    if state.procedure is None:
        return _no_procedure()
    if state.step == 0:
        return _show_step(State(state.name, 0, 0), FIRST_STEP_RESPONSE)
    return _show_step(State(state.name, state.step - 1, 0))


# « on reprend à l'étape 5 », « retour etape 3 » (an advisor, 7 December 2026), read on normalised text
_STEP_NUMBER = re.compile(r"\betape (\d{1,2})\b")


def resume(state: State, text: str = "") -> Outcome:
    """Show the current step again, after a detour through other questions; or the step ``text`` names by its number
    (« on reprend à l'étape 5 ») when the guide has it."""
    procedure = state.procedure
    if procedure is None:
        return _no_procedure()
    named = _STEP_NUMBER.search(normalize(text))
    number = int(named.group(1)) if named else 0
    return _show_step(State(state.name, number - 1 if 1 <= number <= len(procedure.steps) else state.step, 0))
