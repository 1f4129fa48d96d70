"""Where a report's evidence is: the channel it was sent on and that channel's file reference."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Assignment, ProgressReport


@dataclass(frozen=True)
class Evidence:
    """A report's evidence file and the unit whose report it is (to authorise)."""

    report_id: int
    unit_id: int
    channel: str
    file_id: str
    kind: str  # "photo" | "document"
    name: str | None


async def evidence_of(session: AsyncSession, report_id: int) -> Evidence | None:
    """The evidence of a report, or None when the report has none or does not exist."""
    row = (
        await session.execute(
            select(ProgressReport, col(Assignment.unit_id))
            .join(Assignment, col(Assignment.id) == ProgressReport.assignment_id)
            .where(col(ProgressReport.id) == report_id)
        )
    ).first()
    if row is None:
        return None
    report, unit_id = row
    if not report.evidence_file_id or not report.evidence_kind:
        return None
    return Evidence(
        report_id,
        unit_id,
        report.channel,
        report.evidence_file_id,
        report.evidence_kind,
        report.evidence_name,
    )
