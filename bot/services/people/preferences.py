"""What an official chooses for themselves: the language the bot speaks to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import SUPPORTED_LOCALES
from bot.services import audit, menus
from bot.services.people.identity import Identity


async def choose_language(
    session: AsyncSession, identity: Identity, locale: str, now: datetime
) -> bool:
    """Speak `locale` to the official from now on (replies and notices); audited.

    False, changing nothing, for a language the bot does not speak.
    """
    if locale not in SUPPORTED_LOCALES:
        return False
    official = identity.official
    before = official.locale
    official.locale = locale
    await menus.mark_official(session, official.id, now)
    audit.record(
        session,
        now=now,
        action="official.language_chosen",
        actor_official_id=official.id,
        actor_account=f"{identity.account.channel}:{identity.account.user_key}",
        entity="official",
        entity_id=official.id,
        before={"locale": before},
        after={"locale": locale},
    )
    return True
