"""The province page: the digest's figures, ranking and lists, and what waits for the office.

Everything comes from the services the weekly digest uses (`province_digest`, indicator
`achievement` of the last closed period, `stale_blockers`), so the page and the digest
agree; the queues are counted here in three COUNT queries.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.config import Settings
from bot.services.blockers import BlockerView, count_stale_blockers, stale_blockers
from bot.services.dates.periods import Period, Regime, period_of
from bot.services.digests.model import ProvinceDigest
from bot.services.digests.province import province_digest
from bot.services.figures import UnitScore
from bot.services.indicators.achievement import Achievement, achievement
from bot.services.reports.review import count_pending
from db.models import Blocker, ExtensionRequest

STALE_SHOWN = 20


@dataclass(frozen=True)
class Queues:
    """What waits for the standing office: claims to confirm, extensions, open blockers."""

    claims: int
    extensions: int
    blockers: int


@dataclass(frozen=True)
class ProvincePage:
    """Everything the province page shows."""

    digest: ProvinceDigest
    indicators: tuple[Achievement, ...]
    indicator_period: Period
    stale_blockers: tuple[BlockerView, ...]  # the oldest `STALE_SHOWN`
    stale_count: int
    escalation_days: int
    queues: Queues


async def _queues(session: AsyncSession) -> Queues:
    """Counts of the standing office's queues."""
    extensions = await session.scalar(
        select(func.count())
        .select_from(ExtensionRequest)
        .where(col(ExtensionRequest.decision).is_(None))
    )
    blockers = await session.scalar(
        select(func.count()).select_from(Blocker).where(col(Blocker.resolved_at).is_(None))
    )
    return Queues(await count_pending(session), int(extensions or 0), int(blockers or 0))


async def province_page(
    session: AsyncSession,
    today: date,
    settings: Settings,
    ranking: Awaitable[list[UnitScore]] | None = None,
) -> ProvincePage:
    """The province as of `today` (local), as the Monday digest sees it (`ranking`: the
    digest's ranking counted meanwhile elsewhere, see `province_digest`)."""
    regime = Regime(settings.period_regime)
    digest = await province_digest(
        session,
        today,
        today,
        regime=regime,
        zone=settings.zone,
        weights=settings.ranking_weights,
        ranking=ranking,
    )
    closed = period_of(regime, today).previous()
    days, zone = settings.blocker_escalation_days, settings.zone
    stale = await stale_blockers(session, today, days, zone, limit=STALE_SHOWN)
    return ProvincePage(
        digest=digest,
        indicators=tuple(await achievement(session, closed.key)),
        indicator_period=closed,
        stale_blockers=tuple(stale),
        stale_count=await count_stale_blockers(session, today, days, zone),
        escalation_days=settings.blocker_escalation_days,
        queues=await _queues(session),
    )
