"""Followers of the fake Zalo OA and the messages the OA sent them.

A :class:`Follower` turns what a person does (writing, sending a picture, tapping a button,
following) into the webhook event Zalo would POST, and keeps what the OA sent them.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any, Protocol

JsonDict = dict[str, Any]
_ids = itertools.count(0x3A4B5C6D7E8F)


def hex_id() -> str:
    """A fresh hex id, as Zalo's message ids are."""
    return f"{next(_ids):x}{next(_ids) * 104729:x}"


class _OA(Protocol):
    """What a follower needs of the fake OA."""

    webhook: str | None

    def now(self) -> float: ...

    def event(self, name: str, user_id: str, **content: Any) -> JsonDict: ...

    async def deliver(self, event: JsonDict, *, secret: str | None = None) -> int | None: ...


@dataclass
class OAMessage:
    """Something the OA sent to a follower."""

    message_id: str
    user_id: str
    kind: str  # "text" | "buttons" | "image"
    text: str | None
    buttons: list[JsonDict] = field(default_factory=list)
    image_url: str | None = None
    image: bytes | None = None

    @property
    def button_titles(self) -> list[str]:
        """The buttons' labels, in order."""
        return [str(b["title"]) for b in self.buttons]


class Follower:
    """A person who follows the OA and writes to it."""

    def __init__(self, user_id: str, display_name: str, oa: _OA) -> None:
        self.user_id = user_id
        self.display_name = display_name
        self.messages: list[OAMessage] = []
        self.events: list[JsonDict] = []
        self.last_interaction: float | None = None  # on the fake's clock
        self._oa = oa

    @property
    def last(self) -> OAMessage:
        """The latest message the OA sent this follower."""
        assert self.messages, f"the OA has sent nothing to {self.display_name}"
        return self.messages[-1]

    async def _act(self, name: str, **content: Any) -> JsonDict:
        """Record the event, open the interaction window, POST it if there is a webhook."""
        self.last_interaction = self._oa.now()
        event = self._oa.event(name, self.user_id, **content)
        self.events.append(event)
        if self._oa.webhook is not None:
            await self._oa.deliver(event)
        return event

    def _message(self, **content: Any) -> JsonDict:
        return {
            "sender": {"id": self.user_id},
            "recipient": {"id": "oa"},
            "message": {"msg_id": hex_id(), **content},
        }

    async def send(self, text: str) -> JsonDict:
        """Write a text; the event Zalo sent."""
        return await self._act("user_send_text", **self._message(text=text))

    async def send_image(self, url: str, caption: str | None = None) -> JsonDict:
        """Send a picture (Zalo gives its CDN URL)."""
        image = {"type": "image", "payload": {"url": url, "thumbnail": url}}
        content: JsonDict = {"attachments": [image]}
        if caption is not None:
            content["text"] = caption
        return await self._act("user_send_image", **self._message(**content))

    async def send_sticker(self) -> JsonDict:
        """Send a sticker."""
        sticker = {"type": "sticker", "payload": {"id": "st-1", "url": "https://zalo.example/st"}}
        return await self._act("user_send_sticker", **self._message(attachments=[sticker]))

    async def tap(self, title: str, message: OAMessage | None = None) -> JsonDict:
        """Tap a button (default: on the latest message that has it); its payload is the text."""
        if message is None:
            message = next((m for m in reversed(self.messages) if title in m.button_titles), None)
        if message is None:
            raise AssertionError(f"no message to {self.display_name} has a button {title!r}")
        button = next(b for b in message.buttons if b["title"] == title)
        if button["type"] not in ("oa.query.hide", "oa.query.show"):
            raise AssertionError(f"button {title!r} opens something; it sends no text")
        payload = button["payload"]
        text = payload if isinstance(payload, str) else json.dumps({"content": payload})
        return await self._act("user_send_text", **self._message(text=text))

    async def follow(self) -> JsonDict:
        """Follow the OA."""
        return await self._act(
            "follow", oa_id="oa", source="oa_profile", follower={"id": self.user_id}
        )

    async def unfollow(self) -> JsonDict:
        """Stop following the OA."""
        return await self._act(
            "unfollow", oa_id="oa", source="oa_profile", follower={"id": self.user_id}
        )
