"""A personal link's token never reaches a log line.

The links are `/support/<page>/<token>[/…]` (the wellbeing check, unsubscribing); `redact` puts
`[token]` where the token was, in a path or a whole URL, plain or percent-encoded. `install` makes
every log record of this process pass through it as the record is made (a record factory rather
than a filter on some handler), so it holds for the uvicorn and Starlette loggers, Streamlit's
and ours, whatever handlers they are given later. Arguments are redacted one by one, because
uvicorn's access log formatter reads them by position; an exception's traceback is formatted and
redacted at once.
"""

from __future__ import annotations

import logging
import re
import traceback

# /support/check/<token>, /support/stop/<token>…; the assets are not personal.
_TOKEN_SEGMENT = re.compile(r"((?:/|%2F)support(?:/|%2F)(?!assets(?:/|%2F))[A-Za-z0-9_-]+(?:/|%2F))"
                            r"(?!\[token\])[^/\s?#&\"'<>%]+", re.IGNORECASE)
PLACEHOLDER = "[token]"
_installed = False


def redact(text: str) -> str:
    return _TOKEN_SEGMENT.sub(lambda m: m.group(1) + PLACEHOLDER, text)


def _redacted(value: object) -> object:
    return redact(value) if isinstance(value, str) else value


def _scrub(record: logging.LogRecord) -> None:
    if isinstance(record.msg, str):
        record.msg = redact(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(_redacted(a) for a in record.args)
    elif isinstance(record.args, dict):
        record.args = {k: _redacted(v) for k, v in record.args.items()}
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a badly formed record: logging itself reports it
        return
    if redact(message) != message:  # a token only formatting put together
        record.msg, record.args = redact(message), ()
    if record.exc_info and not record.exc_text:
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def install() -> None:
    """Redact every log record this process makes from now on (once per process; calling again is harmless)."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def redacting_factory(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        _scrub(record)
        return record

    logging.setLogRecordFactory(redacting_factory)
    _installed = True
