"""« Cette réponse vous a aidé ? »: the feedback store (bot/feedback.py), the answer id sent with each answer, and
the review's ranking of unhelpful answers with the messages that led to them (tools/review/ratings.py)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot import feedback
from bot.privacy import redact_value
from tools.__main__ import main
from tools.review.analysis import analyse, summary
from tools.review.events import PARIS, Period, conversations, parse_rows
from tools.review.ratings import feedback_markdown, messages_by_answer, rank
from tools.review.writers import write_all

DAY = date(2026, 12, 1)
T0 = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS).timestamp()


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'var' / 'feedback.db'}"
    yield url
    feedback.dispose()


# ---------------------------------------------------------------- the store


def test_a_record_holds_the_five_allowed_fields_and_the_day_only(db):
    stored = feedback.record("code_missing", False, "trop_complique", "citizen", url=db, day=DAY)
    assert stored == {"answer_id": "code_missing", "helpful": False, "reason": "trop_complique",
                      "audience": "citizen", "date": "2026-12-01"}  # fmt: skip
    feedback.record("who_can_see", True, url=db)
    engine = sa.create_engine(db, future=True)
    columns = {c["name"] for c in sa.inspect(engine).get_columns("feedback")}
    engine.dispose()
    assert columns == {"id", "answer_id", "helpful", "reason", "audience", "date"}
    rows = feedback.rows(db)
    assert [r["date"] for r in rows] == [DAY, feedback.today()]
    assert all(isinstance(r["date"], date) and not isinstance(r["date"], datetime) for r in rows)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (("Code_missing", True, None, "citizen"), "réponse concernée"),
        (("ab", True, None, "citizen"), "réponse concernée"),
        (("a" * 61, True, None, "citizen"), "réponse concernée"),
        (("code missing", True, None, "citizen"), "réponse concernée"),
        ((None, True, None, "citizen"), "réponse concernée"),
        (("code_missing", 1, None, "citizen"), "oui ou non"),
        (("code_missing", "false", None, "citizen"), "oui ou non"),
        (("code_missing", True, None, "robot"), "page d'origine"),
        (("code_missing", True, "autre", "citizen"), "raison"),  # a reason only after « Non »
        (("code_missing", False, "etape_inexacte", "citizen"), "raison"),  # advisors only
        (("code_missing", False, "mon nom est Martin", "citizen"), "raison"),
        (("code_missing", False, 3, "advisor"), "raison"),
    ],
)
def test_every_field_is_checked_and_nothing_is_stored_on_error(db, fields, message):
    with pytest.raises(feedback.FeedbackError, match=message):
        feedback.record(*fields, url=db)
    assert feedback.rows(db) == []


def test_the_allowed_reasons():
    assert feedback.REASONS == ("pas_ma_question", "trop_complique", "information_fausse", "autre")
    assert set(feedback.ADVISOR_REASONS) == {*feedback.REASONS, "etape_inexacte"}
    assert feedback.check("code_missing", False, "etape_inexacte", "advisor")[2] == "etape_inexacte"
    assert feedback.check("code_missing", False, None, "citizen")[2] is None


def test_summary_counts_per_answer_and_ranks_the_most_unhelpful_first(db):
    for answer_id, helpful, reason, audience in [
        ("code_missing", True, None, "citizen"), ("code_missing", False, "trop_complique", "citizen"),
        ("code_missing", False, "trop_complique", "advisor"), ("code_missing", True, None, "citizen"),
        ("who_can_see", False, "pas_ma_question", "citizen"), ("who_can_see", False, None, "citizen"),
        ("is_it_free", True, None, "citizen"),
    ]:  # fmt: skip
        feedback.record(answer_id, helpful, reason, audience, url=db, day=DAY)
    feedback.record("is_it_free", False, "autre", url=db, day=DAY + timedelta(days=3))
    ranked = feedback.summary(db, until=DAY)
    assert [(r.answer_id, r.helpful, r.unhelpful, r.unhelpful_rate) for r in ranked] == [
        ("who_can_see", 0, 2, 1.0), ("code_missing", 2, 2, 0.5), ("is_it_free", 1, 0, 0.0),
    ]  # fmt: skip
    assert ranked[0].reasons == {"pas_ma_question": 1, "sans_raison": 1}
    assert ranked[1].reasons == {"trop_complique": 2}
    assert [r.answer_id for r in feedback.summary(db, since=DAY + timedelta(days=1))] == ["is_it_free"]
    assert feedback.summary(db, audience="advisor")[0].unhelpful == 1


def test_reading_a_missing_database_creates_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'none.db'}"
    assert feedback.summary(url) == []
    assert not (tmp_path / "none.db").exists()


def test_the_url_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(feedback.ENV_VAR, "sqlite:///x.db")
    assert feedback.db_url() == "sqlite:///x.db" and feedback.db_url("sqlite:///y.db") == "sqlite:///y.db"
    monkeypatch.delenv(feedback.ENV_VAR)
    assert feedback.db_url().endswith("var/feedback.db")


# ---------------------------------------------------------------- retention


def test_purge_deletes_rows_older_than_the_retention(db, monkeypatch):
    today = date(2026, 12, 3)
    for age in (0, 364, 365, 366, 800):
        feedback.record("code_missing", True, url=db, day=today - timedelta(days=age))
    feedback.dispose()  # record's own daily purge ran for the first day recorded only
    assert feedback.purge(db, on=today) == 2  # 366 and 800 days old; exactly 365 stays
    assert sorted((today - r["date"]).days for r in feedback.rows(db)) == [0, 364, 365]
    monkeypatch.setenv(feedback.RETENTION_ENV_VAR, "30")
    assert feedback.purge(db, on=today) == 2
    assert feedback.purge(db, days=0, on=today) == 0  # today's row is never older than today


def test_record_purges_once_a_day(db):
    old = feedback.today() - timedelta(days=feedback.DEFAULT_RETENTION_DAYS + 10)
    feedback.record("code_missing", True, url=db, day=old)  # (its own purge counted from that day)
    feedback.record("code_missing", True, url=db)  # a new day for this process: purges
    assert [r["date"] for r in feedback.rows(db)] == [feedback.today()]


def test_purge_command_purges_feedback_with_the_conversations(db, capsys, tmp_path):
    from tools.__main__ import main

    feedback.record("code_missing", True, url=db, day=date(2020, 1, 1))
    feedback.dispose()
    trackers = f"sqlite:///{tmp_path / 'trackers.db'}"
    assert main(["purge", "--db-url", trackers, "--feedback-db-url", db]) == 0
    assert "1 avis supprimés" in capsys.readouterr().out
    assert feedback.rows(db) == []


# ---------------------------------------------------------------- the answer id goes with each answer


def test_each_bank_answer_is_sent_with_its_id_which_the_tracker_store_keeps():
    from actions import answers as a
    from tests.actions.helpers import build_tracker
    from tests.actions.helpers import run_for_slots as run

    button = [{"entity": "answer", "value": "code_missing"}]
    messages, _ = run(a.ActionAnswer(), build_tracker('/faq{"answer": "code_missing"}', "faq", entities=button))
    assert messages[0]["custom"] == {"answer_id": "code_missing"} and messages[0]["text"]
    assert [m for m in messages if m.get("custom")] == messages[:1]  # once, with the answer itself
    bot_event = {"event": "bot", "text": "Réponse", "data": {"custom": {"answer_id": "code_missing"}}}
    assert redact_value(bot_event) == bot_event


# ---------------------------------------------------------------- review: ranking and messages


def user(text: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": "faq", "confidence": 0.9}}}


def answered(answer_id: str | None) -> list[dict]:
    data = {"custom": {"answer_id": answer_id}} if answer_id else {}
    return [{"event": "action", "name": "action_answer"}, {"event": "bot", "text": "…", "data": data}]


def rows(*events: dict, sender: str = "s1", start: float = T0) -> list[tuple]:
    return [(sender, e["event"], start + i, json.dumps(e)) for i, e in enumerate(events)]


def sample_conversations() -> list:
    parsed, skipped = parse_rows([
        *rows(user("j'ai pas recu le code"), *answered("code_missing"), user("je recois rien"),
              *answered("code_missing"), user("merci"), *answered(None)),
        *rows(user("J'ai pas reçu le code, mon mail jeanne.martin@example.org"), *answered("code_missing"),
              user('/faq{"answer": "code_missing"}'), *answered("code_missing"), sender="s2"),
        *rows(user("c'est gratuit ?"), *answered("is_it_free"), user("j'ai pas recu le code"),
              *answered("code_missing"), sender="s3"),
        *rows(user("appeler le 3422"), *answered("[code]"), sender="s4"),  # hotline_3422, as the store keeps it
    ])  # fmt: skip
    assert skipped == 0
    return conversations(parsed)


def counts() -> list[feedback.AnswerFeedback]:
    return [
        feedback.AnswerFeedback("is_it_free", helpful=3, unhelpful=1, reasons={"autre": 1}),
        feedback.AnswerFeedback("code_missing", helpful=1, unhelpful=3, reasons={"pas_ma_question": 2, "autre": 1}),
        feedback.AnswerFeedback("hotline_3422", helpful=0, unhelpful=1, reasons={"information_fausse": 1}),
        feedback.AnswerFeedback("no_messages", helpful=1, unhelpful=0),  # nobody said no: no reasons
    ]


def test_the_messages_that_got_each_answer_are_found_by_its_id():
    typed, buttons = messages_by_answer(sample_conversations())
    assert typed["code_missing"] == {"j'ai pas recu le code": 2, "je recois rien": 1,
                                     "J'ai pas reçu le code, mon mail [adresse e-mail]": 1}  # fmt: skip
    assert "merci" not in repr(typed)  # its reply carried no answer id
    assert buttons == {"code_missing": 1}


def test_ranking_by_unhelpful_rate_with_counts_reasons_and_messages():
    ranked = rank(counts(), sample_conversations(), known_ids=["code_missing", "is_it_free", "hotline_3422"])
    assert [(r.answer_id, r.unhelpful_rate) for r in ranked] == [
        ("hotline_3422", 1.0), ("code_missing", 0.75), ("is_it_free", 0.25), ("no_messages", 0.0),
    ]  # fmt: skip
    assert ranked[0].messages == (("appeler le 3422", 1),)  # matched on its redacted form, [code]
    assert ranked[1].messages[0] == ("j'ai pas recu le code", 2) and ranked[1].buttons == 1
    assert ranked[2].messages == (("c'est gratuit ?", 1),)
    # two ids of the bank stored the same way: neither gets the other's messages
    ambiguous = rank(counts(), sample_conversations(), known_ids=["hotline_3422", "hotline_3423"])
    assert ambiguous[0].answer_id == "hotline_3422" and ambiguous[0].messages == ()


def test_feedback_markdown_ranks_and_quotes_redacted_messages_only():
    ranked = rank(counts(), sample_conversations(), known_ids=["code_missing", "is_it_free", "hotline_3422"])
    text = feedback_markdown(ranked, "du 01/12/2026 au 01/12/2026")
    assert "| 1 | hotline_3422 | 1 | 1 | 100,0 % | information fausse : 1 |" in text
    assert "| 2 | code_missing | 4 | 3 | 75,0 % | pas ma question : 2, autre : 1 |" in text
    assert "| j'ai pas recu le code | 2 |" in text and "Atteinte 1 fois par un bouton." in text
    assert "jeanne.martin" not in text and "[adresse e-mail]" in text
    assert "## no_messages" not in text  # no « Non »: no section
    assert "Aucun avis sur la période." in feedback_markdown([], "période vide")


def test_the_review_writes_feedback_md_and_counts_in_summary_json(tmp_path):
    review = analyse(sample_conversations(), Period(DAY, DAY), feedback=counts())
    assert summary(review)["feedback"] == {"answers": 4, "helpful": 5, "unhelpful": 5}
    paths = write_all(review, tmp_path)
    assert tmp_path / "feedback.md" in paths
    written = (tmp_path / "feedback.md").read_text(encoding="utf-8")
    assert "## code_missing" in written and "| je recois rien | 1 |" in written
    for path in tmp_path.iterdir():
        assert b"jeanne.martin" not in path.read_bytes()
    assert analyse([]).rated_answers == []


def test_make_review_reads_both_databases(tmp_path, capsys):
    trackers = tmp_path / "trackers.db"
    engine = sa.create_engine(f"sqlite:///{trackers}", future=True)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT,"
                             " timestamp REAL, data TEXT)"))  # fmt: skip
        for row in rows(user("je trouve pas mon code"), *answered("code_missing"), sender="secret-sender"):
            conn.execute(sa.text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, :t, :ts, :d)"),
                         {"s": row[0], "t": row[1], "ts": row[2], "d": row[3]})  # fmt: skip
    engine.dispose()
    db = f"sqlite:///{tmp_path / 'feedback.db'}"
    feedback.record("code_missing", False, "trop_complique", url=db, day=DAY)
    feedback.record("code_missing", False, "autre", url=db, day=DAY + timedelta(days=5))  # outside the period
    feedback.dispose()
    out = tmp_path / "out"
    args = ["review", "--db-url", f"sqlite:///{trackers}", "--feedback-db-url", db, "--out", str(out),
            "--since", "2026-12-01", "--until", "2026-12-01"]  # fmt: skip
    assert main(args) == 0
    assert "feedback.md" in capsys.readouterr().out
    text = (out / "feedback.md").read_text(encoding="utf-8")
    assert "| 1 | code_missing | 1 | 1 | 100,0 % | trop compliqué : 1 |" in text
    assert "| je trouve pas mon code | 1 |" in text
    for path in out.iterdir():
        assert b"secret-sender" not in path.read_bytes()
    # an unreadable feedback database is a warning, not a failure
    assert main([*args[:3], "--feedback-db-url", "postgresql://nobody@127.0.0.1:1/none", *args[5:]]) == 0
    assert "base des avis est inaccessible" in capsys.readouterr().err
    feedback.dispose()
