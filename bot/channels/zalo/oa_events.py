"""Zalo OA webhook events as neutral Inbounds.

A button tap arrives as an ordinary ``user_send_text`` whose text is the button's payload.
roviec's payloads therefore carry a prefix (:data:`TAP_PREFIX`) that tells a tap from typed
text; a tap on an old message still names its own choice, which a bare number would not.
"""

from __future__ import annotations

import json
from typing import Any

from bot.channels.base import Attachment, Inbound
from bot.channels.zalo.bot_updates import hash_to_key

NAME = "zalo_oa"
TAP_PREFIX = "#rv:"
# Following the OA is Zalo's "Start" button: Telegram sends "/start" for it, so do we.
FOLLOW_TEXT = "/start"
_CONTENTLESS = frozenset(
    {
        "user_send_sticker",
        "user_send_gif",
        "user_send_audio",
        "user_send_video",
        "user_send_location",
        "user_send_link",
        "user_send_business_card",
    }
)


def make_tap_text(payload: str) -> str:
    """The text a button sends back when tapped, for roviec's payload."""
    return f"{TAP_PREFIX}{payload}"


def read_tap(text: str | None) -> str | None:
    """roviec's payload if this text came from one of its buttons, else None."""
    if not text:
        return None
    if text.startswith("{"):  # an object payload comes back as '{"content": …}'
        try:
            content = json.loads(text).get("content")
        except (ValueError, AttributeError):
            content = None
        text = content if isinstance(content, str) else text
    return text[len(TAP_PREFIX) :] if text.startswith(TAP_PREFIX) else None


def derive_event_key(event: dict[str, Any]) -> int:
    """The inbox key: the message's msg_id, else the event name, person and time."""
    message = event.get("message")
    msg_id = message.get("msg_id") if isinstance(message, dict) else None
    if msg_id:
        return hash_to_key(str(msg_id))
    parts = (event.get("event_name"), find_user_id(event), event.get("timestamp"))
    return hash_to_key("|".join(str(p or "") for p in parts))


def find_user_id(event: dict[str, Any]) -> str:
    """The follower the event is about (the OA writes back to this id)."""
    for field in ("sender", "follower", "user"):
        value = event.get(field)
        if isinstance(value, dict) and value.get("id"):
            return str(value["id"])
    return str(event.get("user_id") or "")


def parse_event(event: dict[str, Any]) -> Inbound | None:
    """An OA event as an Inbound; None for the OA's own sends, receipts and unfollows."""
    name = str(event.get("event_name") or "")
    person = find_user_id(event)
    if not person or not (name.startswith("user_send_") or name == "follow"):
        return None
    found = event.get("message")
    message: dict[str, Any] = found if isinstance(found, dict) else {}
    text = message.get("text") if isinstance(message.get("text"), str) else None
    if name == "follow":
        text = FOLLOW_TEXT
    elif name in _CONTENTLESS:
        text = None  # the person hears what the bot expects, as after a Telegram sticker
    payload = read_tap(text)
    return Inbound(
        channel=NAME,
        chat_key=person,
        user_key=person,
        update_key=derive_event_key(event),
        text=None if payload is not None else (text or None),
        payload=payload,
        attachments=_attachments(message),
        display_name=_pick_display_name(event),
    )


def _attachments(message: dict[str, Any]) -> tuple[Attachment, ...]:
    """Images and files a follower sent, by their (expiring) Zalo URLs."""
    found: list[Attachment] = []
    for item in message.get("attachments") or []:
        if not isinstance(item, dict):
            continue
        inner = item.get("payload")
        payload: dict[str, Any] = inner if isinstance(inner, dict) else {}
        url = payload.get("url")
        if not isinstance(url, str) or not url:
            continue
        if item.get("type") == "image":
            found.append(Attachment("photo", url))
        elif item.get("type") == "file":
            found.append(Attachment("document", url, payload.get("name")))
    return tuple(found)


def _pick_display_name(event: dict[str, Any]) -> str:
    """A name when the event carries one (OA events mostly do not: ask the profile API)."""
    for field in ("sender", "follower"):
        value = event.get(field)
        if isinstance(value, dict):
            name = value.get("display_name") or value.get("name")
            if isinstance(name, str):
                return name
    return ""
