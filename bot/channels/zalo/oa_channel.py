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
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from bot.channels.base import Delivery, Inbound, Outbound
from bot.channels.webhook import Hook, HookRequest
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
from bot.channels.zalo.oa_events import NAME, derive_event_key, find_user_id, parse_event
from bot.channels.zalo.render import MAX_TEXT, render_for_oa
from bot.channels.zalo.webhooks import OACheck, check_oa_webhook
from bot.services.inbox import Received
from db.engine import Database

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/hooks/zalo-oa"
REFRESH_MARGIN = timedelta(minutes=5)  # renew a little early rather than fail a send


Trade = Callable[[str], Awaitable[OAToken]]  # a refresh token (spent by it) for new tokens


class TokenStore(Protocol):
    """Where the OA's current tokens are kept, shared by every instance of a deployment."""

    async def load(self) -> OAToken:
        """The current tokens."""
        ...

    async def renew(self, stale: OAToken, trade: Trade) -> OAToken:
        """New tokens for `stale`: the stored ones if someone renewed them meanwhile, else
        `trade`'s, durably saved before they are returned; one renewal at a time."""
        ...


class MemoryTokenStore:
    """Tokens in memory: for tests and a first try, never for an OA in production."""

    def __init__(self, token: OAToken) -> None:
        self.token = token
        self.saved = 0
        self._renewing = asyncio.Lock()

    async def load(self) -> OAToken:
        """The current tokens."""
        return self.token

    async def save(self, token: OAToken) -> None:
        """Replace the tokens."""
        self.token = token
        self.saved += 1

    async def renew(self, stale: OAToken, trade: Trade) -> OAToken:
        """Trade the refresh token unless another send already has."""
        async with self._renewing:
            if self.token.access_token != stale.access_token:
                return self.token
            await self.save(await trade(self.token.refresh_token))
            return self.token


def _utcnow() -> datetime:
    """Now, in UTC (the default clock)."""
    return datetime.now(UTC)


class ZaloOAChannel:
    """One Official Account as a roviec channel; a chat key is the follower's user id.

    Updates arrive only through the webhook (Zalo has no polling for an OA).
    """

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
        webhook_key: str = "",
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
        self._webhook_key = webhook_key or secret_key  # the OA secret key that signs events
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

    async def start(self) -> None:
        """Nothing to ask first: the tokens are renewed when the webhook is set."""

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

        async def trade(refresh_token: str) -> OAToken:
            return await self.client.refresh_access_token(
                self._app_id, self._secret_key, refresh_token
            )

        async with self._refreshing:
            fresh = await self.tokens.renew(stale, trade)
        if fresh.access_token != stale.access_token:
            log.info("Zalo OA access token in use expires %s", fresh.expires_at.isoformat())
        return fresh

    def hook(self, secret: str) -> Hook:
        """The OA's webhook: Zalo's signature proves a call (`secret` plays no part), the
        message id keys it, and the unsigned test POST of the console is answered only."""

        def check(request: HookRequest) -> OACheck:
            return check_oa_webhook(
                request.body, request.headers, app_id=self._app_id, secret_key=self._webhook_key
            )

        return Hook(
            NAME,
            WEBHOOK_PATH,
            lambda request: check(request) is OACheck.ACCEPT,
            to_received,
            is_probe=lambda request: check(request) is OACheck.UNSIGNED,
        )

    async def use_webhook(self, public_url: str, secret: str) -> None:
        """An OA's webhook URL is saved in Zalo's developer console: say which; renew the
        tokens now if they are due, so a refused refresh token shows at start."""
        log.info("Zalo OA: the webhook URL to save in the console is %s", public_url + WEBHOOK_PATH)
        try:
            await self.load_token()
        except Exception as error:  # sending will say so again; receiving goes on meanwhile
            log.error("Zalo OA: the tokens could not be renewed (%s)", error)

    async def poll(
        self,
        db: Database,
        clock: Callable[[], datetime],
        stored: Callable[[], None],
        stop: asyncio.Event,
    ) -> None:
        """An OA cannot be polled: without a public URL it only sends."""
        log.warning("Zalo OA receives only through its webhook: set ROVIEC_PUBLIC_URL")
        await stop.wait()

    async def close(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()

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


def to_received(event: dict[str, Any]) -> Received | None:
    """An OA event as the inbox keeps it; None for events roviec does not handle."""
    if parse_event(event) is None:
        return None
    return Received(derive_event_key(event), find_user_id(event), event)
