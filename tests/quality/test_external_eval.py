"""`make eval` inside `make test`: the external questions asked to a real Rasa through the REST channel.

The figures must not fall below the floors of config/thresholds.yml (section `eval`), which record the
last measured level; the issue's targets are written beside them. The reports land in reports/eval/.
"""

from __future__ import annotations

import pytest

from tools.evaluation.questions import load_questions
from tools.evaluation.report import summarize, write_reports
from tools.evaluation.runner import all_questions, ask_all, scored

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def summary(rasa_url, event_loop_session, root):
    questions = all_questions(root)
    rows = scored(event_loop_session.run_until_complete(ask_all(rasa_url, questions)), root)
    result = summarize(rows)
    write_reports(rows, result, root / "reports" / "eval")
    return result


def test_every_question_got_a_reply(summary, root):
    assert summary["total"] == len(load_questions(root / "tests" / "external" / "questions"))


def test_answers_stay_above_the_floors(summary, thresholds):
    floors = thresholds["eval"]
    below = {}
    if summary["accuracy"] < floors["min_accuracy"]:
        below["accuracy"] = summary["accuracy"]
    if summary["out_of_scope"]["rate"] < floors["min_off_topic_declined"]:
        below["off_topic_declined"] = summary["out_of_scope"]["rate"]
    if summary["in_scope_refused"] > floors["max_in_scope_refused"]:
        below["in_scope_refused"] = summary["in_scope_refused"]
    for task, counts in summary["by_task"].items():
        if counts["accuracy"] < floors["min_task_accuracy"]:
            below[task] = counts["accuracy"]
    if summary["places_team"]["accuracy"] < floors["min_places"]:
        below["places_team"] = summary["places_team"]["accuracy"]
    assert below == {}, "voir reports/eval/results.md"
