"""Known problems inside the guides, the procedure specs, and the journal behind the summary sheet."""

from datetime import datetime

import pytest

from bot import procedures as p
from bot import summary
from bot.france_services.index import Point


def step_with(procedure: p.Procedure, problem: str) -> int:
    return next(i for i, s in enumerate(procedure.steps) if problem in s.problems)


def at_step(name: str, index: int) -> p.State:
    return p.State(name, index, 0)


def test_specs_are_complete():
    assert {"activation", "child_activation", "child_other_parent", "block_professional", "hide_document",
            "emergency_access", "activity_history", "oppose_or_close"} <= set(p.PROCEDURES)  # fmt: skip
    for procedure in p.PROCEDURES.values():
        assert procedure.title and procedure.summary_done and procedure.summary_left and procedure.next_steps
        for problem in procedure.problems.values():
            assert any(problem.key in s.problems for s in procedure.steps), (procedure.name, problem.key)


@pytest.mark.parametrize(
    "problem",
    ["no_code", "code_expired", "no_email", "no_mobile", "serial_unreadable", "identity_mismatch"],
)
def test_activation_covers_the_branches_advisors_meet(problem):
    assert problem in p.ACTIVATION.problems
    step_with(p.ACTIVATION, problem)


def test_failure_on_a_step_with_problems_offers_them_then_help_then_a_human():
    index = step_with(p.ACTIVATION, "code_expired")
    first = p.step_failed(at_step("activation", index))
    assert first.responses == (p.PROBLEM_CHOICE_RESPONSE,)
    payloads = [b["payload"] for b in first.buttons]
    assert '/report_problem{"problem": "code_expired"}' in payloads
    assert payloads[-1] == "/step_failed" and first.buttons[-1]["title"] == p.OTHER_PROBLEM_TITLE
    second = p.step_failed(first.state)
    assert second.responses == (p.ACTIVATION.help_response(index),)
    third = p.step_failed(second.state)
    assert third.responses == (p.ESCALATE_RESPONSE,)
    assert third.state.step == index  # the step is kept for a later resume


def test_retry_problem_shows_its_fix_and_stays_on_the_step():
    index = step_with(p.ACTIVATION, "code_expired")
    out = p.report_problem(p.State("activation", index, 1), "code_expired")
    assert out.responses == ("utter_activation_problem_code_expired",)
    assert out.state == p.State("activation", index, 0)
    assert out.event == p.Event("problem", "activation", index + 1, "code_expired")
    assert p.step_done(out.state).step == index + 2  # « Fait » moves on


def test_refer_problem_stops_the_procedure_with_a_next_action():
    problem = next(k for k, v in p.ACTIVATION.problems.items() if v.outcome == "refer")
    index = step_with(p.ACTIVATION, problem)
    out = p.report_problem(p.State("activation", index, 1), problem)
    assert out.responses == (f"utter_activation_problem_{problem}",)
    assert out.state == p.State()
    assert out.event.kind == "blocked" and out.event.problem == problem


def test_unknown_problem_asks_again_and_no_procedure_shows_the_menu():
    index = step_with(p.ACTIVATION, "code_expired")
    again = p.report_problem(p.State("activation", index, 1), "made_up")
    assert again.responses == (p.PROBLEM_CHOICE_RESPONSE,) and again.buttons
    assert p.report_problem(p.State(), "code_expired").responses == (p.NO_PROCEDURE_RESPONSE,)


def test_new_procedures_start_with_their_intro():
    out = p.start("hide_document")
    assert out.responses == ("utter_hide_document_intro", "utter_hide_document_step_" + p.PROCEDURES[
        "hide_document"].steps[0].key)  # fmt: skip
    assert out.event == p.Event("started", "hide_document", 1)


