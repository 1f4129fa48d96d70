"""What a channel offers the web server when a platform calls it instead of being polled."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.services.inbox import Received


@dataclass(frozen=True)
class HookRequest:
    """What a channel needs to check a webhook call: its headers and the raw body."""

    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class Hook:
    """One platform's webhook: where it is, how a call is proven, how an update is keyed.

    `verify` compares secrets or signatures in constant time; `receive` returns None for
    a kind of event roviec does not handle, and raises ValueError for a malformed one.
    """

    channel: str
    path: str
    verify: Callable[[HookRequest], bool]
    receive: Callable[[dict[str, Any]], Received | None]
