"""Every custom action, run against a hand-built tracker (no Rasa server needed)."""

import pytest

from actions import actions as a
from bot import situation
from tests.actions.helpers import build_tracker
from tests.actions.helpers import run_action as run_events
from tests.actions.helpers import run_for_slots as run


def tracker(intent=None, text="", ranking=None, **slots):
    return build_tracker(text, intent, ranking=ranking, **slots)


def responses(messages):
    return [m.get("response") for m in messages]


@pytest.mark.parametrize(
    ("intent", "first"),
    [
        ("activation_start", "utter_activation_step_prepare"),
        ("child_activation_start", "utter_child_activation_step_login"),
    ],
)
def test_start_procedure_picks_the_guide_from_the_intent(intent, first):
    messages, slots = run(a.ActionStartProcedure(), tracker(intent))
    assert responses(messages) == [first]
    assert messages[0]["step"] == 1
    assert slots["procedure_step"] == 0.0
    assert slots["fallback_count"] == 0.0


def test_step_done_advances_and_stores_the_step():
    messages, slots = run(a.ActionStepDone(), tracker("step_done", procedure="activation", procedure_step=3.0))
    assert responses(messages) == ["utter_activation_step_code"]
    assert (messages[0]["step"], messages[0]["total"]) == (5, 8)
    log = slots.pop("procedure_log")
    assert slots == {"procedure": "activation", "procedure_step": 4.0, "procedure_failures": 0.0, "fallback_count": 0.0,
                     "resume_offers": 0.0}  # the guide is on screen: offering it again starts over
    assert log["activation"]["reached"] == 5  # noted for the summary sheet


def test_last_step_done_finishes_and_clears_the_guide():
    messages, slots = run(a.ActionStepDone(), tracker("step_done", procedure="child_activation", procedure_step=3.0))
    assert responses(messages) == ["utter_child_activation_done"]
    assert slots["procedure"] is None and slots["procedure_step"] is None


def test_step_failed_offers_known_problems_then_help_then_escalates():
    trk = tracker("step_failed", procedure="activation", procedure_step=4.0, procedure_failures=0.0)
    messages, slots = run(a.ActionStepFailed(), trk)
    assert responses(messages) == ["utter_procedure_which_problem"]
    expired = {"title": "Code provisoire expiré", "payload": '/report_problem{"problem": "code_expired"}'}
    assert expired in messages[0]["buttons"]
    assert slots["procedure_failures"] == 1.0
    trk = tracker("step_failed", procedure="activation", procedure_step=4.0, procedure_failures=1.0)
    messages, _ = run(a.ActionStepFailed(), trk)
    assert responses(messages) == ["utter_activation_help_code"]
    trk = tracker("step_failed", procedure="activation", procedure_step=4.0, procedure_failures=2.0)
    messages, _ = run(a.ActionStepFailed(), trk)
    assert responses(messages) == ["utter_procedure_escalate"]


def test_report_problem_reads_the_entity_and_notes_it():
    trk = tracker("report_problem", procedure="activation", procedure_step=4.0, procedure_failures=1.0)
    trk.latest_message["entities"] = [{"entity": "problem", "value": "code_expired"}]
    messages, slots = run(a.ActionReportProblem(), trk)
    assert responses(messages) == ["utter_activation_problem_code_expired"]
    assert slots["procedure_failures"] == 0.0
    assert slots["procedure_log"]["activation"]["problems"] == ["code_expired"]


def test_a_citizen_without_internet_is_told_where_a_person_helps_before_the_guide():
    messages, slots = run(a.ActionStartProcedure(), tracker("activation_start", "j'ai pas internet, comment j'active"))
    assert messages[0]["text"].startswith("Sans internet chez vous") and responses(messages)[1:] == [
        "utter_activation_step_prepare"]
    assert slots["situation"] == ["no_internet"]
    messages, _ = run(a.ActionStartProcedure(), tracker("activation_start", "/activation_start",
                                                        situation=["no_internet"], audience="advisor"))  # fmt: skip
    assert responses(messages) == ["utter_activation_step_prepare"]


