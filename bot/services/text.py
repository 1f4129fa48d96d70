"""Reading a piece of text someone wrote: it must have words in it and keep a limit.

The conversations read every typed answer with `read_text` and explain a refusal; the
services check a draft again with the same rule before storing it, as the backstop.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_TEXT = 2000
"""The limit of a typed answer (what was done, a reason, a note) unless a flow names its own."""

# Marks that reorder or hide text (U+202E shows "txt.exe" as "exe.txt"): never kept.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_KEPT_CONTROLS = frozenset("\n\t")


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


def clean_typed(text: str) -> str:
    """Typed text as roviec keeps it: NFC, no control or bidi-override characters, no lone
    surrogates (a broken emoji becomes U+FFFD)."""
    whole = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    kept = (
        ch
        for ch in unicodedata.normalize("NFC", whole)
        if ch in _KEPT_CONTROLS
        or (ch not in _BIDI_CONTROLS and unicodedata.category(ch) not in ("Cc", "Cs"))
    )
    return "".join(kept)
