"""Logging for a process that handles officials' personal data and holds bot tokens.

The rules: a token never reaches a log line at any level (httpx writes every request URL,
and a bot token is part of Telegram's and the Zalo bot's URLs); names, phone numbers,
citizen ids and chat ids are never written at INFO or above (roviec's own lines name
officials and messages by id; libraries write contents at DEBUG only).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Any, TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
TEXT_FORMAT = FORMAT + "%(update_suffix)s"
# The update (channel:update key) being handled or answered: keys, never contents.
_UPDATE: ContextVar[str | None] = ContextVar("roviec_update", default=None)
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


class JsonLines(logging.Formatter):
    """One JSON object a record: time, level, logger, message, and the update it concerns."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a single line of JSON."""
        entry: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        update = getattr(record, "update", None)
        if update:
            entry["update"] = update
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def following(update: str | None) -> Token[str | None]:
    """Name the update being handled or answered, for every line logged until `reset`."""
    return _UPDATE.set(update)


def reset(token: Token[str | None]) -> None:
    """Stop naming the update (the token `following` gave)."""
    _UPDATE.reset(token)


class _UpdateTag(logging.Filter):
    """Puts the update being handled on each record, as `record.update`."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Tag the record; keep it."""
        update = _UPDATE.get()
        record.update = update
        record.update_suffix = f" [update {update}]" if update else ""
        return True


def handler_for(style: str, stream: TextIO | None = None) -> logging.Handler:
    """A handler writing text or JSON lines (to stderr by default), each tagged with its update."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(_UpdateTag())
    handler.setFormatter(JsonLines() if style == "json" else logging.Formatter(TEXT_FORMAT))
    return handler


def configure(level: int, style: str = "text") -> None:
    """The process's logging: one line a record (text or JSON lines); libraries' chatter at
    WARNING unless DEBUG."""
    logging.basicConfig(level=level, handlers=[handler_for(style)])
    guard_tokens()
    if level > logging.DEBUG:
        # httpx logs every request at INFO: at 25 messages a second that drowns what matters.
        for name in QUIET_LIBRARIES:
            logging.getLogger(name).setLevel(logging.WARNING)
