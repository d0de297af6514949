"""The action server serves exactly the custom actions the domain lists, each under its own class."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk.executor import ActionExecutor

from actions import actions
from actions._common import NamedAction

DOMAIN = Path(__file__).resolve().parents[2] / "domain"


def test_every_custom_action_of_the_domain_is_registered_and_nothing_else() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    custom = {name for name in Domain.load(DOMAIN).user_actions if name.startswith(("action_", "validate_"))}
    assert set(executor.actions) - {""} == custom  # "": the guide moves' base class, never called


def test_the_base_is_abstract_and_each_action_is_named_with_its_class() -> None:
    with pytest.raises(TypeError):
        NamedAction()  # type: ignore[abstract]
    assert actions.ActionStepDone().name() == "action_step_done"
    assert actions.ActionReportProblem().name() == "action_report_problem"
