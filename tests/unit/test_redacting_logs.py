"""What a user typed never reaches a log line: stdlib logging and structlog, messages and tracebacks."""

from __future__ import annotations

import io
import json
import logging

import pytest
import structlog

from bot.privacy.logs import RedactingFilter, RedactingProcessor, install

EMAIL = "jean.dupont@gmail.com"
NIR = "1 85 05 78 006 084 36"
PHONE = "06 12 34 56 78"


@pytest.fixture(autouse=True)
def own_structlog_chain():
    """install() edits structlog's chain in place: give it a copy, and put the original back after."""
    saved = structlog.get_config()
    structlog.configure(processors=list(saved["processors"]))
    yield
    structlog.configure(**saved)


@pytest.fixture
def captured():
    """A logger of its own writing to a StringIO through a real handler and formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        logging.Formatter("%(levelname)s %(name)s %(message)s %(user_text)s", defaults={"user_text": ""})
    )
    logger = logging.getLogger("tests.privacy.logs")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    install(logger)
    yield logger, stream
    logger.handlers = []
    logger.filters = []


def _assert_clean(output: str) -> None:
    for secret in (EMAIL, NIR, "185057800608436", PHONE, "jean.dupont"):
        assert secret not in output


def test_messages_with_arguments_are_redacted(captured):
    logger, stream = captured
    logger.info("user said %s", f"mon mail est {EMAIL}")
    logger.warning("NIR %s, phone %r", NIR, PHONE)
    logger.error("dict args %(text)s", {"text": f"tel {PHONE}"})
    logger.debug(f"f-string {EMAIL}")
    logger.info("extra field", extra={"user_text": f"j'habite 12 rue de la Paix 88000 Épinal, {EMAIL}"})
    output = stream.getvalue()
    _assert_clean(output)
    assert "[adresse e-mail]" in output
    assert "[numéro de sécurité sociale]" in output
    assert "[numéro de téléphone]" in output
    assert "[adresse] 88000 Épinal" in output
    assert output.count("\n") == 5


def test_exception_messages_and_tracebacks_are_redacted(captured):
    logger, stream = captured
    try:
        raise ValueError(f"cannot parse {EMAIL} / {NIR}")
    except ValueError:
        logger.exception("failure while handling %s", PHONE)
    output = stream.getvalue()
    _assert_clean(output)
    assert "Traceback (most recent call last)" in output
    assert "ValueError: cannot parse [adresse e-mail] / [numéro de sécurité sociale]" in output
    assert "failure while handling [numéro de téléphone]" in output


def test_exception_chained_from_a_user_message_is_redacted(captured):
    logger, stream = captured
    try:
        try:
            int(f"185057800608436 {EMAIL}")
        except ValueError as error:
            raise RuntimeError("wrapped") from error
    except RuntimeError:
        logger.error("boom", exc_info=True)
    output = stream.getvalue()
    _assert_clean(output)
    assert "[numéro de sécurité sociale]" in output


def test_bad_format_arguments_do_not_leak_or_raise(captured):
    logger, stream = captured
    logger.info("two %s %s but one", EMAIL)
    output = stream.getvalue()
    _assert_clean(output)
    assert "[adresse e-mail]" in output


def test_filter_keeps_every_record_and_works_once():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "mail %s", (EMAIL,), None)
    flt = RedactingFilter()
    assert flt.filter(record) is True
    assert record.getMessage() == "mail [adresse e-mail]"
    assert flt.filter(record) is True
    assert record.getMessage() == "mail [adresse e-mail]"


def test_install_is_idempotent_and_covers_root_handlers():
    root = logging.getLogger()
    handler = logging.StreamHandler(io.StringIO())
    root.addHandler(handler)
    try:
        install()
        install()
        assert sum(isinstance(f, RedactingFilter) for f in root.filters) == 1
        assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
        processors = structlog.get_config()["processors"]
        assert isinstance(processors[0], RedactingProcessor)
        assert isinstance(processors[-2], RedactingProcessor)  # just before the renderer
        assert sum(isinstance(p, RedactingProcessor) for p in processors) == 2
    finally:
        root.removeHandler(handler)
        root.filters = [f for f in root.filters if not isinstance(f, RedactingFilter)]
        if logging.lastResort is not None:
            logging.lastResort.filters = [f for f in logging.lastResort.filters if not isinstance(f, RedactingFilter)]
        for other in logging.Logger.manager.loggerDict.values():
            for h in getattr(other, "handlers", []):
                h.filters = [f for f in h.filters if not isinstance(f, RedactingFilter)]


def test_structlog_events_are_redacted():
    stream = io.StringIO()
    structlog.configure(
        processors=[structlog.processors.add_log_level, structlog.processors.JSONRenderer()],
        logger_factory=structlog.PrintLoggerFactory(file=stream),
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        cache_logger_on_first_use=False,
    )
    install(logging.getLogger("tests.privacy.structlog"))
    log = structlog.get_logger()
    log.info(
        "rest.message.received",
        text=f"mon numéro est {NIR} et mon mail {EMAIL}",
        entities=[{"entity": "phone", "value": PHONE}],
        confidence=0.9,
    )
    try:
        raise KeyError(f"no slot for {EMAIL}")
    except KeyError:
        log.exception("action.failed", sender="abc", user_message=f"appelez le {PHONE}")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    _assert_clean(stream.getvalue())
    assert lines[0]["text"] == "mon numéro est [numéro de sécurité sociale] et mon mail [adresse e-mail]"
    assert lines[0]["entities"] == [{"entity": "phone", "value": "[numéro de téléphone]"}]
    assert lines[0]["confidence"] == 0.9 and lines[0]["event"] == "rest.message.received"
    assert lines[1]["user_message"] == "appelez le [numéro de téléphone]"
    assert "KeyError" in lines[1]["exception"] and "[adresse e-mail]" in lines[1]["exception"]


def test_structlog_chain_like_rasas_json_mode():
    """Rasa 3.6 chain: filter_by_level, set_exc_info (re-adds exc_info after us), dict_tracebacks, JSON, stdlib."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # no RedactingFilter here: only structlog redacts
    stdlib_logger = logging.getLogger("tests.privacy.rasa_chain")
    stdlib_logger.handlers, stdlib_logger.propagate = [handler], False
    stdlib_logger.setLevel(logging.DEBUG)
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            structlog.processors.add_log_level,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.UnicodeDecoder(),
            structlog.dev.set_exc_info,
            structlog.processors.dict_tracebacks,
            structlog.processors.JSONRenderer(),
        ],
        context_class=dict,
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        cache_logger_on_first_use=True,
    )
    log = structlog.get_logger("tests.privacy.rasa_chain")
    log.debug("before.install", text="nothing personal")  # the logger is now cached with the old chain
    install(logging.getLogger("tests.privacy.elsewhere"))
    log.info("rest.message.received", text=f"{EMAIL} {PHONE}", slots={"fs_place": "88000 Épinal"})
    try:
        raise ValueError(f"bad value {NIR}")
    except ValueError:
        log.exception("rest.message.received.failure", text=f"mon mail {EMAIL}")
    stdlib_logger.handlers = []
    output = stream.getvalue()
    _assert_clean(output)
    lines = [json.loads(line) for line in output.splitlines()]
    assert lines[1]["text"] == "[adresse e-mail] [numéro de téléphone]"
    assert lines[1]["slots"] == {"fs_place": "88000 Épinal"}
    rendered = json.dumps(lines[2]["exception"], ensure_ascii=False)  # a string, or dict_tracebacks' structure
    assert "ValueError" in rendered and "bad value [numéro de sécurité sociale]" in rendered


