"""The review of real conversations: pure functions on hand-built events, the files, and the append command."""

from __future__ import annotations

import json
import random
import shutil
from collections import Counter
from datetime import date, datetime

import pytest
import yaml

from bot.answers.bank import load_bank
from tools.__main__ import main
from tools.review import journeys, messages
from tools.review.analysis import analyse, summary
from tools.review.append import LabelError, append_labels
from tools.review.events import PARIS, Period, conversations, parse_row, parse_rows
from tools.review.writers import stories_yaml, to_label_yaml, usage_markdown, write_all

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS).timestamp()


def user(text: str, intent: str | None, confidence: float = 0.95, ranking: list | None = None) -> dict:
    ranking = ranking if ranking is not None else [{"name": intent, "confidence": confidence}]
    parse_data = {"intent": {"name": intent, "confidence": confidence}, "intent_ranking": ranking}
    return {"event": "user", "text": text, "parse_data": parse_data}


def action(name: str) -> dict:
    return {"event": "action", "name": name}


def bot(utter: str | None = None) -> dict:
    return {"event": "bot", "text": "…", "metadata": {"utter_action": utter} if utter else {}}


def slot(name: str, value: object) -> dict:
    return {"event": "slot", "name": name, "value": value}


def loop(name: str | None) -> dict:
    return {"event": "active_loop", "name": name}


def rows(*events: dict, sender: str = "s1", start: float = T0) -> list[tuple]:
    return [(sender, e["event"], start + i, json.dumps(e)) for i, e in enumerate(events)]


def convs(*events: dict, **kwargs) -> list:
    parsed, skipped = parse_rows(rows(*events, **kwargs))
    assert skipped == 0
    return conversations(parsed)


def show_step(procedure: str | None, index: int | None) -> list[dict]:
    return [slot("procedure", procedure), slot("procedure_step", index)]


START = [action("action_session_start"), {"event": "session_started"}, action("action_listen")]


# ---------------------------------------------------------------- rows, periods, conversations


def test_bad_rows_are_skipped_and_counted():
    good = ("s", "user", T0, json.dumps(user("bonjour", "greet")))
    bad = [
        ("s", "user", T0, "{not json"),
        ("s", "user", None, json.dumps(user("x", "greet"))),  # no timestamp
        ("s", "user", float("nan"), json.dumps(user("x", "greet"))),
        (None, "user", T0, json.dumps(user("x", "greet"))),  # no sender
        ("s", "teleport", T0, json.dumps({"event": "teleport"})),  # unknown type
        ("s", "user", T0, json.dumps({"event": "user", "text": "x"})),  # no parse_data
        ("s", "action", T0, json.dumps({"event": "action"})),  # no name
        ("s", "slot", T0, json.dumps({"event": "slot", "name": "procedure"})),  # no value
        ("s", "bot", T0, json.dumps([1, 2])),  # not an object
        ("s", "user", T0),  # a column is missing
    ]
    events, skipped = parse_rows([good, *bad])
    assert skipped == len(bad) and [e.type for e in events] == ["user"]
    assert parse_row(("s", None, T0, json.dumps(action("x")))).type == "action"  # type read from the data


def test_period_is_whole_paris_days_both_ends_included():
    day = Period(date(2026, 12, 1), date(2026, 12, 1))
    before = datetime(2026, 11, 30, 23, 59, tzinfo=PARIS).timestamp()  # 22:59 UTC: still the 30th in Paris
    first = datetime(2026, 12, 1, 0, 0, tzinfo=PARIS).timestamp()
    last = datetime(2026, 12, 1, 23, 59, 59, tzinfo=PARIS).timestamp()
    after = datetime(2026, 12, 2, 0, 0, tzinfo=PARIS).timestamp()
    assert [day.contains(t) for t in (before, first, last, after)] == [False, True, True, False]
    summer = Period(date(2026, 7, 14), date(2026, 7, 14)).bounds()
    assert summer[1] - summer[0] == 86_400 and datetime.fromtimestamp(summer[0], PARIS).hour == 0
    assert Period().contains(0.0)
    data = [*rows(user("old", "greet"), start=before), *rows(user("new", "greet"), start=first)]
    events, skipped = parse_rows(data, day)
    assert [e.data["text"] for e in events] == ["new"] and skipped == 0


