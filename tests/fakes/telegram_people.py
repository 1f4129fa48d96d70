"""Simulated people and the bot messages they see, for the fake Telegram Bot API server.

A :class:`FakePerson` is a human in a private chat with the bot (chat id == user id). It turns
actions (typing a message, sending a photo, pressing an inline button) into realistic update
payloads and keeps every message the bot sent to its chat as a :class:`SentMessage`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]

#: Called with the update kind ("message" or "callback_query") and payload; returns update_id.
PushUpdate = Callable[[str, JsonDict, "FakePerson"], int]

_query_ids = itertools.count(1)
_file_counter = itertools.count(1)


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit Telegram uses for entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def now() -> int:
    """Current Unix time in whole seconds, as Telegram sends dates."""
    return int(time.time())


@dataclass
class Button:
    """One inline keyboard button as the bot sent it."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass
class UploadedFile:
    """A file the bot uploaded with multipart/form-data."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class SentMessage:
    """A message the bot sent; edits change it in place and push the old state to ``history``."""

    chat_id: int
    message_id: int
    text: str | None
    buttons: list[list[Button]] = field(default_factory=list)
    kind: str = "text"
    edited: bool = False
    history: list[tuple[str | None, list[list[Button]]]] = field(default_factory=list)
    raw_text: str | None = None
    parse_mode: str | None = None
    reply_markup: JsonDict | None = None
    date: int = field(default_factory=now)
    edit_date: int | None = None
    file_id: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    upload: UploadedFile | None = None

    @property
    def button_texts(self) -> list[str]:
        """Texts of all inline buttons, row by row."""
        return [button.text for row in self.buttons for button in row]

    def find_button(self, text: str) -> Button | None:
        """The first inline button whose text is ``text``, if any."""
        return next((b for row in self.buttons for b in row if b.text == text), None)

    def describe(self) -> str:
        """Short human-readable summary for assertion messages."""
        text = (self.text or "")[:80].replace("\n", " ")
        buttons = f" buttons={self.button_texts}" if self.buttons else ""
        return f"#{self.message_id} [{self.kind}] {text!r}{buttons}"

    def to_api(self, bot_user: JsonDict, chat: JsonDict) -> JsonDict:
        """The Message object Telegram would return for the current state."""
        payload: JsonDict = {
            "message_id": self.message_id,
            "from": bot_user,
            "chat": chat,
            "date": self.date,
        }
        if self.edit_date is not None:
            payload["edit_date"] = self.edit_date
        if self.kind == "text":
            payload["text"] = self.text
        elif self.text:
            payload["caption"] = self.text
        if self.kind == "photo":
            payload["photo"] = photo_sizes(self.file_id or "photo")
        elif self.kind == "document":
            payload["document"] = {
                "file_id": self.file_id,
                "file_unique_id": f"u-{self.file_id}",
                "file_name": self.file_name,
                "mime_type": self.mime_type,
                "file_size": len(self.upload.data) if self.upload else 1024,
            }
        if self.buttons:
            payload["reply_markup"] = self.reply_markup
        return payload


def photo_sizes(file_id: str) -> list[JsonDict]:
    """A realistic PhotoSize list (thumbnail and full size) for one photo."""
    return [
        {
            "file_id": f"{file_id}-s",
            "file_unique_id": f"u-{file_id}-s",
            "width": 90,
            "height": 67,
            "file_size": 1200,
        },
        {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "width": 1280,
            "height": 960,
            "file_size": 98_000,
        },
    ]


def new_file_id(prefix: str) -> str:
    """A fresh, unique file id for a file the bot uploaded."""
    return f"{prefix}-{next(_file_counter)}"


class FakePerson:
    """A simulated human in a private chat with the bot."""

    def __init__(
        self,
        user_id: int,
        first_name: str,
        language_code: str,
        *,
        bot_user: JsonDict,
        push: PushUpdate,
    ) -> None:
        """Create the person; ``push`` queues an update on the server."""
        self.user_id = user_id
        self.chat_id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self.blocked = False
        self.messages: list[SentMessage] = []
        self.callback_answers: list[JsonDict] = []
        self.own_message_ids: set[int] = set()
        self._bot_user = bot_user
        self._push = push
        self._by_id: dict[int, SentMessage] = {}
        self._events: list[SentMessage] = []
        self._next_message_id = 1
        self._mark_events = 0
        self._mark_messages = 0
        self._changed = asyncio.Event()

    # --- payload pieces -------------------------------------------------------------------

    @property
    def user(self) -> JsonDict:
        """The User object Telegram sends for this person."""
        return {
            "id": self.user_id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }

    @property
    def chat(self) -> JsonDict:
        """The private Chat object for this person's chat with the bot."""
        return {"id": self.chat_id, "type": "private", "first_name": self.first_name}

    @property
    def last(self) -> SentMessage:
        """The latest bot message in this chat (AssertionError if there is none)."""
        assert self.messages, f"the bot has sent nothing to chat {self.chat_id}"
        return self.messages[-1]

    def message(self, message_id: int) -> SentMessage | None:
        """The bot message with this id in this chat, if any."""
        return self._by_id.get(message_id)

    def allocate_message_id(self) -> int:
        """Next message id in this chat (shared by the person's and the bot's messages)."""
        message_id = self._next_message_id
        self._next_message_id += 1
        return message_id

    def _incoming(self, **content: Any) -> JsonDict:
        """A Message object written by this person."""
        message_id = self.allocate_message_id()
        self.own_message_ids.add(message_id)
        return {
            "message_id": message_id,
            "from": self.user,
            "chat": self.chat,
            "date": now(),
            **content,
        }

    # --- actions ---------------------------------------------------------------------------

    async def send(self, text: str) -> int:
        """Type a text message; a leading /command gets a bot_command entity."""
        content: JsonDict = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
            ]
        return self._push("message", self._incoming(**content), self)

    async def send_photo(self, file_id: str = "photo-1", caption: str | None = None) -> int:
        """Send a photo (optionally with a caption)."""
        content: JsonDict = {"photo": photo_sizes(file_id)}
        if caption is not None:
            content["caption"] = caption
        return self._push("message", self._incoming(**content), self)

    async def send_document(self, file_id: str = "doc-1", file_name: str = "report.pdf") -> int:
        """Send a document."""
        mime = {"pdf": "application/pdf", "xlsx": "application/vnd.ms-excel"}.get(
            file_name.rsplit(".", 1)[-1].lower(), "application/octet-stream"
        )
        document = {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_name": file_name,
            "mime_type": mime,
            "file_size": 20_480,
        }
        return self._push("message", self._incoming(document=document), self)

    async def press(self, button_text: str, message: SentMessage | None = None) -> int:
        """Press the inline button with this text (default: latest message that has it)."""
        if message is None:
            message = next((m for m in reversed(self.messages) if m.find_button(button_text)), None)
            if message is None:
                raise AssertionError(
                    f"no message in chat {self.chat_id} has a button {button_text!r}; "
                    f"latest messages: {[m.describe() for m in self.messages[-3:]]}"
                )
        button = message.find_button(button_text)
        if button is None:
            raise AssertionError(f"no button {button_text!r} on {message.describe()}")
        if button.callback_data is None:
            raise AssertionError(f"button {button_text!r} has no callback_data (url={button.url})")
        return await self.press_data(button.callback_data, message.message_id)

    async def press_data(self, data: str, message_id: int) -> int:
        """Send a callback query with arbitrary (possibly forged) data for ``message_id``."""
        message = self._by_id.get(message_id)
        if message is not None:
            message_json = message.to_api(self._bot_user, self.chat)
        else:  # Telegram sends an InaccessibleMessage (date 0) for messages it cannot show
            message_json = {"chat": self.chat, "message_id": message_id, "date": 0}
        query = {
            "id": str(4_000_000_000_000 + next(_query_ids)),
            "from": self.user,
            "message": message_json,
            "chat_instance": str(-(self.chat_id * 31 + 17)),
            "data": data,
        }
        return self._push("callback_query", query, self)

    # --- what the bot did ------------------------------------------------------------------

    def record_sent(self, message: SentMessage) -> None:
        """Server hook: the bot sent ``message`` to this chat."""
        self.messages.append(message)
        self._by_id[message.message_id] = message
        self._note(message)

    def record_edit(self, message: SentMessage) -> None:
        """Server hook: the bot edited ``message`` (already updated in place)."""
        self._note(message)

    def _note(self, message: SentMessage) -> None:
        """Append to the send/edit event log and wake waiters."""
        self._events.append(message)
        self._changed.set()
        self._changed = asyncio.Event()

    def mark(self) -> None:
        """Remember the current position for :meth:`wait_for_new` and :meth:`wait_for_messages`."""
        self._mark_events = len(self._events)
        self._mark_messages = len(self.messages)

    async def _wait(
        self, ready: Callable[[], bool], timeout: float, what: Callable[[], str]
    ) -> None:
        """Wait until ``ready()`` or fail with ``what()`` in the message."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not ready():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout}s in chat {self.chat_id}: {what()}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def wait_for_messages(self, count: int, timeout: float = 5.0) -> list[SentMessage]:
        """Wait for ``count`` new bot messages (not edits) since mark(); return them."""

        def new() -> list[SentMessage]:
            return self.messages[self._mark_messages :]

        def what() -> str:
            return f"wanted {count} new messages, got {[m.describe() for m in new()]}"

        await self._wait(lambda: len(new()) >= count, timeout, what)
        return new()

    async def wait_for_new(self, count: int = 1, timeout: float = 5.0) -> list[SentMessage]:
        """Wait for ``count`` sends-or-edits since mark(); return them (current state each)."""

        def new() -> list[SentMessage]:
            return self._events[self._mark_events :]

        def what() -> str:
            return f"wanted {count} new/edited messages, got {[m.describe() for m in new()]}"

        await self._wait(lambda: len(new()) >= count, timeout, what)
        return new()

    def __repr__(self) -> str:
        """Debug representation."""
        return f"FakePerson(user_id={self.user_id}, first_name={self.first_name!r})"
