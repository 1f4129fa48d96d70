"""Reading a piece of text someone wrote: it must have words in it and keep a limit.

The conversations read every typed answer with `read_text` and explain a refusal; the
services check a draft again with the same rule before storing it, as the backstop.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_TEXT = 2000
"""The limit of a typed answer (what was done, a reason, a note) unless a flow names its own."""


@dataclass(frozen=True)
class TextAnswer:
    """Cleaned text, or the reason it was refused ("empty", "too_long", "no_words")."""

    value: str | None
    problem: str | None = None


def read_text(text: object, limit: int = MAX_TEXT) -> TextAnswer:
    """Accept text that has words in it and is not too long; anything but a string is empty."""
    cleaned = text.strip() if isinstance(text, str) else ""
    if not cleaned:
        return TextAnswer(None, "empty")
    if len(cleaned) > limit:
        return TextAnswer(None, "too_long")
    if not any(ch.isalnum() for ch in cleaned):
        return TextAnswer(None, "no_words")
    return TextAnswer(cleaned)
