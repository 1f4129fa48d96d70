"""Telegram through python-telegram-bot 22: the only module that knows Telegram's types.

roviec receives updates itself with getUpdates instead of PTB's Updater, because the
Updater confirms updates to Telegram before any handler has run. Here an update batch is
committed to the inbox first; only the next getUpdates call (with a higher offset)
confirms it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application, ApplicationBuilder

from bot.channels.base import Attachment, Delivery, Inbound, Outbound
from bot.channels.webhook import Hook, HookRequest
from bot.logs import guard_tokens
from bot.retries import Refused
from bot.services import inbox
from db.engine import Database

if TYPE_CHECKING:
    from telegram.ext import CallbackContext, ExtBot, JobQueue

    # What ApplicationBuilder().build() makes: PTB's Application with its default types.
    Context: TypeAlias = CallbackContext[
        ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]
    ]
    PtbApplication: TypeAlias = Application[
        ExtBot[None], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[Context]
    ]

log = logging.getLogger(__name__)
NAME = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/hooks/telegram"
ALLOWED_UPDATES = ["message", "callback_query"]
UNEDITABLE = ("message to edit not found", "message can't be edited")


def build_application(
    token: str, api_url: str, file_url: str, pool_size: int = 256
) -> PtbApplication:
    """PTB's Application without its Updater (roviec confirms updates only after storing them)."""
    guard_tokens()  # a request URL carries the token
    return (
        ApplicationBuilder()
        .token(token)
        .base_url(api_url)
        .base_file_url(file_url)
        .updater(None)
        .connection_pool_size(pool_size)
        .pool_timeout(30)
        .build()
    )


def _markup(message: Outbound) -> InlineKeyboardMarkup | None:
    if not message.choices:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(c.label, callback_data=c.payload) for c in row]
            for row in message.choices
        ]
    )


