"""Whole conversations through the trained model and a real action server: what the user reads."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture
def chat(agent, event_loop_session):
    sender = f"test-{uuid.uuid4().hex}"

    def say(text: str) -> list[dict]:
        replies = event_loop_session.run_until_complete(agent.handle_text(text, sender_id=sender))
        assert replies, f"no answer to {text!r}"
        for reply in replies:
            assert "Traceback" not in reply.get("text", "")
        return replies

    return say


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def payloads(replies: list[dict]) -> list[str]:
    return [b["payload"] for r in replies for b in r.get("buttons", [])]


def test_activation_guide_advances_fails_escalates_and_resumes(chat):
    assert "Étape 1 sur 8" in texts(chat("je veux activer mon espace santé"))
    assert "Étape 2 sur 8" in texts(chat("/step_done"))
    for step in range(3, 6):
        assert f"Étape {step} sur 8" in texts(chat("/step_done"))
    first = chat("/step_failed")  # the code step's known problems, then « Autre problème »
    assert '/report_problem{"problem": "code_expired"}' in payloads(first) and "/step_failed" in payloads(first)
    help_ = chat("/step_failed")
    assert "Étape" not in texts(help_) and "/step_done" in payloads(help_)  # the code step's help
    second = texts(chat("/step_failed"))
    assert "3422" in second and "France Services" in second
    assert "Étape 5 sur 8" in texts(chat("/resume_procedure"))
    for step in range(6, 9):
        assert f"Étape {step} sur 8" in texts(chat("/step_done"))
    done = chat("/step_done")
    assert "activé" in texts(done)
    assert "Aucun guide" in texts(chat("/step_done")) or "/activation_start" in payloads(chat("/step_done"))


def test_a_question_inside_a_guide_offers_to_resume(chat):
    chat("/activation_start")
    chat("/step_done")
    detour = chat('/faq{"answer": "carte_vitale_serial"}')
    assert "/resume_procedure" in payloads(detour)
    assert "Étape 2 sur 8" in texts(chat("/resume_procedure"))
    assert "Étape 1 sur 8" in texts(chat("/step_back"))


def test_follow_up_for_a_child_uses_the_context(chat):
    chat('/faq{"answer": "code_missing"}')
    assert "Étape 1 sur 4" in texts(chat("et pour mon fils ?"))


def test_child_guide_escalates_instead_of_looping(chat):
    chat("/child_activation_start")
    chat("/step_done")
    chat("/step_done")
    failures = [texts(chat("/step_failed")) for _ in range(3)]
    assert any("3422" in text for text in failures)  # a human within three failures, never a loop


def test_not_understood_twice_offers_a_human(chat):
    first = chat("/nlu_fallback")  # no ranking at all: asked to rephrase, with topics to pick
    assert "compris" in texts(first) and '/faq{"answer": "ask_human"}' in payloads(first)
    second = texts(chat("/nlu_fallback"))
    assert "3422" in second and "France Services" in second


def test_refusing_suggestions_offers_a_human(chat):
    chat("/nlu_fallback")  # not sure: asked to rephrase, with topics to pick
    assert "3422" in texts(chat("/deny_suggestions"))


def test_a_refusal_with_nothing_offered_is_not_a_second_failure(chat):
    """« Aucune de ces réponses » as a first message (« mais c est pas une arnaque votre lettre ? » was read so)."""
    reply = texts(chat("/deny_suggestions"))
    assert "toujours pas" not in reply and ("compris" in reply or "proches" in reply)


@pytest.mark.parametrize("text", ["", "   ", "???", "zzzzzz qqqq"])
def test_empty_or_meaningless_messages_get_a_clear_french_answer(chat, text):
    reply = texts(chat(text))
    assert "compris" in reply or "3422" in reply


def test_emergency_comes_first_even_inside_a_guide(chat):
    chat("/activation_start")
    reply = chat("je crois que ma mère fait un AVC, sa bouche est de travers")
    assert reply[0]["text"].startswith("Urgence")
    assert "15" in reply[0]["text"] and "112" in reply[0]["text"]


def test_every_answer_carries_an_official_link(chat):
    for intent in ("code_missing", "who_can_see", "oppose_or_close", "child_other_parent", "what_is_mes"):
        reply = texts(chat(f'/faq{{"answer": "{intent}"}}'))
        assert "Plus d'infos : https://" in reply and "Vérifié le" in reply


# ---------------------------------------------------------------- France Services search


def test_france_services_in_one_message(chat):
    replies = chat("une France services près de Épinal")
    text = texts(replies)
    assert "Voici les 3 France services les plus proches d'Épinal (88)" in text
    assert text.count("Plan : https://www.openstreetmap.org/?mlat=") == 3
    assert "Aujourd'hui" in text and "août 2024" in text
    assert "/find_france_services" in payloads(replies)


def test_france_services_step_by_step_then_another_place(chat):
    question = chat("je cherche une france services")
    assert "Dans quelle commune" in texts(question)
    assert "/share_position" in payloads(question)
    assert "proches d'Épinal (88)" in texts(chat("88000"))
    assert "proches de Nancy (54)" in texts(chat("et à Nancy ?"))


def test_france_services_dont_know_then_position(chat):
    chat("/find_france_services")
    help_ = chat("je ne sais pas")
    assert "code postal" in texts(help_) and "/share_position" in payloads(help_)
    result = texts(chat('/share_position{"latitude": 48.6921, "longitude": 6.1844}'))
    assert "proches de votre position" in result and "Nancy" in result


def test_france_services_ambiguous_name_answers_for_the_biggest_and_offers_the_others(chat):
    chat("/find_france_services")
    first = chat("Valence")
    assert "proches de Valence (26)" in texts(first) and "pas la bonne commune" in texts(first)
    assert "Valence 82" in payloads(first) and "Valence 26" not in payloads(first)
    assert "proches de Valence (82)" in texts(chat("Valence 82"))


def test_a_place_in_a_help_request_gives_the_nearest_desks(chat):
    reply = texts(chat("je suis à Remiremont, qui peut m'aider ?"))
    assert "proches de Remiremont (88)" in reply and "France services Pays de Remiremont" in reply


def test_france_services_bad_places_get_second_chances_then_a_human(chat):
    chat("/find_france_services")
    assert "Je n'ai pas trouvé cette commune" in texts(chat("<script>alert('x')</script>"))
    assert "Ce code postal n'existe pas" in texts(chat("99999"))
    outside = texts(chat('/share_position{"latitude": 51.5072, "longitude": -0.1276}'))
    assert "hors de France" not in outside  # third failure: the search stops instead of looping
    assert "3422" in outside and "mairie" in outside
    assert "Voici" not in outside


def test_france_services_position_outside_france(chat):
    chat("/find_france_services")
    assert "hors de France" in texts(chat('/share_position{"latitude": 40.4168, "longitude": -3.7038}'))


def test_france_services_search_can_be_stopped_or_left(chat):
    chat("/find_france_services")
    assert "j'arrête la recherche" in texts(chat("arrêter"))
    chat("/find_france_services")
    assert "Étape 1 sur 8" in texts(chat("je veux activer mon espace santé"))
    assert "Étape 2 sur 8" in texts(chat("/step_done"))  # the search is over, the guide goes on


def test_france_services_reachable_when_a_step_fails(chat):
    chat("/activation_start")
    chat("/step_failed")
    escalation = chat("/step_failed")
    assert "/find_france_services" in payloads(escalation)
    chat("/find_france_services")
    result = chat("Golbey")
    assert "proches de Golbey (88)" in texts(result)
    assert "/resume_procedure" in payloads(result)


# ---------------------------------------------------------------- advisor audience (France Services staff)


@pytest.fixture
def advisor(chat):
    welcome = chat('/set_audience{"audience": "advisor"}')
    assert "Mode accompagnement" in texts(welcome)
    return chat


def test_citizen_wording_without_the_audience_slot(agent, event_loop_session):
    def run(sender: str, *messages: str) -> list[dict]:
        replies = []
        for message in messages:
            replies = event_loop_session.run_until_complete(agent.handle_text(message, sender_id=sender))
        return replies

    citizen = run(f"c-{uuid.uuid4().hex}", "/activation_start")
    advisor = run(f"a-{uuid.uuid4().hex}", '/set_audience{"audience": "advisor"}', "/activation_start")
    assert "Étape 1 sur 8" in texts(citizen) and "Étape 1 sur 8" in texts(advisor)
    assert texts(citizen) != texts(advisor)
    assert "usager" in texts(advisor).lower() and "usager" not in texts(citizen).lower()
    assert "/step_done" in payloads(citizen) and "/step_done" in payloads(advisor)
    assert [b["title"] for r in advisor for b in r.get("buttons", [])][:2] == ["Fait", "Problème"]


def test_activation_without_code_and_without_email_end_to_end(advisor):
    """The issue's "done when": an advisor runs an activation with a citizen who has no code and no e-mail."""
    from bot import procedures

    steps = [s.key for s in procedures.ACTIVATION.steps]
    assert "Étape 1 sur 8" in texts(advisor('/start_procedure{"procedure": "activation"}'))
    for index, key in enumerate(steps):
        if key == "prepare":
            choice = advisor("/step_failed")
            assert '/report_problem{"problem": "no_email"}' in payloads(choice)
            fix = advisor('/report_problem{"problem": "no_email"}')
            assert "/step_done" in payloads(fix)
        if key == "code":
            advisor("/step_failed")
            fix = advisor('/report_problem{"problem": "no_code"}')
            assert "/step_done" in payloads(fix)
        reply = advisor("/step_done")
        if index + 1 < len(steps):
            assert f"Étape {index + 2} sur 8" in texts(reply)
    assert "/ask_summary" in payloads(reply)  # the end offers the summary sheet
    sheet = advisor("/ask_summary")
    text = texts(sheet)
    assert "Fiche récapitulative" in text and procedures.ACTIVATION.summary_done in text
    assert "3422" in text and "Vos prochaines étapes" in text
    assert [r for r in sheet if r.get("custom", {}).get("summary")]  # the printable sheet for the web page


