"""Logging for a process that handles officials' personal data and holds bot tokens.

The rules: a token never reaches a log line at any level (httpx writes every request URL,
and a bot token is part of Telegram's and the Zalo bot's URLs); names, phone numbers,
citizen ids and chat ids are never written at INFO or above (roviec's own lines name
officials and messages by id; libraries write contents at DEBUG only).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_TOKEN_IN_PATH = re.compile(r"/bot[^/\s\"']+")
QUIET_LIBRARIES = ("httpx", "httpcore", "telegram", "apscheduler", "uvicorn.access")


def redact(text: str) -> str:
    """The text with any bot token in a URL path replaced by ``***``."""
    return _TOKEN_IN_PATH.sub("/bot***", text)


def _redacting(make: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    """A record factory that renders each message once, a token in a URL path masked."""

    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        message = record.getMessage()
        if "/bot" in message:
            record.msg, record.args = redact(message), None
        return record

    make_record.redacts = True  # type: ignore[attr-defined]
    return make_record


def guard_tokens() -> None:
    """Make every log record unable to carry a bot token, whoever logs it (idempotent).

    A record factory rather than a filter: filters sit on one logger or one handler, and
    python-telegram-bot logs its URL (token included) from loggers of its own at DEBUG.
    """
    current = logging.getLogRecordFactory()
    if not getattr(current, "redacts", False):
        logging.setLogRecordFactory(_redacting(current))


def configure(level: int) -> None:
    """The process's logging: one line a record; libraries' chatter at WARNING unless DEBUG."""
    logging.basicConfig(level=level, format=FORMAT)
    guard_tokens()
    if level > logging.DEBUG:
        # httpx logs every request at INFO: at 25 messages a second that drowns what matters.
        for name in QUIET_LIBRARIES:
            logging.getLogger(name).setLevel(logging.WARNING)
