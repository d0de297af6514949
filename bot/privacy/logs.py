"""Keep personal data out of the logs: a logging filter and a structlog processor.

Call ``install()`` once logging is configured (after Rasa's ``configure_structlog``): handlers
added later are not covered.
"""

from __future__ import annotations

import logging
import sys
import traceback
from typing import Any

from bot.privacy.redact import MASKED, redact, redact_value

_DONE = "_personal_data_redacted"
# Attributes every LogRecord has; anything else came from ``extra=`` and may hold user text.
_STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class RedactingFilter(logging.Filter):
    """Renders the message, the traceback and ``extra`` values, then redacts them. Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, _DONE, False):
            return True
        try:
            try:
                message = record.getMessage()
            except Exception:  # bad %-arguments: keep what we can, redacted
                message = f"{record.msg} {record.args!r}"
            record.msg = redact(message)
            record.args = ()
            if record.exc_info:
                # Render the traceback now (its exception message may quote the user) and drop
                # exc_info so that no formatter renders it again unredacted.
                record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
            elif record.exc_text:
                record.exc_text = redact(record.exc_text)
            if record.stack_info:
                record.stack_info = redact(record.stack_info)
            for name, value in list(record.__dict__.items()):
                if name not in _STANDARD_ATTRIBUTES:
                    record.__dict__[name] = redact_value(value)
        except Exception:
            record.msg, record.args, record.exc_info, record.exc_text = MASKED, (), None, None
        setattr(record, _DONE, True)
        return True


class RedactingProcessor:
    """structlog processor: redacts every string of the event dict and renders exceptions redacted."""

    def __call__(self, logger: Any, method_name: str, event_dict: Any) -> Any:
        try:
            exc_info = event_dict.pop("exc_info", None)
            if exc_info:
                rendered = _render_exception(exc_info)
                if rendered:
                    event_dict["exception"] = rendered
            for key in list(event_dict):
                event_dict[key] = redact_value(event_dict[key])
        except Exception:
            event_dict.clear()
            event_dict["event"] = MASKED
        return event_dict


def _render_exception(exc_info: Any) -> str:
    """The traceback for structlog's ``exc_info`` (True, an exception, or a sys.exc_info() tuple)."""
    if isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    elif not isinstance(exc_info, tuple):
        exc_info = sys.exc_info()
    if exc_info[0] is None:
        return ""
    return "".join(traceback.format_exception(*exc_info)).rstrip()


_FILTER = RedactingFilter()


def _add_filter(target: logging.Filterer) -> None:
    if not any(isinstance(f, RedactingFilter) for f in target.filters):
        target.addFilter(_FILTER)


def install(root: logging.Logger | None = None) -> None:
    """Redact everything logged from now on. Idempotent.

    Adds the filter to ``root`` (the root logger by default) and to its handlers; with the default
    root, also to the handlers of every logger that already exists and to ``logging.lastResort``.
    If structlog is importable, puts a redacting processor first in its chain (and another one just
    before the renderer).
    """
    logger = root if root is not None else logging.getLogger()
    _add_filter(logger)
    for handler in logger.handlers:
        _add_filter(handler)
    if root is None:
        for other in list(logging.Logger.manager.loggerDict.values()):
            if isinstance(other, logging.Logger):
                for handler in other.handlers:
                    _add_filter(handler)
        if logging.lastResort is not None:
            _add_filter(logging.lastResort)
    _install_structlog()


def _install_structlog() -> None:
    """First in the chain, so that no processor sees raw values; again just before the renderer,
    for what processors in between add (``set_exc_info`` turns ``.exception()`` into a traceback)."""
    try:
        import structlog
    except ImportError:
        return
    processors = structlog.get_config()["processors"]
    if any(isinstance(p, RedactingProcessor) for p in processors):
        return
    chain = list(processors)
    chain.insert(0, RedactingProcessor())
    if len(chain) > 2:
        chain.insert(len(chain) - 1, RedactingProcessor())
    if isinstance(processors, list):
        processors[:] = chain  # in place: loggers already cached see it too
    else:
        structlog.configure(processors=chain)