def test_a_new_person_gets_a_sheet_of_their_own(advisor):
    """An advisor's sheet listed every person of the day (persona session of 5 December 2026)."""
    from actions.answers import bank

    advisor('/faq{"answer": "code_missing"}')
    assert {"/new_person", "/ask_summary"} <= set(payloads(advisor("ok merci c bon pour lui")))  # a persona session
    advisor('/start_procedure{"procedure": "activation"}')
    first = advisor("/ask_summary")
    assert "/new_person" in payloads(first)
    reset = advisor("usager suivant")
    assert "repart de zéro" in texts(reset) and '/start_procedure{"procedure": "activation"}' in payloads(reset)
    sheet = texts(advisor("/ask_summary"))
    code_missing_title = bank().get("code_missing").title
    assert code_missing_title in texts(first) and code_missing_title not in sheet
    assert "usager" in texts(advisor("/activation_start")).lower()  # still the advisors' wording


def test_a_new_person_inside_the_france_services_search_closes_it(advisor):
    """« usager suivant » while the search asks where the person lives: the next person is not asked that question."""
    assert "commune" in texts(advisor("/find_france_services")).lower()
    assert "repart de zéro" in texts(advisor("usager suivant"))
    assert "Étape 1 sur 8" in texts(advisor("/activation_start"))  # no longer inside the search


