"""Issue 14: generated personal identifiers never survive the redaction; public data always does.

Hypothesis builds identifiers in every format and separator (tests/privacy_strategies.py), puts them in
French sentences, and checks that, separators stripped, nothing of their core is left in ``redact``'s
output and that ``redact`` is idempotent. Then, with fewer examples, the same for every place where text
is kept: the tracker store's rows, the log lines, the review export and what the web proxy forwards.
Finally a planted regression: with a detector taken out of ``bot.privacy.engine.DETECTORS``, the same
check finds survivors, so the properties would fail.

Runs are reproducible (``derandomize``): the same examples at every run, in CI too.
"""

from __future__ import annotations

import asyncio
import importlib
import io
import itertools
import json
import logging
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import structlog
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.privacy import find_personal_data, redact, redact_value
from tests import privacy_strategies as ps

EXAMPLES = {  # generated cases per property of redact() itself: 5,200 in all
    "NIR": 700,
    "phone": 700,
    "e-mail": 600,
    "IBAN": 400,
    "code": 500,
    "date of birth": 500,
    "address": 400,
    "name": 400,
    "position": 300,
    "public": 700,
}
PLACE_EXAMPLES = 50  # per place where text is kept: each example goes through a store, a logger, a server
REGRESSION_SAMPLE = 60
PHONE_KIND = "numéro de téléphone"