def test_structlog_through_stdlib_like_rasa(captured):
    """Rasa renders structlog events to a stdlib logger: both layers redact."""
    logger, stream = captured
    structlog.configure(
        processors=[structlog.processors.KeyValueRenderer(key_order=["event"])],
        logger_factory=lambda *args: logger,
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        cache_logger_on_first_use=False,
    )
    install(logger)
    structlog.get_logger().info("processor.message", user_text=f"{EMAIL} {NIR}")
    output = stream.getvalue()
    _assert_clean(output)
    assert "[adresse e-mail] [numéro de sécurité sociale]" in output


def test_processor_never_raises():
    class Exploding:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    event = {"event": f"x {EMAIL}", "odd": Exploding(), "exc_info": False}
    result = RedactingProcessor()(None, "info", event)
    assert result["event"] == "x [adresse e-mail]"
    assert "exc_info" not in result


def test_exception_added_by_a_later_processor_is_redacted_before_rendering():
    def always_exc_info(logger, method_name, event_dict):
        event_dict.setdefault("exc_info", True)
        return event_dict

    stream = io.StringIO()
    structlog.configure(
        processors=[always_exc_info, structlog.processors.JSONRenderer()],
        logger_factory=structlog.PrintLoggerFactory(file=stream),
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        cache_logger_on_first_use=False,
    )
    install(logging.getLogger("tests.privacy.structlog"))
    try:
        raise KeyError(f"unknown {EMAIL}")
    except KeyError:
        structlog.get_logger().warning("lookup.failed")
    output = stream.getvalue()
    _assert_clean(output)
    assert "[adresse e-mail]" in json.loads(output)["exception"]