def test_spec_errors_are_reported(tmp_path):
    (tmp_path / "bad.yml").write_text("name: bad\nsteps: [{key: a, problems: [ghost]}]\n", encoding="utf-8")
    with pytest.raises(p.SpecError, match="ghost"):
        p.load_spec(tmp_path / "bad.yml")
    (tmp_path / "named.yml").write_text("name: other\nsteps: [{key: a}]\n", encoding="utf-8")
    with pytest.raises(p.SpecError, match="name"):
        p.load_spec(tmp_path / "named.yml")


# ---------------------------------------------------------------- journal and summary sheet

NOW = datetime(2026, 12, 1, 15, 0)


def desk_point(name: str, address: str, phone: str) -> Point:
    """A France Services desk as the directory gives it."""
    return Point(id="1", name=name, kind="fixed", distance_km=0.0, full_address=address, phone=phone, email="",
                 hours={}, appointment=False, comment="", dep_code="88", latitude=48.17, longitude=6.45)  # fmt: skip


def journal_of(*events: p.Event) -> summary.Journal:
    journal: summary.Journal = {}
    for event in events:
        journal = summary.record(journal, event)
    return journal


def test_journal_follows_progress_problems_and_ends():
    journal = journal_of(
        p.Event("started", "activation", 1), p.Event("step", "activation", 5),
        p.Event("problem", "activation", 5, "code_expired"), p.Event("step", "activation", 4),
    )  # fmt: skip
    assert journal["activation"] == {"status": "in_progress", "reached": 5, "total": 8, "problems": ["code_expired"]}
    done = summary.record(journal, p.Event("done", "activation", 8))
    assert done["activation"]["status"] == "done"
    assert journal["activation"]["status"] == "in_progress"  # never mutated in place
    assert summary.record("garbage", None) == {} and summary.record({"x": 1}, None) == {}


def test_sheet_for_a_finished_activation_and_a_blocked_child_profile():
    refer = next(k for k, v in p.CHILD_ACTIVATION.problems.items() if v.outcome == "refer")
    journal = journal_of(
        p.Event("started", "activation", 1), p.Event("done", "activation", 8),
        p.Event("started", "child_activation", 1), p.Event("blocked", "child_activation", 2, refer),
    )  # fmt: skip
    desk = desk_point("France services Epinal", "Place d'Avrinsart, 88000 Épinal", "03 29 00 00 00")
    sheet = summary.build(journal, desk, NOW)
    sections = dict(sheet.sections)
    assert sheet.date == "Accompagnement du 1 décembre 2026"
    assert p.ACTIVATION.summary_done in sections["Ce qui a été fait"]
    assert any("étape 2 sur" in line for line in sections["Ce qui a été fait"])
    assert f"Point à régler : {p.CHILD_ACTIVATION.problems[refer].label}." in sections["Ce qu'il reste à faire"]
    assert p.CHILD_ACTIVATION.problems[refer].next_action in sections["Vos prochaines étapes"]
    assert any("3422" in line for line in sections["Contacts utiles"])
    desk_line = "France services la plus proche : France services Epinal, Place d'Avrinsart, 88000 Épinal"
    expected = f"{desk_line}, tél. 03 29 00 00 00."
    assert expected in sections["Contacts utiles"]
    text = sheet.as_text()
    assert text.startswith("Fiche récapitulative") and "- " in text
    assert sheet.as_payload()["sections"][0]["heading"] == "Ce qui a été fait"


def test_empty_sheet_is_honest():
    sheet = summary.build(None, None, NOW)
    sections = dict(sheet.sections)
    assert sections["Ce qui a été fait"] == ["Aucune démarche n'a été suivie pas à pas pendant cet accompagnement."]
    assert len(sections["Contacts utiles"]) == 2


def test_sheet_holds_nothing_personal():
    import re

    journal = journal_of(p.Event("started", "activation", 1), p.Event("step", "activation", 3))
    text = summary.build(journal, desk_point("FS", "1 rue X", "03 00"), NOW).as_text()
    assert not re.search(r"\b[12]\s?\d{2}\s?\d{2}", text)  # no social security number shape
    assert "@" not in text


