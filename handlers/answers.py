"""Reading what a person typed: a percentage, or a piece of text within limits."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TEXT = 2000
_PERCENT = re.compile(r"^\s*(\d{1,3})\s*%?\s*$")


@dataclass(frozen=True)
class TextAnswer:
    """Cleaned text, or the reason it was refused ("empty", "too_long", "no_words")."""

    value: str | None
    problem: str | None = None


def read_percent(text: str | None) -> int | None:
    """A whole number from 0 to 100, with or without a % sign; None otherwise."""
    match = _PERCENT.match(text or "")
    if match is None:
        return None
    value = int(match.group(1))
    return value if value <= 100 else None


def read_text(text: str | None, limit: int = MAX_TEXT) -> TextAnswer:
    """Accept text that has words in it and is not too long."""
    cleaned = (text or "").strip()
    if not cleaned:
        return TextAnswer(None, "empty")
    if len(cleaned) > limit:
        return TextAnswer(None, "too_long")
    if not any(ch.isalnum() for ch in cleaned):
        return TextAnswer(None, "no_words")
    return TextAnswer(cleaned)
