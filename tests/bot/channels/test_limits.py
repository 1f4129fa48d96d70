"""Each channel's limits come from its adapter, by name; an unknown channel gets the smallest."""

from __future__ import annotations

from bot.channels.console import ConsoleChannel
from bot.channels.limits import Limits, limits_of
from bot.channels.telegram import TelegramChannel


def test_the_adapters_name_their_own_limits() -> None:
    assert limits_of("telegram") == Limits(TelegramChannel.max_text, TelegramChannel.max_caption)
    assert limits_of("telegram") == Limits(4096, 1024)
    assert limits_of("console") == Limits(None, None) == Limits(ConsoleChannel.max_text, None)


def test_a_channel_no_adapter_is_named_for_gets_the_smallest_limits() -> None:
    assert limits_of("zalo") == Limits(4096, 1024)
