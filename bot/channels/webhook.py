"""How updates reach roviec: the platform calls its webhook, or roviec polls the platform."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.services.inbox import Received
from db.engine import Database


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
    `is_probe` recognises a call that proves nothing but is the platform testing the URL
    (Zalo OA's unsigned POST when the URL is saved): it is answered 200, nothing stored.
    """

    channel: str
    path: str
    verify: Callable[[HookRequest], bool]
    receive: Callable[[dict[str, Any]], Received | None]
    is_probe: Callable[[HookRequest], bool] | None = None


class Receiver(Protocol):
    """A platform that calls the webhook, or is polled when there is no public URL."""

    name: str

    async def start(self) -> None:
        """What the platform must answer before roviec serves it (its bot, its token);
        raises bot.retries.Refused for credentials it rejects, anything else to retry."""
        ...

    def hook(self, secret: str) -> Hook:
        """The webhook that proves its calls with `secret`."""
        ...

    async def use_webhook(self, public_url: str, secret: str) -> None:
        """Tell the platform to call the webhook under `public_url`."""
        ...

    async def poll(
        self,
        db: Database,
        clock: Callable[[], datetime],
        stored: Callable[[], None],
        stop: asyncio.Event,
    ) -> None:
        """Fetch updates into the inbox until `stop` is set (and stop using any webhook)."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