def test_a_new_number_is_told_to_go_to_the_caisse_before_the_activation_guide():
    """The activation guide has the code sent by SMS or e-mail to what the caisse knows: a man whose caisse has his old
    number was sent down that path (an advisor's persona session, 6 December 2026)."""
    said = "il a changé de numéro l'an dernier, comment on active son espace ?"
    messages, slots = run(a.ActionStartProcedure(), tracker("activation_start", said, audience="advisor"))
    assert messages[0]["text"].startswith("Nouveau numéro ou nouvel e-mail") and responses(messages)[1:] == [
        "utter_activation_step_prepare"]
    assert slots["situation"] == ["new_contact"]
    messages, _ = run(a.ActionStartProcedure(), tracker("activation_start", "comment j'active ?"))
    assert responses(messages) == ["utter_activation_step_prepare"]


def test_a_minor_gets_the_childs_guide_and_a_protected_adult_a_warning_before_the_guide():
    """An advisor's persona session (6 December 2026): « un jeune de 17 ans veut activer son espace » got the adult's
    guide."""
    messages, slots = run(a.ActionStartProcedure(), tracker("activation_start", "un jeune de 17 ans veut activer son "
                                                                                "espace", audience="advisor"))
    assert messages[0]["text"].startswith("Avant 18 ans") and responses(messages)[1:] == [
        "utter_child_activation_step_login"]
    assert slots["situation"] == ["minor"] and slots["procedure"] == "child_activation"
    messages, slots = run(a.ActionStartProcedure(), tracker("activation_start", "/activation_start",
                                                            situation=["protected"]))  # fmt: skip
    protected = "Sous tutelle, curatelle ou habilitation familiale"
    assert messages[0]["text"].startswith(protected) and responses(messages)[1:] == [
        "utter_activation_step_prepare"]
    assert slots["procedure"] == "activation"


def test_summary_action_sends_text_and_the_printable_sheet():
    log = {"activation": {"status": "done", "reached": 8, "total": 8, "problems": []}}
    messages, _ = run(a.ActionSummary(), tracker("ask_summary", procedure_log=log))
    assert messages[0]["text"].startswith("Fiche récapitulative")
    assert messages[0]["custom"]["summary"]["sections"][0]["heading"] == "Ce qui a été fait"
    # then how to keep it: « comment je l'imprime ? » and « par mail ? » got other answers (an advisor, 6 December 2026)
    assert [m.get("response") for m in messages[1:]] == ["utter_keep_sheet"]


def test_an_advisor_is_offered_a_new_person_under_the_sheet_a_citizen_is_not():
    messages, _ = run(a.ActionSummary(), tracker("ask_summary", audience="advisor"))
    assert messages[0]["buttons"] == [a.NEW_PERSON_BUTTON]
    messages, _ = run(a.ActionSummary(), tracker("ask_summary"))
    assert messages[0]["buttons"] == []


def test_a_new_person_forgets_everything_but_the_page_audience():
    log = {"activation": {"status": "done", "reached": 8, "total": 8, "problems": []}}
    before = tracker("new_person", audience="advisor", procedure_log=log, recent_answers=["code_missing"],
                     situation=["msa"], procedure="activation", procedure_step=2.0)  # fmt: skip
    messages, events = run_events(a.ActionNewPerson(), before)
    assert responses(messages) == ["utter_new_person"]
    assert [e["event"] for e in events] == ["reset_slots", "slot"]
    assert events[1]["name"] == "audience" and events[1]["value"] == "advisor"


def test_a_new_person_closes_an_open_france_services_search():
    """« usager suivant » while the search asks for a place: the question must not come back to the next person."""
    before = build_tracker("usager suivant", "new_person", active_loop="france_services_form", audience="advisor",
                           requested_slot="fs_place", fs_prompt="ask")  # fmt: skip
    _, events = run_events(a.ActionNewPerson(), before)
    assert events[0] == {"event": "active_loop", "timestamp": None, "name": None}
    assert [e["event"] for e in events][-2:] == ["reset_slots", "slot"]
    assert events[-1]["name"] == "audience" and events[-1]["value"] == "advisor"


def test_step_back_and_resume():
    messages, _ = run(a.ActionStepBack(), tracker("step_back", procedure="activation", procedure_step=2.0))
    assert responses(messages) == ["utter_activation_step_open"]
    messages, _ = run(
        a.ActionResumeProcedure(), tracker("resume_procedure", procedure="activation", procedure_step=2.0)
    )
    assert responses(messages) == ["utter_activation_step_card"]


