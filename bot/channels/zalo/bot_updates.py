"""Zalo Bot updates (from getUpdates or a webhook POST) as neutral Inbounds.

Zalo sends ``{event_name, message}`` to a webhook and ``{ok, result: {…}}`` from getUpdates
(and sometimes to webhooks too); both are accepted. There is no update_id: the inbox key is
derived from the message's own id, so a replayed webhook POST finds the row it made before.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from bot.channels.base import Attachment, Inbound

NAME = "zalo_bot"
TEXT = "message.text.received"
IMAGE = "message.image.received"
STICKER = "message.sticker.received"
VOICE = "message.voice.received"
UNSUPPORTED = "message.unsupported.received"
_KEY_BITS = 63  # the inbox column is a signed 64-bit integer


def hash_to_key(message_id: str) -> int:
    """A message id (hex, or any string) as a stable non-negative 63-bit integer."""
    digest = hashlib.sha256(message_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - _KEY_BITS)


def unwrap(body: dict[str, Any]) -> dict[str, Any] | None:
    """The ``{event_name, message}`` update inside either envelope; None if there is none."""
    update = body.get("result") if "result" in body else body
    if not isinstance(update, dict):
        return None
    if isinstance(update.get("message"), dict):
        return update
    if "message_id" in update:  # a bare message: some copies of the docs show it so
        return {"event_name": update.get("event_name", ""), "message": update}
    return None


def derive_update_key(update: dict[str, Any]) -> int:
    """The inbox key of an update: its message_id, else its whole content, hashed."""
    message = _get_message(update)
    message_id = message.get("message_id")
    if message_id:
        return hash_to_key(str(message_id))
    # No id at all: the same POST replayed still has the same bytes.
    return hash_to_key(json.dumps(message, sort_keys=True, ensure_ascii=False))


def find_chat_key(update: dict[str, Any]) -> str:
    """The chat an update belongs to (the sender, when the chat is missing)."""
    message = _get_message(update)
    chat = message.get("chat") or {}
    sender = message.get("from") or {}
    return str(chat.get("id") or sender.get("id") or "")


def parse_update(body: dict[str, Any]) -> Inbound | None:
    """An update as an Inbound; None for the bot's own echoes and for what is no message.

    A sticker, a voice note or an unsupported message becomes an Inbound without text, as a
    Telegram sticker does: the person then hears what the bot expects instead of silence.
    """
    update = unwrap(body)
    if update is None:
        return None
    message = _get_message(update)
    sender = message.get("from") or {}
    if sender.get("is_bot") is True:
        return None
    chat = find_chat_key(update)
    if not chat:
        return None
    event = str(update.get("event_name") or "")
    text = _get_text(message)
    attachments: tuple[Attachment, ...] = ()
    photo = _photo_url(message)
    if photo:
        attachments = (Attachment("photo", photo),)
        text = _get_text(message, "caption") or text
    if event in (STICKER, VOICE, UNSUPPORTED):
        text = None
    return Inbound(
        channel=NAME,
        chat_key=chat,
        user_key=str(sender.get("id") or chat),
        update_key=derive_update_key(update),
        text=text,
        attachments=attachments,
        display_name=pick_display_name(sender),
    )


def pick_display_name(sender: dict[str, Any]) -> str:
    """The sender's name, under whichever field this copy of the API uses."""
    for field in ("display_name", "first_name", "name"):
        value = sender.get(field)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _get_message(update: dict[str, Any]) -> dict[str, Any]:
    """The update's message object (empty when it has none)."""
    message = update.get("message")
    return message if isinstance(message, dict) else {}


def _get_text(message: dict[str, Any], field: str = "text") -> str | None:
    """A non-empty string field of the message, else None."""
    value = message.get(field)
    return value if isinstance(value, str) and value != "" else None


def _photo_url(message: dict[str, Any]) -> str | None:
    """The picture's URL: ``photo_url``, or ``photo`` as a URL, an object or a list of sizes."""
    for field in ("photo_url", "photo"):
        value = message.get(field)
        if isinstance(value, list) and value:
            value = value[-1]  # the largest size comes last, as in Telegram's PhotoSize lists
        if isinstance(value, dict):
            value = value.get("url") or value.get("photo_url")
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return None