def test_conversations_split_at_session_start_and_need_a_user_message():
    events = [
        *rows(*START, user("a", "greet"), *START, user("b", "thanks"), sender="alice"),
        *rows(*START, sender="bob", start=T0 - 100),  # a session without any message
        *rows(user("c", "greet"), sender="carol", start=T0 - 50),
    ]
    found = conversations(parse_rows(events)[0])
    assert [[e.data["text"] for e in c.user_events] for c in found] == [["c"], ["a"], ["b"]]
    assert found[1].events[0].name == "action_session_start" and found[0].day == date(2026, 12, 1)


def test_empty_input():
    assert conversations([]) == [] and parse_rows([]) == ([], 0)
    review = analyse([])
    figures = summary(review)
    assert figures["conversations"] == figures["user_messages"] == figures["to_label_groups"] == 0
    assert figures["fallback_rate"] == 0.0 and figures["top_intents"] == [] and figures["period"]["since"] is None
    assert set(figures["france_services"].values()) == {0}
    assert all(f["started"] == 0 for f in figures["funnels"].values()) and "activation" in figures["funnels"]


# ---------------------------------------------------------------- messages to label


FALLBACK_RANKING = [{"name": "nlu_fallback", "confidence": 0.2}, {"name": "code_missing", "confidence": 0.15}]


def test_flagged_messages_fallback_low_confidence_refused_and_not_understood():
    conversation = convs(
        user("le chat mange la souris", "nlu_fallback", 0.2, FALLBACK_RANKING), action("action_clarify"), bot(),
        user("/deny_suggestions", "deny_suggestions", 1.0), action("action_suggestions_refused"),
        user("blablabla truc", "insult", 0.36),
        user("mon code svp", "code_missing", 0.7), action("action_clarify"),
        user("Non", "deny_suggestions", 0.9),
        user("zzzz qqqq", "inform_place", 0.75), action("france_services_form"), slot("fs_prompt", "not_understood"),
        user("je veux activer mon espace", "activation_start", 0.99),
        user("/nlu_fallback", "nlu_fallback", 1.0),  # a payload is not words to learn
        user("???", "nlu_fallback", 0.2, FALLBACK_RANKING),  # nothing left once normalised
    )[0]  # fmt: skip
    found = messages.flagged_messages(conversation, min_confidence=0.5)
    assert [(m.text, m.reason, m.guessed) for m in found] == [
        ("le chat mange la souris", "fallback", "code_missing"),
        ("blablabla truc", "low_confidence", "insult"),
        ("mon code svp", "refused", "code_missing"),
        ("zzzz qqqq", "not_understood", "inform_place"),
    ]
    assert [m.text for m in messages.flagged_messages(conversation, min_confidence=0.3)][1] == "mon code svp"


def test_similar_wordings_are_grouped_deterministically():
    day1, day2 = date(2026, 12, 1), date(2026, 12, 3)
    texts = ["J'arrive pas à me connecter !", "j arrive pas a me connecter", "arrive pas à me connecter du tout",
             "ou est mon carnet de vaccination", "où est mon carnet de vaccination ?",
             "le chat mange la souris"]  # fmt: skip
    flagged = [messages.Flagged(t, "login_help" if "connect" in t else None, day1 if i % 2 else day2, "fallback")
               for i, t in enumerate(texts)]  # fmt: skip
    groups = messages.group_messages(flagged)
    assert [g.count for g in groups] == [3, 2, 1]
    login = groups[0]
    assert login.guessed_intent == "login_help" and (login.first_seen, login.last_seen) == (day1, day2)
    assert len(login.examples) == 2  # two distinct wordings once normalised (accents, punctuation, case)
    assert groups[1].guessed_intent is None and groups[2].examples == ("le chat mange la souris",)
    shuffled = flagged[:]
    random.Random(4).shuffle(shuffled)
    assert messages.group_messages(shuffled) == groups