def test_thanks_followed_by_a_question_for_someone_else_is_not_only_thanks(chat):
    """« merci, et pour mon mari c'est pareil ? » got « Avec plaisir » (a citizen chat, 6 December 2026)."""
    chat('/faq{"answer": "no_email"}')
    reply = texts(chat("merci, et pour mon mari c'est pareil ?"))
    assert "Avec plaisir" not in reply and "Je ne suis pas sûr" in reply
    assert "Étape 1 sur 4" in texts(chat("merci ! et pour mon fils ?"))  # the child's guide, as without the thanks


def test_refer_branch_stops_and_lands_on_the_sheet(advisor):
    from bot import procedures

    advisor('/start_procedure{"procedure": "activation"}')
    card = next(i for i, s in enumerate(procedures.ACTIVATION.steps) if "serial_unreadable" in s.problems)
    for _ in range(card):
        advisor("/step_done")
    advisor("/step_failed")
    stop = advisor('/report_problem{"problem": "serial_unreadable"}')
    assert "3422" in texts(stop) and "/step_done" not in payloads(stop)
    assert "Aucun guide" in texts(advisor("/step_done"))  # the procedure has stopped: no loop
    sheet = texts(advisor("/ask_summary"))
    assert procedures.ACTIVATION.problems["serial_unreadable"].next_action in sheet


def test_advisor_can_go_back_one_step(advisor):
    advisor('/start_procedure{"procedure": "hide_document"}')
    advisor("/step_done")
    assert "Étape 1 sur" in texts(advisor("/step_back"))


def every_procedure_and_problem():
    from bot import procedures

    for procedure in procedures.PROCEDURES.values():
        yield procedure.name, None
        for problem in procedure.problems:
            yield procedure.name, problem


@pytest.mark.parametrize(("name", "problem"), list(every_procedure_and_problem()))
def test_every_procedure_and_failure_branch_in_the_advisor_audience(advisor, name, problem):
    from bot import procedures

    procedure = procedures.PROCEDURES[name]
    total = len(procedure.steps)
    first = advisor(f'/start_procedure{{"procedure": "{name}"}}')
    assert f"Étape 1 sur {total}" in texts(first)
    target = next((i for i, s in enumerate(procedure.steps) if problem in s.problems), 0) if problem else None
    for index in range(total):
        if index == target:
            choice = advisor("/step_failed")
            assert f'/report_problem{{"problem": "{problem}"}}' in payloads(choice)
            answer = advisor(f'/report_problem{{"problem": "{problem}"}}')
            assert texts(answer).strip()
            if procedure.problems[problem].outcome == "refer":
                assert "/step_done" not in payloads(answer)
                assert "Aucun guide" in texts(advisor("/step_done"))
                return
        reply = advisor("/step_done")
        if index + 1 < total:
            assert f"Étape {index + 2} sur {total}" in texts(reply)
    assert "/ask_summary" in payloads(reply)