def test_a_guide_stopped_by_a_problem_goes_on_when_it_is_fixed():
    """« C'était une faute de frappe, c'est passé. On reprend à l'étape 5 svp » after « Identité fausse » stopped the
    guide got « pas sûr » (an advisor, 7 December 2026): the guide goes on at the step named, or where it stopped,
    and the sheet no longer lists the problem as left to fix."""
    from bot import summary

    problem = [{"entity": "problem", "value": "identity_mismatch"}]
    _, slots = run(a.ActionReportProblem(), tracker("report_problem", procedure="activation", procedure_step=3.0,
                                                    entities=problem))  # fmt: skip
    assert slots["procedure"] is None
    journal = slots["procedure_log"]
    said = "C'était une faute de frappe, c'est passé. On reprend à l'étape 5 svp"
    messages, slots = run(a.ActionResumeProcedure(), tracker("resume_procedure", text=said, procedure_log=journal))
    assert slots["procedure"] == "activation" and slots["procedure_step"] == 4.0
    assert messages[0]["step"] == 5
    assert summary.stopped_by_a_problem(slots["procedure_log"]) is None
    sheet = summary.build(slots["procedure_log"], None, summary.datetime(2026, 12, 7)).as_text()
    assert "Point à régler" not in sheet
    _, slots = run(a.ActionResumeProcedure(), tracker("resume_procedure", text="on reprend", procedure_log=journal))
    assert slots["procedure_step"] == 3.0  # where it stopped
    # nothing stopped: still no guide
    assert responses(run(a.ActionResumeProcedure(), tracker("resume_procedure"))[0]) == ["utter_no_active_procedure"]


def test_moves_without_a_guide_show_the_menu():
    messages, slots = run(a.ActionStepDone(), tracker("step_done"))
    assert responses(messages) == ["utter_no_active_procedure"]
    assert slots["procedure"] is None
    messages, _ = run(a.ActionStepFailed(), tracker("step_failed", text="ça marche pas"))
    assert responses(messages) == ["utter_no_active_procedure"]


def test_a_question_read_as_a_guide_move_without_a_guide_gets_the_likeliest_answers():
    """Found by a newcomer: « jai telecharge lappli mais ca me demande un identifiant jen ai pas » (taken for
    « problem at this step ») got « Aucun guide n'est en cours »."""
    text = "jai telecharge lappli mais ca me demande un identifiant jen ai pas"
    messages, slots = run(a.ActionStepFailed(), tracker("step_failed", text=text))
    assert responses(messages) == ["utter_did_you_mean"] and slots["fallback_count"] == 1.0


def test_a_short_reply_to_an_answer_without_a_guide_speaks_of_that_answer():
    """« ca fait 3 semaines » after the answer on a missing result got « Aucun guide n'est en cours » (a persona, 7
    December 2026): that answer's line, the likeliest answers and a human; « c'est fait » still gets the menu."""
    likely = (("automatic_creation", 0.15), ("document_sources", 0.1))
    ranking = [{"id": u, "confidence": c, "intent_response_key": f"faq/{u}"} for u, c in likely]
    selector = {"all_retrieval_intents": ["faq"], "faq": {"response": {}, "ranking": ranking}}
    current = build_tracker("ca fait 3 semaines", "step_done", response_selector=selector,
                            recent_answers=["document_missing"], last_topic="document_missing")  # fmt: skip
    messages, _ = run(a.ActionStepDone(), current)
    assert responses(messages) == ["utter_already_answered_line"]
    assert messages[0]["title"] == "Un résultat n'est pas arrivé"
    done = build_tracker("c'est fait", "step_done", recent_answers=["document_missing"])
    assert responses(run(a.ActionStepDone(), done)[0]) == ["utter_no_active_procedure"]


def test_after_answer_offers_to_resume_only_inside_a_guide():
    messages, slots = run(a.ActionAfterAnswer(), tracker("greet", fallback_count=1.0))
    assert messages == []
    assert slots == {"fallback_count": 0.0}
    messages, _ = run(a.ActionAfterAnswer(), tracker("out_of_scope", procedure="activation", procedure_step=4.0))
    assert responses(messages) == ["utter_offer_resume"]


