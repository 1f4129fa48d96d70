"""Chats the dispatcher found unreachable: the standing office is told who and why, once,
and a notice a blocked chat refused goes to the official's other account."""

from __future__ import annotations

import enum
import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.base import Outbound
from bot.config import Settings
from bot.i18n import translator_for
from bot.services import outbox
from bot.services.people import reach, unreachable

log = logging.getLogger(__name__)


class Lost(enum.Enum):
    """Why a chat cannot be reached."""

    BLOCKED = "blocked"  # the person blocked the bot
    SILENT = "silent"  # the platform refuses until the person writes again (held)


def _named(channel: str) -> str:
    """The platform's name as people know it."""
    return {"zalo_oa": "Zalo OA", "zalo_bot": "Zalo"}.get(channel, channel.capitalize())


async def send_elsewhere(
    session: AsyncSession, row: outbox.Claimed, chat_key: str, now: datetime
) -> None:
    """A notice to a chat that blocked the bot goes to the official's other account."""
    if outbox.is_reply(row.dedupe_key):  # an answer belongs to the chat that asked
        return
    message = Outbound.from_payload(row.payload)
    for account in await reach.accounts_instead_of(session, row.channel, chat_key, now):
        await outbox.enqueue(
            session,
            dedupe_key=f"{row.dedupe_key}:via:{account.id}"[:200],
            channel=account.channel,
            chat_key=account.chat_key,
            message=message,
            now=now,
        )


async def tell_standing_office(
    session: AsyncSession,
    settings: Settings,
    channel: str,
    chat_key: str,
    now: datetime,
    why: Lost,
) -> None:
    """Mark a chat unreachable; the standing office hears who and why, once each time."""
    lost = await unreachable.mark_unreachable(session, channel, chat_key, now)
    if not lost:
        return
    recipients = await unreachable.standing_recipients(session, now)
    if not recipients:
        log.warning("a chat on %s is unreachable; no standing officer can be told", channel)
    stamp = int(now.timestamp())
    for contact in lost:
        log.info("chat account %s on %s is unreachable (%s)", contact.account_id, channel, why)
        for recipient in recipients:
            t = translator_for(recipient.locale, settings.locale, settings.zone)
            words = {"name": contact.name, "unit": contact.unit, "channel": _named(channel)}
            if why is Lost.BLOCKED:
                text = t._(
                    "{name} ({unit}) can no longer be reached on {channel}: they have "
                    "blocked the bot, so reminders and notices do not reach them. Please "
                    "contact them another way.",
                    **words,
                )
            else:
                text = t._(
                    "{name} ({unit}) cannot be reached on {channel} for now: {channel} "
                    "refuses messages to someone who has not written to the official "
                    "account for 7 days. Their reminders and notices are held and go out "
                    "as soon as they write; please ask them to send the account any message.",
                    **words,
                )
            await outbox.enqueue(
                session,
                dedupe_key=(
                    f"unreachable:{channel}:{chat_key}:{contact.account_id}:{stamp}"
                    f":to:{recipient.account_id}"
                ),
                channel=recipient.channel,
                chat_key=recipient.chat_key,
                message=Outbound(text),
                now=now,
            )
