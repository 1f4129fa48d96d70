"""A Zalo Official Account behind the Channel protocol, with its rotating tokens.

An access token lives about 25 hours; the refresh token that renews it works once and is
replaced by a new one with every refresh. Losing the new refresh token locks the OA out
until an operator authorizes it again, so it is saved (through a :class:`TokenStore`)
before the new access token is used, and refreshes never run two at a time. Across
processes the store itself must serialize refreshes (a row lock, say).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from bot.channels.base import Delivery, Inbound, Outbound
from bot.channels.zalo.bot_channel import (
    FileUnsendable,
    Publish,
    add_link,
    prepare_file,
    report_success,
)
from bot.channels.zalo.delivery import (
    DEFAULT_ZONE,
    REFRESH,
    classify_oa_error,
    classify_refresh_error,
)
from bot.channels.zalo.oa_api import OAToken, ZaloOAClient, ZaloOAError
from bot.channels.zalo.oa_events import NAME, parse_event
from bot.channels.zalo.render import MAX_TEXT, render_for_oa

log = logging.getLogger(__name__)
REFRESH_MARGIN = timedelta(minutes=5)  # renew a little early rather than fail a send


class TokenStore(Protocol):
    """Where the OA's current tokens are kept; `save` must be durable when it returns."""

    async def load(self) -> OAToken:
        """The current tokens."""
        ...

    async def save(self, token: OAToken) -> None:
        """Replace the tokens (the old refresh token is already spent)."""
        ...


class MemoryTokenStore:
    """Tokens in memory: for tests and a first try, never for an OA in production."""

    def __init__(self, token: OAToken) -> None:
        self.token = token
        self.saved = 0

    async def load(self) -> OAToken:
        """The current tokens."""
        return self.token

    async def save(self, token: OAToken) -> None:
        """Replace the tokens."""
        self.token = token
        self.saved += 1


def _utcnow() -> datetime:
    """Now, in UTC (the default clock)."""
    return datetime.now(UTC)


class ZaloOAChannel:
    """One Official Account as a roviec channel; a chat key is the follower's user id."""

    name = NAME
    max_text: int | None = MAX_TEXT
    max_caption: int | None = MAX_TEXT  # a picture's caption has the same 2000 as a text
    numbered_choices = True

    def __init__(
        self,
        client: ZaloOAClient,
        tokens: TokenStore,
        *,
        app_id: str,
        secret_key: str,
        publish: Publish | None = None,
        clock: Callable[[], datetime] = _utcnow,
        zone: str = DEFAULT_ZONE,
        unsendable: str | None = None,
    ) -> None:
        self.client = client
        self.tokens = tokens
        self.publish = publish
        self.unsendable = unsendable  # said in place of a file that cannot be sent
        self.clock = clock
        self.zone = zone
        self._app_id = app_id
        self._secret_key = secret_key
        self._refreshing = asyncio.Lock()

    def __repr__(self) -> str:
        """Never the secret key."""
        return f"ZaloOAChannel(app_id={self._app_id!r})"

    def parse(self, payload: dict[str, Any]) -> Inbound | None:
        """A stored webhook event as a neutral Inbound."""
        return parse_event(payload)

    async def deliver(self, chat_key: str, message: Outbound) -> Delivery:
        """Send one message; on an expired access token, refresh it and try once more."""
        try:
            token = await self.load_token()
        except ZaloOAError as error:
            return classify_refresh_error(error)
        first = await self._attempt(token.access_token, chat_key, message)
        if not first.extra.get(REFRESH):
            return first
        try:
            token = await self.refresh(stale=token)
        except ZaloOAError as error:
            return classify_refresh_error(error)
        return await self._attempt(token.access_token, chat_key, message)

    async def acknowledge_button(self, inbound: Inbound, notice: str | None = None) -> None:
        """A tap arrives as text: there is no spinner to stop."""

    async def load_token(self) -> OAToken:
        """The stored tokens, refreshed first when the access token is (nearly) expired."""
        token = await self.tokens.load()
        if token.expires_within(self.clock(), REFRESH_MARGIN):
            token = await self.refresh(stale=token)
        return token

    async def refresh(self, stale: OAToken) -> OAToken:
        """New tokens for `stale` ones, unless someone else has renewed them meanwhile."""
        async with self._refreshing:
            current = await self.tokens.load()
            if current.access_token != stale.access_token:
                return current  # another send refreshed while this one waited
            fresh = await self.client.refresh_access_token(
                self._app_id, self._secret_key, current.refresh_token
            )
            try:
                await self.tokens.save(fresh)
            except Exception:
                # The old refresh token is spent: without the new one an operator must step in.
                log.critical("Zalo OA tokens were renewed but could not be saved")
                raise
            log.info("Zalo OA access token renewed; it expires %s", fresh.expires_at.isoformat())
            return fresh

    async def _attempt(self, access_token: str, user_id: str, message: Outbound) -> Delivery:
        """Send a picture and then the texts (buttons on the last); classify a refusal."""
        rendered = render_for_oa(message)
        try:
            photo, link = await prepare_file(message, self.publish, self.unsendable)
        except FileUnsendable as error:
            return Delivery(error=f"Zalo OA: {error}", permanent=True)
        texts = add_link(rendered, link)
        if photo is None and not texts:
            return Delivery(error="Zalo OA: an empty message cannot be sent", permanent=True)
        message_id = ""
        try:
            if photo is not None:
                message_id = await self.client.send_image(
                    access_token, user_id, photo, rendered.caption
                )
            for index, text in enumerate(texts):
                last = index == len(texts) - 1
                if last and rendered.buttons:
                    message_id = await self.client.send_buttons(
                        access_token, user_id, text, rendered.buttons
                    )
                else:
                    message_id = await self.client.send_text(access_token, user_id, text)
        except ZaloOAError as error:
            return classify_oa_error(error, self.clock(), self.zone)
        return report_success(message_id, rendered.payloads)
