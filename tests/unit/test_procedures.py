"""The guide state machine: order, help then escalation, back, resume."""

import pytest

from bot import procedures as p


def walk(outcome: p.Outcome, move, times: int) -> p.Outcome:
    for _ in range(times):
        outcome = move(outcome.state)
    return outcome


def test_start_shows_first_step_with_progress():
    out = p.start("activation")
    assert out.responses == ("utter_activation_step_prepare",)
    assert (out.step, out.total) == (1, 8)
    assert out.state == p.State("activation", 0, 0)


def test_unknown_procedure_is_refused():
    with pytest.raises(KeyError):
        p.start("nope")


def test_done_walks_every_step_in_order_then_finishes():
    out = p.start("activation")
    seen = [out.responses[0]]
    for _ in range(7):
        out = p.step_done(out.state)
        seen.append(out.responses[0])
    assert seen == [f"utter_activation_step_{s.key}" for s in p.ACTIVATION.steps]
    assert out.step == 8
    end = p.step_done(out.state)
    assert end.responses == ("utter_activation_done",)
    assert end.state == p.State()


def plain_step() -> p.State:
    """A step without known problems (its failures go straight to help, then to a human)."""
    name, index = next(
        (proc.name, i) for proc in p.PROCEDURES.values() for i, s in enumerate(proc.steps[:-1]) if not s.problems
    )
    return p.State(name, index, 0)


def test_first_failure_gives_the_step_help_second_escalates_and_keeps_the_step():
    state = plain_step()
    procedure = state.procedure
    first = p.step_failed(state)
    assert first.responses == (procedure.help_response(state.step),)
    second = p.step_failed(first.state)
    assert second.responses == (p.ESCALATE_RESPONSE,)
    assert second.state.step == state.step
    # After the escalation the user can still go on once the problem is solved.
    assert p.step_done(second.state).responses == (procedure.step_response(state.step + 1),)


def test_success_resets_the_failure_count():
    state = plain_step()
    out = p.step_done(p.step_failed(state).state)
    assert out.state.failures == 0


def test_back_goes_one_step_back_and_stops_at_the_first():
    out = walk(p.start("activation"), p.step_done, 3)
    back = p.step_back(out.state)
    assert back.responses == ("utter_activation_step_card",) and back.step == 3
    first = p.step_back(p.start("activation").state)
    assert first.responses == (p.FIRST_STEP_RESPONSE, "utter_activation_step_prepare")


def test_resume_repeats_the_current_step():
    out = walk(p.start("child_activation"), p.step_done, 2)
    again = p.resume(out.state)
    assert again.responses == ("utter_child_activation_step_choose",)
    assert (again.step, again.total) == (3, 4)


@pytest.mark.parametrize("move", [p.step_done, p.step_failed, p.step_back, p.resume])
def test_moves_without_a_procedure_offer_the_menu(move):
    out = move(p.State())
    assert out.responses == (p.NO_PROCEDURE_RESPONSE,)
    assert out.state == p.State()


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        (("activation", 2.0, 1.0), p.State("activation", 2, 1)),
        (("activation", "3", None), p.State("activation", 3, 0)),
        (("activation", 99.0, 0.0), p.State()),
        (("activation", -1.0, 0.0), p.State()),
        (("unknown", 0.0, 0.0), p.State()),
        ((None, None, None), p.State()),
        (("child_activation", "abc", 0), p.State()),
    ],
)
def test_state_from_slots_ignores_inconsistent_values(slots, expected):
    assert p.state_from_slots(*slots) == expected


def test_every_procedure_lists_all_its_responses():
    for procedure in p.PROCEDURES.values():
        names = procedure.responses()
        expected = 2 * len(procedure.steps) + len(procedure.problems) + 1 + int(procedure.intro)
        assert len(names) == len(set(names)) == expected
        assert procedure.done_response in names
