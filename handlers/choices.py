"""Rows of buttons several flows show: a pager, and a list to choose things from or remove.

A flow says what its buttons carry with a `Press`: given a label and a number (the page to
show, the thing to choose), it makes the button; `Steps.press` makes one for a step of a
guided conversation and `stateless` one that works from any message.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from bot.channels.base import Choice
from bot.i18n import Translator
from bot.messages.payloads import STATELESS, Flow, Payload

Press = Callable[[str, int], Choice]


def stateless(flow: Flow, action: str) -> Press:
    """Make buttons that work from any message, each carrying its number."""
    return lambda label, number: Payload(flow, STATELESS, action, str(number)).choice(label)


def count_pages(total: int, size: int) -> int:
    """How many pages of `size` hold `total` items."""
    return (total + size - 1) // size


def page_through(
    t: Translator, page: int, pages: int, press: Press
) -> tuple[tuple[Choice, ...], ...]:
    """The row with ◀ Previous and Next ▶ around `page` (from 0) of `pages`; none if one page."""
    row = []
    if page > 0:
        row.append(press(t._("◀ Previous"), page - 1))
    if page + 1 < pages:
        row.append(press(t._("Next ▶"), page + 1))
    return (tuple(row),) if row else ()


def mark_chosen(
    options: Iterable[tuple[int, str]], chosen: Collection[int], press: Press
) -> list[tuple[Choice, ...]]:
    """One row per option, ✅ when chosen and ▫️ when not; pressing one toggles it."""
    return [(press(("✅ " if key in chosen else "▫️ ") + label, key),) for key, label in options]


def toggle(chosen: Iterable[int], key: int) -> list[int]:
    """The chosen keys with `key` added, or removed if it was chosen, in order."""
    return sorted(set(chosen) ^ {key})