class TelegramChannel:
    """The Telegram adapter: parse updates, send and edit messages, answer buttons."""

    name = NAME
    max_text: int | None = 4096  # a message's text; the dispatcher sends longer text in parts
    max_caption: int | None = 1024  # a photo's or document's caption, which is never split
    numbered_choices = False  # real buttons

    def __init__(self, application: PtbApplication, poll_timeout: int = 25) -> None:
        self.application = application
        self.bot = application.bot
        self.poll_timeout = poll_timeout

    def parse(self, payload: dict[str, Any]) -> Inbound | None:
        """A stored Telegram update as a neutral Inbound; None for kinds roviec ignores."""
        update = Update.de_json(payload, self.bot)
        if update is None:
            return None
        if update.callback_query is not None:
            query = update.callback_query
            message = query.message
            return Inbound(
                channel=NAME,
                chat_key=str(message.chat.id if message else query.from_user.id),
                user_key=str(query.from_user.id),
                update_key=update.update_id,
                payload=query.data or "",
                language=query.from_user.language_code,
                message_id=message.message_id if message else None,
                callback_id=query.id,
                display_name=query.from_user.full_name,
            )
        message = update.message
        if message is None or message.from_user is None:
            return None
        attachments: list[Attachment] = []
        if message.photo:
            attachments.append(Attachment("photo", message.photo[-1].file_id))
        if message.document:
            attachments.append(
                Attachment("document", message.document.file_id, message.document.file_name)
            )
        return Inbound(
            channel=NAME,
            chat_key=str(message.chat.id),
            user_key=str(message.from_user.id),
            update_key=update.update_id,
            text=message.text or message.caption,
            attachments=tuple(attachments),
            language=message.from_user.language_code,
            message_id=message.message_id,
            display_name=message.from_user.full_name,
        )

    async def deliver(self, chat_key: str, message: Outbound) -> Delivery:
        """Send or edit one message, classifying Telegram's answer for the dispatcher."""
        try:
            sent = await self._send(int(chat_key), message)
        except RetryAfter as error:
            retry = error.retry_after
            seconds = retry.total_seconds() if hasattr(retry, "total_seconds") else float(retry)
            return Delivery(error=str(error), retry_after=seconds, throttled=True)
        except ChatMigrated as error:  # a group became a supergroup with a new id
            return Delivery(error=str(error), migrated_to=str(error.new_chat_id))
        except Forbidden as error:
            return Delivery(error=str(error), permanent=True, extra={"blocked": True})
        except BadRequest as error:
            if "message is not modified" in str(error).lower():
                return Delivery(message_id=message.edit_message_id)
            return Delivery(error=str(error), permanent=True)
        except (NetworkError, TelegramError) as error:  # timeouts and 5xx: try again later
            return Delivery(error=f"{type(error).__name__}: {error}")
        return Delivery(message_id=sent)

    async def _send(self, chat_id: int, message: Outbound) -> int | None:
        markup = _markup(message)
        if message.document is not None:
            sent = await self.bot.send_document(
                chat_id,
                document=message.document,
                filename=message.document_name,
                caption=message.text or None,
                reply_markup=markup,
            )
            return sent.message_id
        if message.file is not None:  # a file someone sent, by Telegram's file id
            send = self.bot.send_photo if message.file.kind == "photo" else self.bot.send_document
            sent = await send(
                chat_id, message.file.file_id, caption=message.text or None, reply_markup=markup
            )
            return sent.message_id
        if message.photo is not None:
            sent = await self.bot.send_photo(
                chat_id, photo=message.photo, caption=message.text or None, reply_markup=markup
            )
            return sent.message_id
        if message.edit_message_id is not None:
            try:
                edited = await self.bot.edit_message_text(
                    message.text,
                    chat_id=chat_id,
                    message_id=message.edit_message_id,
                    reply_markup=markup,
                )
            except BadRequest as error:
                # A message that is gone or too old to edit: the person still needs the answer.
                if not any(reason in str(error).lower() for reason in UNEDITABLE):
                    raise
            else:
                return (
                    edited.message_id if not isinstance(edited, bool) else message.edit_message_id
                )
        sent = await self.bot.send_message(chat_id, message.text, reply_markup=markup)
        return sent.message_id

    async def acknowledge_button(self, inbound: Inbound, notice: str | None = None) -> None:
        """Answer the callback query so the person's spinner stops."""
        if inbound.callback_id:
            await self.bot.answer_callback_query(inbound.callback_id, text=notice)

    async def start(self) -> None:
        """python-telegram-bot's start (getMe); a rejected token is Refused."""
        try:
            await self.application.initialize()
        except InvalidToken:
            raise Refused("Telegram rejects ROVIEC_TELEGRAM_TOKEN (revoked or mistyped)") from None

    async def register_commands(self, commands: dict[str, list[tuple[str, str]]]) -> None:
        """setMyCommands per language; the first language is also the default list."""
        for index, (language, pairs) in enumerate(commands.items()):
            listing = [BotCommand(name, description) for name, description in pairs]
            await self.bot.set_my_commands(listing, language_code=language)
            if index == 0:
                await self.bot.set_my_commands(listing)

    async def set_chat_menu(
        self, chat_key: str, commands: list[tuple[str, str]] | None
    ) -> Delivery:
        """One chat's command menu (None: back to the default menu), classified like a send.

        Set without a language code: the person chose the language of its descriptions
        (/ngonngu), which may differ from their Telegram app's, and a chat-scoped menu with
        a language code would show only while the app's language matched it.
        """
        scope = BotCommandScopeChat(int(chat_key))
        try:
            if commands is None:
                await self.bot.delete_my_commands(scope=scope)
            else:
                listing = [BotCommand(name, description) for name, description in commands]
                await self.bot.set_my_commands(listing, scope=scope)
        except RetryAfter as error:
            retry = error.retry_after
            seconds = retry.total_seconds() if hasattr(retry, "total_seconds") else float(retry)
            return Delivery(error=str(error), retry_after=seconds, throttled=True)
        except Forbidden as error:
            return Delivery(error=str(error), permanent=True, extra={"blocked": True})
        except (NetworkError, TelegramError) as error:  # 5xx, timeouts, a chat not found
            return Delivery(error=f"{type(error).__name__}: {error}")
        return Delivery()

    def hook(self, secret: str) -> Hook:
        """Telegram's webhook: the secret header proves the call, the update id keys it."""

        def verify(request: HookRequest) -> bool:
            given = request.headers.get(SECRET_HEADER, "")
            return hmac.compare_digest(given.encode(), secret.encode())

        def receive(data: dict[str, Any]) -> inbox.Received | None:
            if not isinstance(data.get("update_id"), int):
                raise ValueError("an update without an update_id")
            update = Update.de_json(data, self.bot)
            return _received(update) if update is not None else None

        return Hook(NAME, WEBHOOK_PATH, verify, receive)

    async def use_webhook(self, public_url: str, secret: str) -> None:
        """Ask Telegram to POST updates to roviec instead of waiting for getUpdates."""
        await self.bot.set_webhook(
            public_url + WEBHOOK_PATH, secret_token=secret, allowed_updates=ALLOWED_UPDATES
        )

    async def poll(
        self,
        db: Database,
        clock: Callable[[], datetime],
        stored: Callable[[], None],
        stop: asyncio.Event,
    ) -> None:
        """Drop any webhook, then getUpdates until `stop` is set."""
        await self.bot.delete_webhook()
        await self.receive(db, clock, stored, stop, self.poll_timeout)

    async def download(self, file_id: str) -> bytes | None:
        """The bytes of a file a person sent (getFile, then the file URL); None if refused."""
        try:
            file = await self.bot.get_file(file_id)
            return bytes(await file.download_as_bytearray())
        except TelegramError as error:
            log.warning("telegram: a file could not be fetched (%s)", type(error).__name__)
            return None

    async def close(self) -> None:
        """Shut python-telegram-bot's application down."""
        await self.application.shutdown()

    async def receive(
        self,
        db: Database,
        clock: Callable[[], datetime],
        stored: Callable[[], None],
        stop: asyncio.Event,
        poll_timeout: int,
    ) -> None:
        """The getUpdates loop: store each batch in the inbox, then confirm it by offset."""
        offset: int | None = None
        failures = 0
        while not stop.is_set():
            try:
                updates = await self._poll_unless_stopped(offset, poll_timeout, stop)
            except (NetworkError, TelegramError) as error:
                failures += 1
                wait = min(30.0, 0.5 * 2**failures)
                log.warning("getUpdates failed (%s); retrying in %.1fs", error, wait)
                await _sleep_or_stop(stop, wait)
                continue
            failures = 0
            if updates is None:  # stopped while polling
                return
            if not updates:
                continue
            received = [_received(u) for u in updates]
            async with db.transaction(brief=True) as session:
                await inbox.store(session, NAME, received, clock())
            offset = updates[-1].update_id + 1  # confirmed to Telegram by the next call only
            stored()

    async def _poll_unless_stopped(
        self, offset: int | None, poll_timeout: int, stop: asyncio.Event
    ) -> tuple[Update, ...] | None:
        """One long poll, cancelled if `stop` is set first (then None).

        Stopping need not wait up to `poll_timeout` for Telegram to answer: a getUpdates
        that is cancelled confirms nothing (only the next call's offset does), so updates it
        would have returned are delivered again to the next poll.
        """
        poll = asyncio.ensure_future(
            self.bot.get_updates(
                offset=offset, timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES
            )
        )
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait([poll, stopped], return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
            if not poll.done():
                poll.cancel()
        # Let the cancelled request close its connection; asyncio.wait does not re-raise the
        # poll's CancelledError, so a cancellation of this task itself still propagates.
        await asyncio.wait([poll])
        if poll.cancelled():
            return None
        return poll.result()  # a batch that arrived just as `stop` was set is still stored


def _received(update: Update) -> inbox.Received:
    return inbox.Received(update.update_id, _chat_key(update), update.to_dict())


def _chat_key(update: Update) -> str:
    chat = update.effective_chat
    user = update.effective_user
    return str(chat.id if chat else user.id if user else 0)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
