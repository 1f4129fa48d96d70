"""A terminal channel: choices become a numbered list, and "2" means the second choice.

It proves that the handlers work for a channel without buttons (as Zalo's bot platform
is), and lets a person try every flow without any token.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.channels.base import Attachment, Delivery, Inbound, Outbound, numbered
from bot.services.inbox import Received

NAME = "console"
ATTACH_PREFIX = "@"


class ConsoleChannel:
    """One local person talking to the bot in a terminal."""

    name = NAME
    # A terminal prints text of any length: nothing is split or cut for it.
    max_text: int | None = None
    max_caption: int | None = None
    numbered_choices = True  # a typed "2" is mapped to the choice by the processor

    def __init__(self, write: Callable[[str], None] = print, user_key: str = "local") -> None:
        self.write = write
        self.user_key = user_key
        self._sent = 0

    def receive(self, line: str, update_key: int) -> Received:
        """What the person typed (a line starting with @ names a file they send)."""
        text = line.strip()
        payload: dict[str, Any] = {"update_key": update_key, "user": self.user_key}
        if text.startswith(ATTACH_PREFIX) and len(text) > 1:
            payload["file"] = text[1:].strip()
        else:
            payload["text"] = line.rstrip("\n")
        return Received(update_key, self.user_key, payload)

    def parse(self, payload: dict[str, Any]) -> Inbound | None:
        """A stored console line as a neutral Inbound."""
        attachments: tuple[Attachment, ...] = ()
        # Whose line it was: each `roviec chat --official N` is a console account of its own.
        user_key = str(payload.get("user", self.user_key))
        if payload.get("file"):
            name = str(payload["file"])
            kind = "photo" if name.lower().endswith((".jpg", ".jpeg", ".png")) else "document"
            attachments = (Attachment(kind, f"console:{name}", name),)
        return Inbound(
            channel=NAME,
            chat_key=user_key,
            user_key=user_key,
            update_key=int(payload["update_key"]),
            text=payload.get("text"),
            payload=payload.get("payload"),
            attachments=attachments,
        )

    async def deliver(self, chat_key: str, message: Outbound) -> Delivery:
        """Print the message with its choices numbered."""
        text, _ = numbered(message)
        if chat_key != self.user_key:  # for another console account: say whose it is
            self.write(f"[→ {chat_key}]")
        if message.file is not None:
            self.write(f"📎 {message.file.name or message.file.kind}")
        self.write(text)
        self.write("")
        self._sent += 1
        return Delivery(message_id=self._sent)

    async def acknowledge_button(self, inbound: Inbound, notice: str | None = None) -> None:
        """Show a button's short notice, if any."""
        if notice:
            self.write(f"({notice})")
