"""People who write to the fake Zalo bot, and what the bot sent them.

A :class:`ZaloBotPerson` turns what a person does (typing, sending a picture or a sticker)
into the update Zalo would hand the bot, and keeps every message the bot sent to the chat.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]
_ids = itertools.count(0x1F2E3D4C5B6A)


def hex_id() -> str:
    """A fresh hex id, as Zalo's message and chat ids are."""
    return f"{next(_ids):x}{next(_ids) * 7919:x}"


def millis() -> int:
    """Now in epoch milliseconds, as Zalo dates messages."""
    return int(time.time() * 1000)


@dataclass
class BotMessage:
    """Something the bot sent to a chat."""

    message_id: str
    kind: str  # "text" | "photo"
    text: str | None
    photo_url: str | None = None
    photo: bytes | None = None
    content_type: str | None = None


@dataclass
class ZaloBotPerson:
    """Someone who writes to the bot in a private chat (chat id == user id)."""

    user_id: str
    display_name: str
    push: Callable[[str, JsonDict], str]
    messages: list[BotMessage] = field(default_factory=list)
    has_written: bool = False

    @property
    def last(self) -> BotMessage:
        """The latest thing the bot sent here."""
        assert self.messages, f"the bot has sent nothing to {self.display_name}"
        return self.messages[-1]

    @property
    def texts(self) -> list[str | None]:
        """The text (or caption) of everything the bot sent here."""
        return [m.text for m in self.messages]

    def _message(self, **content: Any) -> JsonDict:
        return {
            "message_id": hex_id(),
            "date": millis(),
            "chat": {"id": self.user_id, "chat_type": "PRIVATE"},
            "from": {"id": self.user_id, "display_name": self.display_name, "is_bot": False},
            **content,
        }

    async def send(self, text: str) -> str:
        """Type a text; its message id."""
        return self.push("message.text.received", self._message(text=text))

    async def send_photo(self, url: str, caption: str | None = None) -> str:
        """Send a picture (Zalo gives the bot its CDN URL); its message id."""
        content: JsonDict = {"photo_url": url}
        if caption is not None:
            content["caption"] = caption
        return self.push("message.image.received", self._message(**content))

    async def send_sticker(self) -> str:
        """Send a sticker; its message id."""
        return self.push("message.sticker.received", self._message(sticker="sticker-1"))

    async def send_unsupported(self) -> str:
        """Send something Zalo does not pass on (the update has no content)."""
        return self.push("message.unsupported.received", self._message())
