"""Scoring of the external evaluation: the reply a person reads, not the intent."""

import json

import pytest
import yaml

from tools.evaluation.questions import QuestionError, load_questions
from tools.evaluation.report import summarize, write_reports
from tools.evaluation.scoring import Verdict, declined, missing_facts, nearest_desks, score

DECLINE = "Je ne réponds qu'aux questions sur Mon espace santé.\nPour le reste : service-public.fr."
UNSURE = "Je ne suis pas sûr de comprendre votre question.\nVoici les réponses les plus proches."


def questions(tmp_path, *items):
    (tmp_path / "q.yml").write_text(yaml.safe_dump({"questions": list(items)}, allow_unicode=True), encoding="utf-8")
    return load_questions(tmp_path)


BASE = {"id": "x-1", "text": "J'ai perdu mon code", "source": "https://example.org/faq", "task": "activation",
        "facts": [["nouveau code"], ["SMS", "e-mail"]]}  # fmt: skip


def test_facts_ignore_case_accents_and_punctuation():
    assert missing_facts("Demandez un NOUVEAU code, par sms.", (("nouveau code",), ("SMS", "e-mail"))) == []
    assert missing_facts("Demandez un code.", (("nouveau code",),)) == [("nouveau code",)]


def test_an_answer_is_right_only_with_every_fact(tmp_path):
    (q,) = questions(tmp_path, BASE)
    assert score(q, "Demandez un nouveau code par e-mail.").correct
    wrong = score(q, "Votre code est expiré.")
    assert not wrong.correct and not wrong.declined and "nouveau code" in wrong.reason


def test_declining_an_answerable_question_is_wrong_and_counted_as_refused(tmp_path):
    (q,) = questions(tmp_path, BASE)
    assert score(q, UNSURE) == Verdict(False, True, "a décliné ou n'a pas compris")


@pytest.mark.parametrize("reply", [DECLINE, UNSURE])
def test_off_topic_questions_must_be_declined(tmp_path, reply):
    (q,) = questions(tmp_path, {**BASE, "task": "off_topic", "facts": None})
    assert q.expect == "decline" and score(q, reply).correct
    assert not score(q, "Demandez un nouveau code par e-mail.").correct


def test_without_an_answer_in_the_knowledge_only_an_honest_not_sure_is_right(tmp_path):
    (q,) = questions(tmp_path, {**BASE, "facts": []})
    assert score(q, UNSURE).correct and not score(q, "Appelez le 3422.").correct


def test_places_expect_the_nearest_desks_computed_from_the_open_data(tmp_path, root):
    (q,) = questions(tmp_path, {**BASE, "task": "help", "expect": "places", "insee": "88383", "facts": None})
    desks = nearest_desks("88383", root)
    assert desks[0] == "France services Pays de Remiremont"
    assert score(q, f"Voici les 3 France services les plus proches :\n1. {desks[0]}", root).correct
    assert not score(q, "Appelez le 3422.", root).correct


def test_markers_are_the_assistants_own_sentences(domain):
    # the text a citizen reads (make eval asks as a citizen): the variation without a condition
    texts = {name: next(v["text"] for v in variations if not v.get("condition"))
             for name, variations in domain["responses"].items()}  # fmt: skip
    assert declined(texts["utter_out_of_scope"]) and declined(texts["utter_did_you_mean"])
    assert declined(texts["utter_rephrase"]) and declined(texts["utter_clarify_failed"])
    assert not declined(texts["utter_greet"])


@pytest.mark.parametrize(("change", "message"), [({"source": None}, "obligatoires"), ({"task": "x"}, "task"),
                                                  ({"expect": "places", "insee": None}, "INSEE")])  # fmt: skip
def test_bad_questions_are_refused(tmp_path, change, message):
    with pytest.raises(QuestionError, match=message):
        questions(tmp_path, {**BASE, **change})


def test_the_split_is_fixed_by_the_id(tmp_path):
    items = [{**BASE, "id": f"x-{i}"} for i in range(200)]
    first = [q.split for q in questions(tmp_path, *items)]
    assert first == [q.split for q in questions(tmp_path, *items)] and 30 < first.count("dev") < 90
    halves = [q.half for q in questions(tmp_path, *items)]
    assert all((half is None) == (split == "dev") for half, split in zip(halves, first, strict=True))
    assert 40 < halves.count("A") < 100 and 40 < halves.count("B") < 100


def test_summary_and_reports(tmp_path):
    qs = questions(tmp_path, BASE, {**BASE, "id": "x-2", "task": "off_topic", "facts": None},
                   {**BASE, "id": "x-3", "task": "children"})  # fmt: skip
    replies = ["un nouveau code par SMS", DECLINE, UNSURE]
    pairs = zip(qs, replies, strict=True)
    rows = [{"question": q, "reply": r, "verdict": score(q, r), "seconds": 0.1} for q, r in pairs]
    summary = summarize(rows)
    assert (summary["total"], summary["correct"]) == (3, 2)
    assert summary["out_of_scope"] == {"total": 1, "declined": 1, "rate": 1.0}
    assert summary["in_scope_refused"] == 0.5 and summary["by_task"]["children"]["accuracy"] == 0.0
    splits = summary["splits"]
    assert splits["test A"]["total"] + splits["test B"]["total"] == splits["test"]["total"]
    write_reports(rows, summary, tmp_path / "out")
    assert json.loads((tmp_path / "out" / "results.json").read_text())["total"] == 3
    assert (
        "x-3" in (tmp_path / "out" / "results.md").read_text()
        and "x-1 " not in (tmp_path / "out" / "results.md").read_text()
    )
