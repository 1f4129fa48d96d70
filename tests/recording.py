"""A recording channel: what a platform would be, reduced to a list of what was sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.channels.base import Attachment, Delivery, Inbound, Outbound

MAX_TEXT = 4096


@dataclass
class RecordingChannel:
    """Parses dict updates and records every delivery; refuses text over 4096 like Telegram."""

    name: str = "rec"
    # It names no cap, so the dispatcher never splits: longer text is refused, as on Telegram.
    max_text: int | None = None
    max_caption: int | None = None
    sent: list[tuple[str, Outbound]] = field(default_factory=list)
    acknowledged: list[tuple[str | None, str | None]] = field(default_factory=list)

    def parse(self, payload: dict[str, Any]) -> Inbound | None:
        """Updates are stored as plain dicts of Inbound's fields."""
        attachments = tuple(Attachment(kind, file_id) for kind, file_id in payload.get("files", []))
        return Inbound(
            channel=self.name,
            chat_key=payload["user"],
            user_key=payload["user"],
            update_key=payload["update"],
            text=payload.get("text"),
            payload=payload.get("button"),
            attachments=attachments,
            message_id=payload.get("message_id"),
            callback_id=f"cb{payload['update']}" if "button" in payload else None,
        )

    async def deliver(self, chat_key: str, message: Outbound) -> Delivery:
        """Record, or refuse like Telegram does."""
        if not message.text.strip() or len(message.text) > MAX_TEXT:
            return Delivery(error="Bad Request: message is too long or empty", permanent=True)
        if any(len(c.payload.encode()) > 64 for row in message.choices for c in row):
            return Delivery(error="Bad Request: BUTTON_DATA_INVALID", permanent=True)
        self.sent.append((chat_key, message))
        return Delivery(message_id=len(self.sent))

    async def acknowledge_button(self, inbound: Inbound, notice: str | None = None) -> None:
        """Remember the answer to a button."""
        self.acknowledged.append((inbound.callback_id, notice))
