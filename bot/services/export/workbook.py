"""The tracking workbook (`roviec export`, /xuatbaocao): every assignment, and the headline figures.

Only the standing office and the provincial leaders may export (anyone else is refused and
audited); each export is audited. Sheet "Theo dõi" has one row per assignment
(`bot.services.export.tracking_sheet`), sheet "Tổng hợp" the headline figures
(`bot.services.export.summary_sheet`), both built from the rows read in
`bot.services.export.records`. With a reporting period (Nghị định 09/2019/NĐ-CP) the "last
report" columns only look at reports inside the period, and a "done in the period" column
and figure are added. The workbook is a fixed Vietnamese report format (the document the
standing office files and forwards), so its texts (`bot.services.export.wording`) do not
follow the reader's chat language; only the bot's caption goes through the Translator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit, workbook
from bot.services.dates.periods import Period, Regime, period_of
from bot.services.export.records import assignment_lines, indicator_lines
from bot.services.export.summary_sheet import summary_sheet
from bot.services.export.tracking_sheet import tracking_sheet
from bot.services.figures import province_figures
from bot.services.people.identity import Identity
from bot.services.people.permissions import Action, may

TRACKING_SHEET = "Theo dõi"
SUMMARY_SHEET = "Tổng hợp"


class ExportRefused(Exception):
    """The person's role may not export the province's tracking table."""


@dataclass(frozen=True)
class Export:
    """The workbook and the figures a caption needs."""

    data: bytes
    filename: str
    assignments: int
    tasks_done: int
    tasks_total: int
    pilots_done: int
    pilots_total: int
    claimed: int  # tasks and pilot models reported done, awaiting confirmation
    period: Period | None


async def export_for(
    session: AsyncSession,
    identity: Identity,
    *,
    now: datetime,
    today: date,
    zone: ZoneInfo,
    regime: Regime | None,
    actor_account: str,
) -> Export:
    """The workbook for a standing officer or leader; anyone else is refused and audited."""
    if not may(identity.official, Action.EXPORT_TABLE):
        audit.record(
            session,
            now=now,
            action="export.refused",
            actor_official_id=identity.official.id,
            actor_account=actor_account,
            detail=f"role {identity.official.role} may not export",
        )
        raise ExportRefused(identity.official.role)
    return await export(
        session,
        now=now,
        today=today,
        zone=zone,
        regime=regime,
        actor_official_id=identity.official.id,
        actor_account=actor_account,
    )


async def export(
    session: AsyncSession,
    *,
    now: datetime,
    today: date,
    zone: ZoneInfo,
    regime: Regime | None = None,
    actor_official_id: int | None = None,
    actor_account: str = "cli",
) -> Export:
    """Build the tracking workbook as of `today`, for the current period of `regime` if given."""
    period = period_of(regime, today) if regime else None
    lines = await assignment_lines(session, today, zone, period)
    figures = await province_figures(session, today, period)
    indicators = await indicator_lines(session, zone, period)
    book = Workbook()
    tracking = book.active
    assert tracking is not None
    tracking.title = TRACKING_SHEET
    tracking_sheet(tracking, lines, today, period)
    summary_sheet(book.create_sheet(SUMMARY_SHEET), figures, indicators, today, period)
    result = Export(
        data=workbook.to_bytes(book),
        filename=f"bao-cao-de-an-06-{today.isoformat()}.xlsx",
        assignments=len(lines),
        tasks_done=figures.tasks.done,
        tasks_total=figures.tasks.total,
        pilots_done=figures.pilot_models.done,
        pilots_total=figures.pilot_models.total,
        claimed=figures.claimed,
        period=period,
    )
    audit.record(
        session,
        now=now,
        action="export.created",
        actor_official_id=actor_official_id,
        actor_account=actor_account,
        entity="workbook",
        after={
            "filename": result.filename,
            "assignments": result.assignments,
            "period": period.key if period else None,
        },
    )
    return result
