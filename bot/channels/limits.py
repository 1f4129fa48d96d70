"""How long a message may be on a channel, by the channel's name, for text fitted ahead.

Each adapter names its own `max_text` and `max_caption` (the `Channel` protocol). Text that
is cut to fit one message (the weekly digest, the list of who has not acknowledged a
directive) is written for a recipient's channel, often in a process that does not serve it:
a scheduled job queues messages that the running bot delivers (`roviec jobs run`). So the
limits are looked up here by the channel's name; a channel none of the adapters is named
for gets the smallest limits of them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from bot.channels.base import Channel


@dataclass(frozen=True)
class Limits:
    """The longest text of one message and caption of one file (UTF-16 units); None: no cap."""

    text: int | None
    caption: int | None


def limits_of(channel: str) -> Limits:
    """The limits of the channel with this name, or the smallest of all if no adapter has it."""
    adapters = _adapters()
    adapter = adapters.get(channel)
    if adapter is not None:
        return Limits(adapter.max_text, adapter.max_caption)
    return Limits(
        _smallest(a.max_text for a in adapters.values()),
        _smallest(a.max_caption for a in adapters.values()),
    )


def shows_numbered_choices(channel: str) -> bool:
    """Whether the channel with this name shows choices as numbered lines (no adapter: no)."""
    adapter = _adapters().get(channel)
    return adapter is not None and adapter.numbered_choices


def _smallest(limits: Iterable[int | None]) -> int | None:
    capped = [limit for limit in limits if limit is not None]
    return min(capped) if capped else None


@cache
def _adapters() -> dict[str, type[Channel]]:
    # Imported on first use: the Telegram adapter brings python-telegram-bot with it.
    from bot.channels.console import ConsoleChannel
    from bot.channels.telegram import TelegramChannel
    from bot.channels.zalo import ZaloBotChannel, ZaloOAChannel

    adapters: tuple[type[Channel], ...] = (
        ConsoleChannel,
        TelegramChannel,
        ZaloBotChannel,
        ZaloOAChannel,
    )
    return {adapter.name: adapter for adapter in adapters}