def test_groups_keep_at_most_ten_distinct_examples():
    flagged = [messages.Flagged(f"je cherche le formulaire {n}", "x", date(2026, 12, 1), "fallback") for n in range(15)]
    flagged += flagged[:3]
    (group,) = messages.group_messages(flagged)
    assert group.count == 18 and len(group.examples) == 10 == len(set(group.examples))


def test_texts_are_redacted_again_before_being_written():
    conversation = convs(user("mon mail est jean.dupont@example.org\net voila", "nlu_fallback", 0.2, FALLBACK_RANKING))
    (message,) = messages.flagged_messages(conversation[0])
    assert message.text == "mon mail est [adresse e-mail] et voila"
    story = stories_yaml(analyse(conversation))
    assert "example.org" not in story and "[adresse e-mail]" in story


def test_a_stored_position_is_exported_to_about_1_km_only():
    """A tracker saved before the rounding may hold a precise position: the export rounds it."""
    shared = user('/share_position{"latitude": 48.69212, "longitude": 6.18443}', "share_position", 1.0)
    conversation = convs(shared, user("zzz", "nlu_fallback", 0.2, FALLBACK_RANKING))
    story = stories_yaml(analyse(conversation))
    assert '/share_position{"latitude": 48.69, "longitude": 6.18}' in story and "48.692" not in story


def test_fallback_rate_and_top_intents():
    conversation = convs(*(user(f"m{i}", "greet") for i in range(6)), user("?", "nlu_fallback", 0.1),
                         user("x", "nlu_fallback", 0.1), user("y", None, 0.0), user("z", "thanks"))  # fmt: skip
    counts = messages.intent_counts(conversation)
    assert messages.fallback_rate(counts) == 0.2 and messages.fallback_rate(Counter()) == 0.0
    assert messages.top_intents(counts, 2) == [{"intent": "greet", "count": 6}, {"intent": "nlu_fallback", "count": 2}]
    assert {"intent": "(aucune)", "count": 1} in messages.top_intents(counts)


# ---------------------------------------------------------------- procedures and France Services


DONE = user("/step_done", "step_done", 1.0)


def finish(procedure: str, utter: bool = True) -> list[dict]:
    """Start ``procedure``, go through every step and press « C'est fait » on the last one."""
    steps = 8 if procedure == "activation" else 4
    ending = [bot(f"utter_{procedure}_done")] if utter else []
    return [*steps_done(procedure, steps), DONE, action("action_step_done"), *ending, *show_step(None, None)]


def steps_done(procedure: str, upto: int) -> list[dict]:
    """Start ``procedure`` then press « C'est fait » until step ``upto`` (1-based) is shown."""
    events = [user("/activation_start", "activation_start", 1.0), action("action_start_procedure"),
              *show_step(procedure, 0.0)]  # fmt: skip
    for index in range(1, upto):
        events += [DONE, action("action_step_done"), *show_step(procedure, float(index))]
    return events


def test_funnel_finished_abandoned_at_step_k_and_referred():
    abandoned = [*steps_done("activation", 3), user("et le 3422 ?", "ask_human"), action("utter_ask_human")]
    problem = user("/report_problem", "report_problem", 1.0)
    referred = [*steps_done("activation", 2), problem, action("action_report_problem"), *show_step(None, None)]
    switched = [*steps_done("child_activation", 2), *steps_done("activation", 1)]
    scripts = [finish("activation"), abandoned, referred, finish("child_activation", utter=False), switched]
    all_convs = [convs(*events, sender=f"s{i}")[0] for i, events in enumerate(scripts)]
    assert journeys.procedure_outcomes(all_convs[1]) == {"activation": ("abandoned", 3)}
    assert journeys.procedure_outcomes(all_convs[4]) == {"child_activation": ("abandoned", 2),
                                                         "activation": ("abandoned", 1)}  # fmt: skip
    result = journeys.funnels(all_convs, {"activation": ("Activer", 8), "child_activation": ("Enfant", 4)})
    activation = result["activation"]
    assert (activation.started, activation.finished) == (4, 1)
    assert activation.abandoned_at_step == {3: 1, 1: 1} and activation.referred_at_step == {2: 1}
    assert [activation.reached(k) for k in (1, 2, 3, 4)] == [4, 3, 2, 1]
    child = result["child_activation"].as_dict()
    assert child["started"] == 2 and child["finished"] == 1 and child["abandoned_at_step"]["2"] == 1


