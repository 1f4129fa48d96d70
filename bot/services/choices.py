"""Choices without buttons: the numbered list a chat was last shown, and reading an answer.

On a channel without buttons (Zalo, the console) a choice is a numbered line; the person
answers "2", "2.", " 2 " or the label itself. The numbering is kept per chat in the
database. Data is never taken for a choice: where the step asks for a number or a date,
only a label typed in full picks a choice.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import ChoiceMenu


@dataclass(frozen=True)
class Menu:
    """What a chat was last shown: labels and their payloads, "1" first."""

    labels: tuple[str, ...]
    payloads: tuple[str, ...]


async def remember(
    session: AsyncSession, channel: str, chat_key: str, menu: Menu, now: datetime
) -> None:
    """The chat was just shown `menu` (an empty one: a message without choices)."""
    await session.execute(
        delete(ChoiceMenu).where(
            col(ChoiceMenu.channel) == channel, col(ChoiceMenu.chat_key) == chat_key
        )
    )
    if menu.payloads:
        session.add(
            ChoiceMenu(
                channel=channel,
                chat_key=chat_key,
                labels=list(menu.labels),
                payloads=list(menu.payloads),
                shown_at=now,
            )
        )


async def last_shown(session: AsyncSession, channel: str, chat_key: str) -> Menu | None:
    """The menu the chat was last shown, if it had choices."""
    row = await session.get(ChoiceMenu, (channel, chat_key))
    if row is None:
        return None
    return Menu(tuple(row.labels), tuple(row.payloads))


def pick(menu: Menu, text: str, *, numbers_are_data: bool) -> str | None:
    """The payload `text` chooses: by its number (unless the step reads numbers) or label."""
    answer = text.strip()
    number = answer.rstrip(".").strip()
    if number.isascii() and number.isdecimal() and not numbers_are_data:
        index = int(number) - 1
        return menu.payloads[index] if 0 <= index < len(menu.payloads) else None
    wanted = _comparable(answer)
    for label, payload in zip(menu.labels, menu.payloads, strict=True):
        if wanted and _comparable(label) == wanted:
            return payload
    return None


def _comparable(text: str) -> str:
    """Text as a person might retype a label: case, spacing and symbols aside."""
    kept = "".join(ch for ch in unicodedata.normalize("NFC", text) if ch.isalnum() or ch == " ")
    return " ".join(kept.casefold().split())
