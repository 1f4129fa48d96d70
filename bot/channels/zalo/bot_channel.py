"""The Zalo Bot Platform behind the Channel protocol: deliver Outbounds, parse and poll updates.

Zalo takes pictures by URL only and has no documents, so a file the bot made is handed to
`publish`, which must store it and return a URL Zalo can fetch (the web server's signed,
expiring file URLs); a document goes out as a link. A file that cannot be sent (no
publisher, or a file held by another platform) is replaced by the `unsendable` notice, so
the person still gets the text and is told why the file is missing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.channels.base import Attachment, Delivery, Inbound, Outbound, text_length
from bot.channels.webhook import Hook, HookRequest
from bot.channels.zalo.bot_api import ZaloBotClient, ZaloBotError
from bot.channels.zalo.bot_updates import (
    NAME,
    derive_update_key,
    find_chat_key,
    hash_to_key,
    parse_update,
    unwrap,
)
from bot.channels.zalo.delivery import classify_bot_error
from bot.channels.zalo.render import MAX_TEXT, Rendered, render_for_bot
from bot.channels.zalo.webhooks import BOT_SECRET_HEADER, verify_bot_secret
from bot.retries import Refused
from bot.services import inbox
from bot.services.inbox import Received
from db.engine import Database

log = logging.getLogger(__name__)

#: Stores a file roviec made and returns a URL Zalo can fetch: (bytes, file name) → URL.
Publish = Callable[[bytes, str], Awaitable[str]]
ZALO_MESSAGE_ID = "zalo_message_id"  # Delivery.extra: the platform's own (hex) message id
CHOICES = "choices"  # Delivery.extra: the payload behind each number, "1" first
WEBHOOK_PATH = "/hooks/zalo-bot"


class FileUnsendable(Exception):
    """A file this channel cannot send (no publisher, or a reference Zalo cannot fetch)."""


class ZaloBotChannel:
    """One Zalo bot as a roviec channel (no buttons, no edits: an edit is sent anew)."""

    name = NAME
    max_text: int | None = MAX_TEXT
    max_caption: int | None = MAX_TEXT  # a picture's caption has the same 2000 as a text
    numbered_choices = True

    def __init__(
        self,
        client: ZaloBotClient,
        publish: Publish | None = None,
        poll_timeout: int = 30,
        unsendable: str | None = None,
    ) -> None:
        self.client = client
        self.publish = publish
        self.poll_timeout = poll_timeout
        self.unsendable = unsendable

    def parse(self, payload: dict[str, Any]) -> Inbound | None:
        """A stored update as a neutral Inbound; None for echoes and non-messages."""
        return parse_update(payload)

    async def deliver(self, chat_key: str, message: Outbound) -> Delivery:
        """Send one message (a picture, then text parts); never raises for Zalo's refusals."""
        rendered = render_for_bot(message)
        try:
            photo, link = await prepare_file(message, self.publish, self.unsendable)
        except FileUnsendable as error:
            return Delivery(error=f"Zalo Bot: {error}", permanent=True)
        texts = add_link(rendered, link)
        if photo is None and not texts:
            return Delivery(error="Zalo Bot: an empty message cannot be sent", permanent=True)
        sent: dict[str, Any] = {}
        try:
            if photo is not None:
                sent = await self.client.send_photo(chat_key, photo, rendered.caption)
            for text in texts:
                sent = await self.client.send_message(chat_key, text)
        except ZaloBotError as error:
            return classify_bot_error(error)
        return report_success(sent.get("message_id"), rendered.payloads)

    async def start(self) -> None:
        """getMe: the token works; a rejected one is Refused."""
        try:
            await self.client.get_me()
        except ZaloBotError as error:
            if error.code == 401:
                raise Refused("Zalo rejects ROVIEC_ZALO_BOT_TOKEN (reset or mistyped)") from None
            raise

    async def acknowledge_button(self, inbound: Inbound, notice: str | None = None) -> None:
        """Zalo bots have no buttons, so there is no spinner to stop."""

    def hook(self, secret: str) -> Hook:
        """The bot's webhook: the secret header proves the call, the message id keys it."""

        def verify(request: HookRequest) -> bool:
            return verify_bot_secret(request.headers.get(BOT_SECRET_HEADER), secret)

        return Hook(NAME, WEBHOOK_PATH, verify, to_received)

    async def use_webhook(self, public_url: str, secret: str) -> None:
        """Ask Zalo to POST updates to roviec (getUpdates is refused from then on)."""
        await self.client.set_webhook(public_url + WEBHOOK_PATH, secret)

    async def poll(
        self,
        db: Database,
        clock: Callable[[], datetime],
        stored: Callable[[], None],
        stop: asyncio.Event,
    ) -> None:
        """getUpdates into the inbox, each update committed the moment it arrives."""

        async def store(body: dict[str, Any]) -> None:
            received = to_received(body)
            if received is None:
                return
            async with db.transaction(brief=True) as session:
                await inbox.store(session, NAME, [received], clock())
            stored()

        await self.client.delete_webhook()
        await poll_updates(self.client, store, stop, timeout=self.poll_timeout)

    async def close(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()


def to_received(body: dict[str, Any]) -> Received | None:
    """An update in either envelope as the inbox keeps it; None when there is no message."""
    update = unwrap(body)
    if update is None:
        return None
    return Received(derive_update_key(update), find_chat_key(update), update)


async def prepare_file(
    message: Outbound, publish: Publish | None, unsendable: str | None = None
) -> tuple[str | None, str | None]:
    """(picture URL, document link) for the message's file; the notice in place of a file
    that cannot be sent, or FileUnsendable without one."""
    try:
        return await _prepare(message, publish)
    except FileUnsendable as error:
        if unsendable is None:
            raise
        log.warning("Zalo: a file was left out and the person told why (%s)", error)
        return None, unsendable


async def _prepare(message: Outbound, publish: Publish | None) -> tuple[str | None, str | None]:
    """(picture URL, document link) for the message's file, publishing bytes as needed."""
    if message.photo is not None:
        return await _publish(publish, message.photo, "photo.png"), None
    if message.document is not None:
        name = message.document_name or "document"
        return None, f"📎 {name}: {await _publish(publish, message.document, name)}"
    if message.file is not None:
        return _by_reference(message.file)
    return None, None


def _by_reference(file: Attachment) -> tuple[str | None, str | None]:
    """A file someone sent, by the URL Zalo gave for it (it expires: best effort)."""
    if not file.file_id.startswith(("https://", "http://")):
        raise FileUnsendable(f"a {file.kind} from another channel cannot be sent on Zalo")
    if file.kind == "photo":
        return file.file_id, None
    return None, f"📎 {file.name or file.kind}: {file.file_id}"


async def _publish(publish: Publish | None, data: bytes, name: str) -> str:
    """The URL the publisher gives for the bytes; FileUnsendable without a publisher."""
    if publish is None:
        raise FileUnsendable("Zalo takes files by URL only and no publisher is configured")
    return await publish(data, name)


def add_link(rendered: Rendered, link: str | None) -> tuple[str, ...]:
    """The texts to send, a document's link added to the last one (or alone)."""
    texts = rendered.texts or ((rendered.caption,) if rendered.caption and link else ())
    if link is None:
        return texts
    if texts and text_length(f"{texts[-1]}\n{link}") <= MAX_TEXT:
        return (*texts[:-1], f"{texts[-1]}\n{link}")
    return (*texts, link)


def report_success(message_id: object, payloads: tuple[str, ...]) -> Delivery:
    """A successful Delivery: Zalo's hex id kept in extra, a stable int as message_id."""
    extra: dict[str, Any] = {}
    if payloads:
        extra[CHOICES] = list(payloads)
    if message_id:
        extra[ZALO_MESSAGE_ID] = str(message_id)
        return Delivery(message_id=hash_to_key(str(message_id)), extra=extra)
    return Delivery(extra=extra)


async def poll_updates(
    client: ZaloBotClient,
    store: Callable[[dict[str, Any]], Awaitable[None]],
    stop: asyncio.Event,
    timeout: int = 30,
) -> None:
    """The getUpdates loop: hand each update to `store` (the inbox) as soon as it arrives.

    Zalo forgets an update once it has answered with it, so `store` must commit before
    anything else happens. The loop ends after the poll in flight when `stop` is set:
    cancelling it instead could drop the one update Zalo was handing out.
    """
    failures = 0
    while not stop.is_set():
        try:
            update = await client.get_updates(timeout)
        except ZaloBotError as error:
            failures += 1
            wait = min(30.0, 0.5 * 2**failures)
            log.warning(
                "Zalo getUpdates failed (%s %s); retrying in %.1fs",
                error.code,
                error.description,
                wait,
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)
            continue
        failures = 0
        if update is not None:
            await _store_patiently(store, update, stop)


async def _store_patiently(
    store: Callable[[dict[str, Any]], Awaitable[None]],
    update: dict[str, Any],
    stop: asyncio.Event,
) -> None:
    """Store one update, retrying while storing fails: Zalo will not hand it out again."""
    failures = 0
    while True:
        try:
            await store(update)
            return
        except Exception:  # the update now exists only here: keep it through any failure
            failures += 1
            if stop.is_set():
                log.exception("Zalo update lost: storing failed while stopping")
                return
            wait = min(30.0, 0.5 * 2**failures)
            log.exception("storing a Zalo update failed; retrying in %.1fs", wait)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)