def test_a_finished_guide_restarted_counts_once_as_finished():
    conversation = convs(*finish("activation"), *steps_done("activation", 2))[0]
    assert journeys.procedure_outcomes(conversation) == {"activation": ("finished", 8)}


def fs_search(place: str, *outcome: dict) -> list[dict]:
    return [user(place, "find_france_services"), action("france_services_form"), loop("france_services_form"),
            *outcome]  # fmt: skip


def test_france_services_outcomes():
    results = action("action_france_services_results")
    found = fs_search("une France services près de Épinal", loop(None), results, bot(), slot("fs_desk", "42"))
    gave_up = fs_search("france services", slot("fs_prompt", "unknown"), slot("fs_prompt", "gave_up"), loop(None),
                        results, bot(), slot("fs_prompt", None))  # fmt: skip
    cancelled = fs_search("arrêter", slot("fs_prompt", "cancelled"), loop(None), results)
    not_understood = fs_search("zzzz", slot("fs_prompt", "not_understood"), loop(None), results)
    interrupted = fs_search("france services", slot("fs_prompt", "ask"))
    later = [action("action_listen"), slot("fs_desk", 1)]  # not set by the results action
    nothing = fs_search("Golbey", loop(None), results, slot("fs_desk", None), *later)
    conversation = convs(*found, *gave_up, *cancelled, *not_understood, *interrupted, *nothing, *interrupted)
    assert journeys.france_services_outcomes(conversation[0]) == [
        "found", "gave_up", "cancelled", "not_understood", "interrupted", "other", "interrupted"]  # fmt: skip
    assert journeys.france_services(conversation) == {
        "found": 1, "gave_up": 1, "cancelled": 1, "not_understood": 1, "interrupted": 2, "other": 1}  # fmt: skip


def test_conversations_per_day_lists_every_day_of_the_period():
    found = [*convs(user("a", "greet"), sender="a"), *convs(user("b", "greet"), sender="b", start=T0 + 2 * 86_400)]
    assert list(journeys.per_day(found, None, None).values()) == [1, 0, 1]
    assert journeys.per_day(found, date(2026, 11, 30), date(2026, 12, 1)) == {date(2026, 11, 30): 0,
                                                                              date(2026, 12, 1): 1}  # fmt: skip
    assert journeys.per_day([], None, None) == {}


# ---------------------------------------------------------------- files


def sample_review():
    missed = [user("le chat mange la souris", "nlu_fallback", 0.2, FALLBACK_RANKING), action("action_clarify")]
    refused = [user("/deny_suggestions", "deny_suggestions", 1.0), action("action_suggestions_refused")]
    found = convs(*START, *missed, *refused, *steps_done("activation", 3), sender="secret-sender-id")
    return analyse(found, Period(date(2026, 12, 1), date(2026, 12, 2)))


