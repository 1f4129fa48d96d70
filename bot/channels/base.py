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
    # A file the platform already holds (a person sent it), sent again by its reference.
    file: Attachment | None = None

    def to_payload(self) -> dict[str, Any]:
        """A JSON-safe form for the outbox (files as base64)."""
        return {
            "text": self.text,
            "choices": [[[c.label, c.payload] for c in row] for row in self.choices],
            "edit_message_id": self.edit_message_id,
            "document": _b64(self.document),
            "document_name": self.document_name,
            "photo": _b64(self.photo),
            "file": [self.file.kind, self.file.file_id, self.file.name] if self.file else None,
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
            file=Attachment(*payload["file"]) if payload.get("file") else None,
        )

    @property
    def has_file(self) -> bool:
        """Whether this message carries a photo or document (its text is a caption)."""
        return self.document is not None or self.photo is not None or self.file is not None

    def split(self, limit: int) -> tuple[Outbound, ...]:
        """This message as several that each fit `limit` characters; buttons on the last one.

        Only plain text is cut (a caption stays whole). An edit becomes the first part, and
        the rest follow as new messages.
        """
        if self.has_file or text_length(self.text) <= limit:
            return (self,)
        pieces = split_text(self.text, limit)
        last = len(pieces) - 1
        return tuple(
            Outbound(
                text=piece,
                choices=self.choices if index == last else (),
                edit_message_id=self.edit_message_id if index == 0 else None,
            )
            for index, piece in enumerate(pieces)
        )


@dataclass
class Delivery:
    """What happened to a send: the platform's message id, or a classified failure."""

    message_id: int | None = None
    error: str | None = None
    retry_after: float | None = None
    permanent: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    throttled: bool = False  # the platform said "too many requests"; retry_after says how long
    migrated_to: str | None = None  # the chat has a new key now (a group became a supergroup)
    # The platform refuses this chat until the person writes again (Zalo OA's 7-day window):
    # the message waits for them, no attempt spent.
    held: bool = False

    @property
    def ok(self) -> bool:
        """Whether the message reached the platform."""
        return self.error is None


class Channel(Protocol):
    """What the core needs from a chat platform.

    `max_text` is the longest text of one message and `max_caption` the longest caption of
    a photo or document, in UTF-16 units as `text_length` counts them; None means the
    platform has no cap. The dispatcher sends longer text in parts; text that must stay one
    message is cut to fit (`bot.channels.limits` finds them by the channel's name).
    """

    name: str
    max_text: int | None
    max_caption: int | None
    # Choices also go as numbered lines, and a typed "2" may mean the second of them.
    numbered_choices: bool

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


def text_length(text: str) -> int:
    """Length as chat platforms count it: UTF-16 code units (an emoji may count twice)."""
    # surrogatepass: a lone surrogate typed by someone counts as one unit instead of raising
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def split_text(text: str, limit: int) -> list[str]:
    """Cut text into pieces of at most `limit`: at paragraph breaks, else line breaks, else hard."""
    pieces: list[str] = []
    rest = text
    while text_length(rest) > limit:
        head = _prefix(rest, limit)
        for separator in ("\n\n", "\n"):
            cut = head.rfind(separator)
            if cut > 0:
                piece, rest = rest[:cut], rest[cut + len(separator) :]
                break
        else:
            piece, rest = head, rest[len(head) :]
        if piece.strip():  # a platform refuses an empty message
            pieces.append(piece)
    if rest.strip() or not pieces:
        pieces.append(rest)
    return pieces


def _prefix(text: str, limit: int) -> str:
    """The longest start of `text` within `limit` UTF-16 units, never halving a character."""
    if text_length(text[:limit]) <= limit:
        return text[:limit]
    units = 0
    for end, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:end]
    return text


def menu_of(message: Outbound) -> tuple[list[str], list[str]]:
    """A message's choices in reading order, numbered from 1: labels and payloads."""
    labels = [choice.label for row in message.choices for choice in row]
    payloads = [choice.payload for row in message.choices for choice in row]
    return labels, payloads


def numbered(message: Outbound) -> tuple[str, list[str]]:
    """Render choices as a numbered list for channels without buttons; payloads by number."""
    labels, payloads = menu_of(message)
    lines = [message.text, *(f"  {n}. {label}" for n, label in enumerate(labels, start=1))]
    return "\n".join(lines), payloads
