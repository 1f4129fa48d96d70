"""The channel seam: neutral messages in and out, and what every channel adapter offers."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Attachment:
    """A photo or document a person sent, by the channel's file reference."""

    kind: str  # "photo" | "document"
    file_id: str
    name: str | None = None


@dataclass(frozen=True)
class Inbound:
    """One thing a person did: wrote text, sent a file, or pressed a button."""

    channel: str
    chat_key: str
    user_key: str
    update_key: int
    text: str | None = None
    payload: str | None = None
    attachments: tuple[Attachment, ...] = ()
    language: str | None = None
    message_id: int | None = None
    callback_id: str | None = None
    display_name: str = ""

    @property
    def is_button(self) -> bool:
        """Whether this is a button press."""
        return self.payload is not None

    @property
    def command(self) -> tuple[str, str] | None:
        """The /command (lower-cased, without a @botname suffix) and its argument, if any."""
        if not self.text or not self.text.startswith("/"):
            return None
        head, _, rest = self.text.strip().partition(" ")
        return head[1:].split("@", 1)[0].lower(), rest.strip()


@dataclass(frozen=True)
class Choice:
    """A button: what the person sees and the short payload that comes back."""

    label: str
    payload: str


@dataclass(frozen=True)
class Outbound:
    """One message to send, or an edit of the message a button was pressed on."""

    text: str
    choices: tuple[tuple[Choice, ...], ...] = ()
    edit_message_id: int | None = None
    document: bytes | None = None
    document_name: str | None = None
    photo: bytes | None = None

    def to_payload(self) -> dict[str, Any]:
        """A JSON-safe form for the outbox (files as base64)."""
        return {
            "text": self.text,
            "choices": [[[c.label, c.payload] for c in row] for row in self.choices],
            "edit_message_id": self.edit_message_id,
            "document": _b64(self.document),
            "document_name": self.document_name,
            "photo": _b64(self.photo),
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Outbound:
        """Rebuild a message from its outbox form."""
        return cls(
            text=payload["text"],
            choices=tuple(
                tuple(Choice(label, data) for label, data in row) for row in payload["choices"]
            ),
            edit_message_id=payload.get("edit_message_id"),
            document=_unb64(payload.get("document")),
            document_name=payload.get("document_name"),
            photo=_unb64(payload.get("photo")),
        )


@dataclass
class Delivery:
    """What happened to a send: the platform's message id, or a classified failure."""

    message_id: int | None = None
    error: str | None = None
    retry_after: float | None = None
    permanent: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the message reached the platform."""
        return self.error is None


class Channel(Protocol):
    """What the core needs from a chat platform."""

    name: str

    async def deliver(self, chat_key: str, message: Outbound) -> Delivery:
        """Send (or edit) one message; never raise for platform errors."""
        ...

    async def acknowledge_button(self, inbound: Inbound, notice: str | None = None) -> None:
        """Stop the button's spinner, optionally with a short notice."""
        ...


def _b64(data: bytes | None) -> str | None:
    return base64.b64encode(data).decode() if data is not None else None


def _unb64(text: str | None) -> bytes | None:
    return base64.b64decode(text) if text is not None else None


def numbered(message: Outbound) -> tuple[str, list[str]]:
    """Render choices as a numbered list for channels without buttons; payloads by number."""
    payloads = [choice.payload for row in message.choices for choice in row]
    labels = [choice.label for row in message.choices for choice in row]
    lines = [message.text, *(f"  {n}. {label}" for n, label in enumerate(labels, start=1))]
    return "\n".join(lines), payloads
