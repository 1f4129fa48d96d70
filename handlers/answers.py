"""Reading what a person typed: a percentage, or a piece of text within limits.

The rule for text is the services' own (`bot.services.text`); here a refusal is explained.
"""

from __future__ import annotations

import re

from bot.services.text import MAX_TEXT, read_text
from handlers.turn import Turn

__all__ = ["MAX_TEXT", "read_percent", "take_text"]

_PERCENT = re.compile(r"^\s*(\d{1,3})\s*%?\s*$", re.ASCII)


def read_percent(text: str | None) -> int | None:
    """A whole number from 0 to 100, with or without a % sign; None otherwise."""
    match = _PERCENT.match(text or "")
    if match is None:
        return None
    value = int(match.group(1))
    return value if value <= 100 else None


def take_text(turn: Turn, limit: int, no_words: str) -> str | None:
    """The typed text within `limit`, or None after saying what is wrong (`no_words` if empty)."""
    t, typed = turn.t, turn.inbound.text
    answer = read_text(typed, limit)
    if answer.problem == "too_long":
        turn.say(
            t._(
                "That is {length} characters; please keep it within {limit}.",
                length=t.number(len((typed or "").strip())),
                limit=t.number(limit),
            )
        )
        return None
    if answer.problem is not None:
        turn.say(no_words)
        return None
    return answer.value