def test_answer_for_child_uses_the_last_answer():
    messages, slots = run(a.ActionAnswerForChild(), tracker("ask_for_child", last_topic="oppose_or_close"))
    assert "Vérifié le" in messages[0]["text"] and slots["last_topic"] == "child_close_profile"
    messages, slots = run(a.ActionAnswerForChild(), tracker("ask_for_child", last_topic="code_missing"))
    assert responses(messages) == ["utter_child_activation_step_login"]
    assert slots["procedure"] == "child_activation"
    messages, _ = run(a.ActionAnswerForChild(), tracker("ask_for_child"))
    assert responses(messages) == ["utter_ask_for_child_default"]


def test_a_follow_up_about_an_adult_relative_is_no_child_question():
    """« et pour ma mère ? » started the child's guide for a carer (persona session, 5 December 2026)."""
    likely = (("help_elderly_parent", 0.3), ("caregiver_access", 0.2), ("protected_adult", 0.1))
    ranking = [{"id": u, "confidence": c, "intent_response_key": f"faq/{u}"} for u, c in likely]
    selector = {"all_retrieval_intents": ["faq"], "faq": {"response": {}, "ranking": ranking}}
    current = build_tracker("et pour ma mère ?", "ask_for_child", response_selector=selector,
                            last_topic="code_missing")  # fmt: skip
    messages, slots = run(a.ActionAnswerForChild(), current)
    assert responses(messages)[0] == "utter_did_you_mean" and "procedure" not in slots
    assert '/faq{"answer": "help_elderly_parent"}' in [b["payload"] for b in messages[0]["buttons"]]
    for text in ("et pour moi ?", "et pour mon espace santé c'est le même ?", "et alors ?", "et mon kiné ?"):
        current = build_tracker(text, "ask_for_child", response_selector=selector, last_topic="forgot_password")
        messages, slots = run(a.ActionAnswerForChild(), current)
        assert responses(messages)[0] == "utter_did_you_mean" and "procedure" not in slots, text
    for text in ("et pour mon fils ?", "et pour mon espace santé et celui de ma fille ?", "et pour mon garçon ?",
                 "et le pédiatre de mon bébé ?"):
        current = build_tracker(text, "ask_for_child", response_selector=selector, last_topic="code_missing")
        assert run(a.ActionAnswerForChild(), current)[1]["procedure"] == "child_activation", text


def test_a_person_who_asks_what_the_assistant_keeps_is_told_how_long_and_what_is_masked(monkeypatch):
    """« et toi tu gardes ce que j'écris ici ? » got an apology, then « je suis un robot » (a mother, 7 December 2026):
    the retention the store applies ($MES_RETENTION_DAYS), in words."""
    monkeypatch.delenv("MES_RETENTION_DAYS", raising=False)
    messages, events = run_events(a.ActionAssistantPrivacy(), build_tracker("tu gardes ce que j'écris ?"))
    assert messages == [{**messages[0], "response": "utter_assistant_privacy", "retention_days": "30 jours"}]
    assert events == []
    monkeypatch.setenv("MES_RETENTION_DAYS", "7")
    messages, _ = run_events(a.ActionAssistantPrivacy(), build_tracker("tu gardes ce que j'écris ?"))
    assert messages[0]["retention_days"] == "7 jours"


def test_a_guide_that_sends_to_the_phone_names_the_video_interpreter_for_a_person_who_hears_badly():
    """« appelez le 3422 avec l'usager » after the unreadable serial number, for a man an advisor had said was very
    hard of hearing (persona session, 7 December 2026): the video interpreter follows, on the advisors' page too."""
    for audience, line in (("citizen", situation.LINES), ("advisor", situation.ADVISOR_LINES)):
        trk = tracker("report_problem", procedure="activation", procedure_step=3.0, procedure_failures=1.0,
                      situation=[situation.HARD_OF_HEARING], audience=audience)  # fmt: skip
        trk.latest_message["entities"] = [{"entity": "problem", "value": "serial_unreadable"}]
        messages, _ = run(a.ActionReportProblem(), trk)
        assert responses(messages)[0] == "utter_activation_problem_serial_unreadable"
        assert messages[-1]["text"] == line[situation.HARD_OF_HEARING]
    trk = tracker("report_problem", procedure="activation", procedure_step=3.0, procedure_failures=1.0)
    trk.latest_message["entities"] = [{"entity": "problem", "value": "serial_unreadable"}]
    assert not [m for m in run(a.ActionReportProblem(), trk)[0] if m.get("text")]  # nobody said so: nothing more