def test_files_are_valid_and_hold_no_identifier(tmp_path):
    review = sample_review()
    paths = write_all(review, tmp_path)
    names = {p.name for p in paths}
    assert {"to_label.yml", "stories.yml", "usage.md", "summary.json", "conversations_per_day.png",
            "funnel_activation.png"} <= names and "funnel_hide_document.png" not in names  # fmt: skip
    groups = yaml.safe_load((tmp_path / "to_label.yml").read_text(encoding="utf-8"))
    expected = {"count": 1, "first_seen": "2026-12-01", "last_seen": "2026-12-01", "guessed_intent": "code_missing"}
    assert groups == [{**expected, "intent": "", "examples": "- le chat mange la souris\n"}]
    stories = yaml.safe_load((tmp_path / "stories.yml").read_text(encoding="utf-8"))
    (story,) = stories["stories"]
    assert stories["version"] == "3.1" and "suggestions refusées" in story["story"] and "étape 3" in story["story"]
    assert story["steps"][:3] == [{"user": "le chat mange la souris\n", "intent": "nlu_fallback"},
                                  {"action": "action_clarify"},
                                  {"user": "/deny_suggestions\n", "intent": "deny_suggestions"}]  # fmt: skip
    usage = (tmp_path / "usage.md").read_text(encoding="utf-8")
    assert "| 3 | 1 | 1 | 0 |" in usage and "02/12/2026 | 0" in usage and "chat" not in usage
    figures = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert figures["period"]["since"] == "2026-12-01" and figures["fallback_rate"] == 0.2
    assert figures["funnels"]["activation"]["abandoned_at_step"]["3"] == 1 and figures["to_label_groups"] == 1
    for path in tmp_path.iterdir():
        assert b"secret-sender-id" not in path.read_bytes()
    assert "python -m tools review append" in to_label_yaml(review, tmp_path / "to_label.yml")


def test_empty_period_writes_every_file_with_zeros(tmp_path):
    review = analyse([], Period(date(2026, 12, 1), date(2026, 12, 3)))
    write_all(review, tmp_path)
    assert yaml.safe_load((tmp_path / "to_label.yml").read_text(encoding="utf-8")) == []
    assert yaml.safe_load((tmp_path / "stories.yml").read_text(encoding="utf-8"))["stories"] == []
    assert "Aucune conversation sur la période." in usage_markdown(review)
    assert json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))["conversations_per_day"] == {
        "2026-12-01": 0, "2026-12-02": 0, "2026-12-03": 0}  # fmt: skip


def test_stories_keep_the_twenty_latest(tmp_path):
    many = [c for i in range(25) for c in convs(user(f"zz{i}", "nlu_fallback", 0.1), sender=f"s{i}", start=T0 + i)]
    stories = yaml.safe_load(stories_yaml(analyse(many)))["stories"]
    assert len(stories) == 20 and stories[0]["steps"][0]["user"] == "zz5\n"


# ---------------------------------------------------------------- append


@pytest.fixture
def project(root, tmp_path):
    """Copies of data/nlu, data/answers, tests/nlu, the domain and the thresholds: the append writes only there."""
    shutil.copytree(root / "data" / "nlu", tmp_path / "nlu")
    shutil.copytree(root / "data" / "answers", tmp_path / "answers")
    shutil.copytree(root / "tests" / "nlu", tmp_path / "held_out")
    shutil.copytree(root / "domain", tmp_path / "domain")
    shutil.copy(root / "config" / "thresholds.yml", tmp_path / "thresholds.yml")
    return tmp_path


def labels(path, *groups: tuple[str, list[str]]):
    blocks = [{"count": 1, "guessed_intent": None, "intent": i, "examples": "".join(f"- {e}\n" for e in ex)}
              for i, ex in groups]  # fmt: skip
    path.write_text(yaml.safe_dump(blocks, allow_unicode=True), encoding="utf-8")
    return path


def run_append(project, to_label):
    return append_labels(to_label, project / "nlu", project / "domain", project / "held_out",
                         project / "thresholds.yml", project / "answers")  # fmt: skip