def test_button_payloads_survive_the_web_front_redaction():
    """The site redacts personal data before Rasa: the payloads of our own buttons must pass untouched."""
    from bot.privacy import find_personal_data

    payloads = ['/share_position{"latitude": 48.69, "longitude": 6.18}', '/set_audience{"audience": "advisor"}']
    for procedure in p.PROCEDURES.values():
        payloads.append(f'/start_procedure{{"procedure": "{procedure.name}"}}')
        payloads += [b["payload"] for i in range(len(procedure.steps)) for b in p.problem_buttons(procedure, i)]
    assert [payload for payload in payloads if find_personal_data(payload)] == []


def test_sheet_prints_the_answers_given(root):
    # An advisor asked for « un recap imprimable … les étapes pour masquer le doc »: the sheet said « Rien n'a été
    # commencé » and held none of the steps of the answers given (newcomers' session, 5 December 2026).
    from bot.answers.bank import BANK_FOLDER, load_bank
    from bot.answers.render import sheet_sections

    bank = load_bank(root / BANK_FOLDER)
    answers = sheet_sections(["hide_document", "no-such-answer", 3, "share_with_doctor"], bank)
    assert [title for title, _ in answers] == [bank.units["hide_document"].title, bank.units["share_with_doctor"].title]
    sheet = summary.build(None, None, NOW, answers)
    sections = dict(sheet.sections)
    hide = sections[f"Réponse : {bank.units['hide_document'].title}"]
    assert bank.units["hide_document"].citizen.splitlines()[0] in hide
    assert any(line.startswith("Plus d'infos : https://") and "(vérifié le " in line for line in hide)
    assert not any(line.startswith("Vérifié le") for line in hide)  # link and date on one line: a shorter sheet
    assert sections["Ce qu'il reste à faire"][0].startswith("Suivre les étapes des réponses")
    # what was done names the questions seen together (an advisor's sheet said « Aucune démarche n'a été suivie »)
    titles = [bank.units[u].title for u in ("hide_document", "share_with_doctor")]
    assert sections["Ce qui a été fait"] == [f"Questions vues ensemble : {titles[0]} ; {titles[1]}."]
    # the 3422 in what is left to do and in the contacts, not under every answer; numbered steps not dashed
    assert sheet.as_text().count("3422") == 2
    assert not any(line.startswith("Besoin d'aide ? Appelez le 3422") for line in hide)
    assert "\n1. " in sheet.as_text() and "- 1. " not in sheet.as_text()
    # after a finished guide, nothing is « left to do » (an advisor's sheet said to follow the answers' steps)
    done = journal_of(p.Event("started", "activation", 1), p.Event("done", "activation", 8))
    finished = dict(summary.build(done, None, NOW, answers).sections)
    assert finished["Ce qu'il reste à faire"] == ["Rien : les démarches commencées sont terminées."]
    assert [h for h, _ in sheet.sections][-2:] == ["Vos prochaines étapes", "Contacts utiles"]
    # six answers kept: the last three whole, the earlier ones by their first line and link
    six = ["hide_document", "share_with_doctor", "is_it_free", "no_email", "code_missing", "block_professional"]
    printed = sheet_sections(six, bank)
    assert [len(lines) for _, lines in printed[:3]] == [2, 2, 2]
    assert printed[0][1][0] == bank.units["hide_document"].citizen.splitlines()[0]
    assert all(len(lines) > 2 for _, lines in printed[3:])
    # a first line that announces a list (« …, dans cet ordre : ») is printed with its list (an advisor's sheet
    # stopped at the colon, persona session of 7 December 2026)
    steps = bank.units["activation_steps_overview"].citizen.splitlines()
    announced = sheet_sections(["activation_steps_overview", *six[:3]], bank)[0][1]
    assert steps[0].endswith(":") and announced[:-1] == [steps[0], *[line for line in steps[1:len(announced) - 1]]]
    assert len(announced) > 2 and all(line[0].isdigit() for line in announced[1:-1])
    assert (
        sheet_sections(None, bank) == []
        and summary.build(None, None, NOW, []).sections == summary.build(None, None, NOW).sections
    )