def examples(count: int, shrink: bool = True) -> settings:
    """Reproducible settings: the same ``count`` examples at every run, no deadline, no example database.

    Without ``shrink``, a failure is reported as found: for the places where text is kept, where each example
    is a round trip through a store, a logger or two servers, and the properties of redact() above shrink
    the same sentences.
    """
    return settings(
        max_examples=count,
        phases=tuple(Phase) if shrink else (Phase.explicit, Phase.reuse, Phase.generate),
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def problems(planted: ps.Planted) -> list[str]:
    """What is wrong with the redaction of ``planted``: pieces that survive, a second pass that changes it."""
    once = redact(planted.text)
    found = []
    leaked = planted.leaks(once)
    if leaked:
        found.append(f"survives: {', '.join(map(repr, leaked))} in {once!r}")
    twice = redact(once)
    if twice != once:
        found.append(f"not idempotent: {once!r} -> {twice!r}")
    return found


def assert_redacted(planted: ps.Planted) -> None:
    found = problems(planted)
    assert not found, f"{planted.category} ({planted.form}): {planted.text!r}\n" + "\n".join(found)


# ---------------------------------------------------------------- redact() itself


@examples(EXAMPLES["NIR"])
@given(ps.nir_sentences())
def test_no_social_security_number_survives(planted: ps.Planted) -> None:
    """13 or 15 characters, Corsica and overseas, grouped 1 23 45 67 890 123 45 or anyhow, any separator."""
    assert_redacted(planted)


@examples(EXAMPLES["phone"])
@given(ps.phone_sentences())
def test_no_phone_number_survives(planted: ps.Planted) -> None:
    """Mainland and overseas: national, international, E.164, 0033, (+33), +33 (0), any separator."""
    assert_redacted(planted)


@examples(EXAMPLES["e-mail"])
@given(ps.email_sentences())
def test_no_email_address_survives(planted: ps.Planted) -> None:
    """Written or spelled out: « jean point dupont arobase gmail point com », « (at) », « [dot] »."""
    assert_redacted(planted)


@examples(EXAMPLES["IBAN"])
@given(ps.iban_sentences())
def test_no_iban_survives(planted: ps.Planted) -> None:
    """French and other IBANs with valid check digits, by 4 or not, upper or lower case."""
    assert_redacted(planted)


@examples(EXAMPLES["code"])
@given(ps.code_sentences())
def test_no_code_survives(planted: ps.Planted) -> None:
    """« mon code provisoire est AB12CD34 », « code : 1234 5678 », « code provisoire : abcdefgh », « 482913 »."""
    assert_redacted(planted)


@examples(EXAMPLES["date of birth"])
@given(ps.birth_date_sentences())
def test_no_date_of_birth_survives(planted: ps.Planted) -> None:
    """After a birth word, in figures or in words: « née le douze mars mille neuf cent cinquante »."""
    assert_redacted(planted)


@examples(EXAMPLES["address"])
@given(ps.address_sentences())
def test_no_street_address_survives(planted: ps.Planted) -> None:
    """« 12 rue de la Paix », « 12 r. de la Paix », « au 12 de la rue Victor Hugo », « 3 bis avenue Foch »."""
    assert_redacted(planted)


@examples(EXAMPLES["name"])
@given(ps.name_sentences())
def test_no_name_survives(planted: ps.Planted) -> None:
    """After a cue: « je m'appelle Jeanne Martin », « mon nom est Dupont », « Mme Lefèvre », « ma fille Chloé »."""
    assert_redacted(planted)


@examples(EXAMPLES["position"])
@given(ps.position_sentences())
def test_no_precise_position_survives(planted: ps.Planted) -> None:
    """Coordinates with 4 to 6 decimals keep at most 2 (about 1 km), in a sentence, a link or a payload."""
    assert_redacted(planted)


@examples(EXAMPLES["public"])
@given(ps.public_sentences())
def test_public_data_always_survives(public: ps.Public) -> None:
    """Postcodes (also after « code »), communes, hours, the 3422, departments, dates with no birth word, and a
    France Services desk's published name, address, phone and e-mail."""
    redacted = redact(public.text)
    assert redacted == public.text, f"{public.form}: {public.text!r} became {redacted!r}"
    assert find_personal_data(public.text) == [], public.text


def test_the_examples_reach_the_bar() -> None:
    assert sum(EXAMPLES.values()) >= 5_000


# ---------------------------------------------------------------- a planted regression


def phone_sample() -> list[ps.Planted]:
    """The same phone sentences at every run."""
    return ps.sample(ps.phone_sentences(), REGRESSION_SAMPLE)


def test_a_phone_detector_taken_out_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the phone detector, the very check of the property finds phone numbers left in the text."""
    engine = importlib.import_module("bot.privacy.engine")
    sample = phone_sample()
    redacted_today = [planted for planted in sample if not problems(planted)]
    assert redacted_today, "no phone sentence of the sample is redacted even with every detector"
    without = tuple(detector for detector in engine.DETECTORS if detector.kind != PHONE_KIND)
    assert len(without) < len(engine.DETECTORS), "no detector of kind « numéro de téléphone »"
    monkeypatch.setattr(engine, "DETECTORS", without)
    survivors = [planted for planted in redacted_today if problems(planted)]
    assert survivors, "the property check did not notice that phone numbers are no longer redacted"


REGRESSIONS: dict[str, Callable[[], st.SearchStrategy[ps.Planted]]] = {
    "numéro de sécurité sociale": ps.nir_sentences,
    "coordonnées bancaires": ps.iban_sentences,
    "adresse e-mail": ps.email_sentences,
    "adresse": ps.address_sentences,
    "code": ps.code_sentences,
    "date de naissance": ps.birth_date_sentences,
    "nom": ps.name_sentences,
    "position": ps.position_sentences,
}


@pytest.mark.parametrize("kind", list(REGRESSIONS))
def test_any_detector_taken_out_is_caught(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same for every other kind the properties cover: its sentences then leak."""
    engine = importlib.import_module("bot.privacy.engine")
    sample = ps.sample(REGRESSIONS[kind](), REGRESSION_SAMPLE)
    redacted_today = [planted for planted in sample if not problems(planted)]
    assert redacted_today, f"no sentence of the sample is redacted even with every detector ({kind})"
    without = tuple(detector for detector in engine.DETECTORS if detector.kind != kind)
    assert len(without) < len(engine.DETECTORS), f"no detector of kind « {kind} »"
    monkeypatch.setattr(engine, "DETECTORS", without)
    assert any(problems(planted) for planted in redacted_today), f"removing « {kind} » went unnoticed"


# ---------------------------------------------------------------- where text is kept: the tracker store


def leaves(value: Any) -> Iterator[str]:
    """Every string inside ``value`` (dicts, lists), dict keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(key)
            yield from leaves(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from leaves(item)


def stored_strings(database: Path, sender: str) -> list[str]:
    """Every string of the sender's raw rows, read with sqlite3 (not through Rasa); JSON data decoded."""
    connection = sqlite3.connect(database)
    try:
        cursor = connection.execute("SELECT * FROM events WHERE sender_id = ?", (sender,))
        columns = [description[0] for description in cursor.description]
        rows = cursor.fetchall()
    finally:
        connection.close()
    found = []
    for row in rows:
        for column, value in zip(columns, row, strict=True):
            if column == "data":
                found += leaves(json.loads(value))
            elif column != "sender_id" and isinstance(value, str):
                found.append(value)
    return found


def test_nothing_survives_in_the_tracker_store(tmp_path: Path) -> None:
    """User text, its entities, a slot and a bot message, saved by the redacting store to SQLite."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa_ext.stores.tracker_store import RedactingSQLTrackerStore

    database = tmp_path / "trackers.db"
    store = RedactingSQLTrackerStore(url=f"sqlite:///{database}")
    senders = itertools.count()

    @examples(PLACE_EXAMPLES, shrink=False)
    @given(ps.personal_sentences())
    def stored(planted: ps.Planted) -> None:
        sender = f"sender-{next(senders)}"
        text = planted.text
        events = [
            ActionExecuted("action_listen"),
            UserUttered(
                text,
                {"name": "nlu_fallback", "confidence": 0.3},
                [{"entity": "message", "value": text}],
                parse_data={"text": text},
                message_id="message",
            ),
            SlotSet("fs_place", text),
            BotUttered(text, metadata={"echo": text}),
        ]
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
        strings = stored_strings(database, sender)
        assert "user" in strings, "the user message was not stored"
        for string in strings:
            assert not planted.leaks(string), f"{planted!r}: stored as {string!r}"

    try:
        stored()
    finally:
        store.engine.dispose()


# ---------------------------------------------------------------- the logs


@pytest.fixture
def own_structlog_chain() -> Iterator[None]:
    """install() edits structlog's chain in place: give it a copy, and put the original back after."""
    saved = structlog.get_config()
    structlog.configure(processors=list(saved["processors"]))
    yield
    structlog.configure(**saved)


@pytest.fixture
def captured(own_structlog_chain: None) -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger of its own, through a real handler and formatter, with the redaction installed."""
    from bot.privacy.logs import install

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        logging.Formatter("%(levelname)s %(name)s %(message)s %(user_text)s", defaults={"user_text": ""})
    )
    logger = logging.getLogger("tests.privacy.properties")
    logger.handlers, logger.propagate = [handler], False
    logger.setLevel(logging.DEBUG)
    install(logger)
    yield logger, stream
    logger.handlers, logger.filters = [], []


def test_nothing_survives_in_the_logs(captured: tuple[logging.Logger, io.StringIO]) -> None:
    """Arguments, f-strings, ``extra`` fields, exception messages, and structlog events."""
    from bot.privacy.logs import RedactingProcessor

    logger, stream = captured

    def written(log: Callable[[], None]) -> str:
        """What one logging call wrote, without the traceback's « File …, line N » lines."""
        stream.seek(0)
        stream.truncate()
        log()
        return "\n".join(line for line in stream.getvalue().splitlines() if not line.startswith('  File "'))

    def failing(text: str) -> None:
        try:
            raise ValueError(text)
        except ValueError:
            logger.exception("échec du traitement")

    @examples(PLACE_EXAMPLES, shrink=False)
    @given(ps.personal_sentences())
    def logged(planted: ps.Planted) -> None:
        text = planted.text
        outputs = [
            written(lambda: logger.info("message reçu : %s", text)),
            written(lambda: logger.warning(f"message reçu : {text}")),
            written(lambda: logger.info("message reçu", extra={"user_text": text})),
            written(lambda: failing(text)),
        ]
        assert all(outputs) and "ValueError" in outputs[-1], "nothing was logged"
        event = {"event": "rest.message.received", "text": text, "entities": [{"value": text}], "exc_info": False}
        outputs += leaves(RedactingProcessor()(None, "info", event))
        for output in outputs:
            assert not planted.leaks(output), f"{planted!r}: logged as {output!r}"

    logged()


# ---------------------------------------------------------------- the review export

T0 = datetime(2026, 12, 1, 10, 0).timestamp()
DAY = date.fromtimestamp(T0)


def review_of(texts: list[str]) -> Any:
    """The review of one conversation whose messages (``texts``, unredacted, as an old store may hold them)
    the assistant did not understand."""
    from bot.feedback import AnswerFeedback
    from tools.review.analysis import analyse
    from tools.review.events import Period, conversations, parse_rows

    parse_data = {"intent": {"name": "nlu_fallback", "confidence": 0.2},
                  "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.2}]}  # fmt: skip
    events: list[dict[str, Any]] = [{"event": "action", "name": "action_session_start"}, {"event": "session_started"}]
    for text in texts:
        events += [{"event": "user", "text": text, "parse_data": parse_data}]
        events += [{"event": "action", "name": "action_clarify"}]
        # and an answer the reader then rated « Non »: feedback.md lists the messages that led to it
        events += [{"event": "bot", "text": "…", "data": {"custom": {"answer_id": "who_can_see"}}}]
    rows = [("reviewed", e["event"], T0 + i, json.dumps(e, ensure_ascii=False)) for i, e in enumerate(events)]
    parsed, skipped = parse_rows(rows)
    assert skipped == 0
    rated = [AnswerFeedback("who_can_see", helpful=0, unhelpful=1, reasons={"pas_ma_question": 1})]
    return analyse(conversations(parsed), Period(DAY, DAY), feedback=rated)


def test_nothing_survives_in_the_review_export(tmp_path: Path) -> None:
    """to_label.yml, stories.yml, usage.md, feedback.md and summary.json, from messages that reached the store
    unredacted."""
    from tools.review.analysis import summary
    from tools.review.ratings import feedback_markdown
    from tools.review.writers import stories_yaml, to_label_yaml, usage_markdown, write_all

    @examples(PLACE_EXAMPLES, shrink=False)
    @given(ps.personal_sentences())
    def exported(planted: ps.Planted) -> None:
        review = review_of([planted.text])
        groups = yaml.safe_load(to_label_yaml(review, tmp_path / "to_label.yml"))
        stories = yaml.safe_load(stories_yaml(review))["stories"]
        texts = [group["examples"] for group in groups]
        texts += [step["user"] for story in stories for step in story["steps"] if "user" in step]
        assert texts, "the message is not in the export"  # a button payload (/share_position…) only in the story
        for text in texts:
            assert not planted.leaks(text), f"{planted!r}: exported as {text!r}"
        feedback_page = feedback_markdown(review.rated_answers, "jour")
        assert "who_can_see" in feedback_page  # the rated answer and the messages that led to it are listed
        for whole in (usage_markdown(review), json.dumps(summary(review), ensure_ascii=False), feedback_page):
            assert not planted.leaks(whole, strict=False), f"{planted!r}: in {whole!r}"

    exported()
    # Once through the real export, files written: the messages of a whole sample in one conversation.
    sample = ps.sample(ps.personal_sentences(), 30)
    out = tmp_path / "export"
    write_all(review_of([planted.text for planted in sample]), out)
    files = [path for path in out.iterdir() if path.suffix in (".yml", ".md", ".json")]
    assert sorted(path.name for path in files) == ["feedback.md", "stories.yml", "summary.json", "to_label.yml",
                                                    "usage.md"]  # fmt: skip
    for path in files:
        content = path.read_text(encoding="utf-8")
        for planted in sample:
            assert not planted.leaks(content, strict=False), f"{planted!r}: in {path.name}"


# ---------------------------------------------------------------- the web proxy


def test_nothing_survives_the_web_proxy() -> None:
    """What the proxy forwards to Rasa (chat(): find_personal_data, then redact) and what it sends back."""
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from bot.web.app import create_app
    from bot.web.settings import Settings

    seen: list[dict[str, Any]] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        seen.append(body)
        return web.json_response([{"recipient_id": body["sender"], "text": f"Vous avez dit : {body['message']}"}])

    async def start() -> tuple[TestServer, TestClient]:
        rasa_app = web.Application()
        rasa_app.router.add_post("/webhooks/rest/webhook", webhook)
        rasa = TestServer(rasa_app)
        await rasa.start_server()
        url = str(rasa.make_url("")).rstrip("/")
        settings_ = replace(Settings(), rasa_url=url, rate_capacity=1e9, address_rate_capacity=1e9)
        client = TestClient(TestServer(create_app(settings_)))
        await client.start_server()
        return rasa, client

    async def chat(client: TestClient, session: str, text: str) -> tuple[int, Any]:
        response = await client.post("/api/chat", json={"session_id": session, "message": text})
        return response.status, await response.json()

    loop = asyncio.new_event_loop()
    rasa, client = loop.run_until_complete(start())
    sessions = (str(uuid.UUID(int=n)) for n in itertools.count(1))

    @examples(PLACE_EXAMPLES, shrink=False)
    @given(ps.personal_sentences())
    def forwarded(planted: ps.Planted) -> None:
        seen.clear()
        status, body = loop.run_until_complete(chat(client, next(sessions), planted.text))
        assert status == 200, body
        (sent,) = seen
        assert not planted.leaks(sent["message"]), f"{planted!r}: forwarded as {sent['message']!r}"
        for message in body["messages"]:
            assert not planted.leaks(message["text"]), f"{planted!r}: answered {message['text']!r}"

    try:
        forwarded()
    finally:
        loop.run_until_complete(client.close())
        loop.run_until_complete(rasa.close())
        loop.close()


def test_redact_value_walks_what_the_places_store() -> None:
    """The places above go through redact_value for nested data: same result as redact on each string."""
    sample = ps.sample(ps.personal_sentences(), 20)
    nested = {"text": [planted.text for planted in sample], "slots": {"a": (sample[0].text,)}}
    redacted = redact_value(nested)
    assert redacted["text"] == [redact(planted.text) for planted in sample]
    assert redacted["slots"] == {"a": (redact(sample[0].text),)}