def test_append_adds_new_examples_and_skips_duplicates_masks_and_test_sentences(project, root):
    existing = yaml.safe_load((root / "data" / "nlu" / "activation.yml").read_text(encoding="utf-8"))["nlu"][0]
    known = existing["examples"].splitlines()[0][2:]
    held_out = yaml.safe_load((root / "tests" / "nlu" / "activation.yml").read_text(encoding="utf-8"))["nlu"][0]
    test_sentence = held_out["examples"].splitlines()[0][2:]
    to_label = labels(project / "to_label.yml",
                      (existing["intent"], ["jpeu pas activé mon truc santé", known.upper() + " !", test_sentence]),
                      ("code_missing", ["mon code il est ou", "mon mail [adresse e-mail] code pas recu",
                                        "jai pas eu le code"]),
                      ("", ["ignoré : pas d'intention"]))  # fmt: skip
    result = run_append(project, to_label)
    assert result.added == {existing["intent"]: ["jpeu pas activé mon truc santé"],
                            "faq/code_missing": ["mon code il est ou", "jai pas eu le code"]}  # fmt: skip
    assert (result.duplicates, result.masked, result.held_out) == (1, 1, 1)
    message = result.message()
    assert message.startswith("3 exemples ajoutés à ") and "(2 intentions), 1 doublon ignoré" in message
    assert "activation.yml" in message and "answers build" in message
    reviewed = yaml.safe_load((project / "nlu" / "reviewed.yml").read_text(encoding="utf-8"))
    assert reviewed["version"] == "3.1" and len(reviewed["nlu"]) == 1  # intents here, answers in the bank
    phrasings = load_bank(project / "answers").get("code_missing").phrasings
    assert phrasings[-2:] == ("mon code il est ou", "jai pas eu le code")
    assert load_bank(project / "answers").units.keys() == load_bank(root / "data" / "answers").units.keys()
    more = labels(project / "more.yml", ("faq/code_missing", ["Mon code, il est où ?", "code perdu svp"]))
    again = run_append(project, more)
    assert again.added == {"faq/code_missing": ["code perdu svp"]} and again.duplicates == 1
    assert load_bank(project / "answers").get("code_missing").phrasings[-1] == "code perdu svp"


@pytest.mark.parametrize(("intent", "words"), [("pas_une_intention", "absente"), ("set_audience", "boutons")])
def test_append_refuses_unknown_or_button_intents_and_writes_nothing(project, intent, words):
    to_label = labels(project / "to_label.yml", ("greet", ["coucou toi"]), (intent, ["un exemple"]))
    with pytest.raises(LabelError, match=words) as error:
        run_append(project, to_label)
    assert intent in str(error.value) and "rien n'a été écrit" in str(error.value)
    assert not (project / "nlu" / "reviewed.yml").exists()


def test_append_command_messages(tmp_path, capsys):
    assert main(["review", "append", str(tmp_path / "missing.yml")]) == 1
    to_label = labels(tmp_path / "to_label.yml", ("nlu_fallback", ["truc"]))
    assert main(["review", "append", str(to_label)]) == 1
    err = capsys.readouterr().err
    assert "n'existe pas" in err and "nlu_fallback" in err and "Traceback" not in err
    assert main(["review", "append", str(labels(tmp_path / "empty.yml", ("", ["truc"])))]) == 0
    assert "Aucun groupe étiqueté" in capsys.readouterr().out
    (tmp_path / "broken.yml").write_text("- intent: [\n", encoding="utf-8")
    assert main(["review", "append", str(tmp_path / "broken.yml")]) == 1


def test_review_command_errors(tmp_path, capsys):
    assert main(["review", "--db-url", "postgresql://nobody@127.0.0.1:1/none", "--out", str(tmp_path)]) == 1
    assert main(["review", "--since", "2026-12-02", "--until", "2026-12-01", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "inaccessible" in err and "avant" in err and "Traceback" not in err
    with pytest.raises(SystemExit):
        main(["review", "--since", "hier"])
    assert "AAAA-MM-JJ" in capsys.readouterr().err
    assert main(["review", "--db-url", f"sqlite:///{tmp_path / 'none.db'}", "--out", str(tmp_path / "o")]) == 0
    assert "Aucune conversation sur la période." in capsys.readouterr().out and not (tmp_path / "none.db").exists()


def test_empty_period_writes_an_empty_feedback_ranking(tmp_path):
    review = analyse([], Period(date(2026, 12, 1), date(2026, 12, 3)))
    write_all(review, tmp_path)
    assert "Aucun avis sur la période." in (tmp_path / "feedback.md").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))["feedback"] == {
        "answers": 0, "helpful": 0, "unhelpful": 0}  # fmt: skip
