"""How an Outbound looks on each Zalo product.

The Zalo Bot Platform has no buttons at all: choices become numbered lines and "2" means
the second choice (the numbering is kept by whoever stores deliveries). The OA shows up to
5 buttons, but not on Zalo desktop, so its choices are buttons *and* numbered lines; with
more than 5 choices there are only the lines. Both cap a text or caption at 2000 characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.channels.base import Outbound, numbered, text_length
from bot.channels.zalo.oa_api import MAX_BUTTONS
from bot.channels.zalo.oa_events import make_tap_text

MAX_TEXT = 2000  # characters of one text or caption, on both products


@dataclass(frozen=True)
class Rendered:
    """One Outbound as Zalo sends it: a picture's caption, texts, buttons and numbering."""

    texts: tuple[str, ...]  # sent in order, after the picture if there is one
    caption: str | None = None  # the picture's caption, when the whole text fits on it
    buttons: tuple[tuple[str, str], ...] = ()  # (label, text a tap sends) on the last text
    payloads: tuple[str, ...] = ()  # the payload each number stands for, "1" first


def render_for_bot(message: Outbound, limit: int = MAX_TEXT) -> Rendered:
    """The message for the Zalo Bot Platform: numbered choices, no buttons."""
    return _render(message, (), limit)


def render_for_oa(message: Outbound, limit: int = MAX_TEXT) -> Rendered:
    """The message for a Zalo OA: up to 5 choices as buttons too."""
    choices = [choice for row in message.choices for choice in row]
    buttons: tuple[tuple[str, str], ...] = ()
    if 1 <= len(choices) <= MAX_BUTTONS:
        buttons = tuple((c.label, make_tap_text(c.payload)) for c in choices)
    return _render(message, buttons, limit)


def _render(message: Outbound, buttons: tuple[tuple[str, str], ...], limit: int) -> Rendered:
    """Number the choices, then fit the text on a caption or cut it into texts."""
    text, payloads = numbered(message)
    fits = bool(text.strip()) and text_length(text) <= limit
    if message.has_file and fits and not buttons:
        return Rendered(texts=(), caption=text, payloads=tuple(payloads))
    # A caption may not be cut; a long one (or one that needs buttons) follows as text.
    parts = Outbound(text=text).split(limit)
    texts = tuple(part.text for part in parts if part.text.strip())
    return Rendered(
        texts=texts,
        buttons=buttons if texts else (),
        payloads=tuple(payloads),
    )
