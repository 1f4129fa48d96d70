"""Where a report's evidence (or a directive reply's file) is, and keeping it once fetched.

A file a channel holds (Telegram's file id) is fetched once for the dashboard, stored in
`bot.services.files` for good, and the report (or reply) then refers to the stored file
(``stored:12``), audited, so that the platform is not asked again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.files import make_reference, store
from db.engine import rowcount
from db.models import Assignment, DirectiveReply, ProgressReport


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


async def keep_evidence(
    session: AsyncSession, evidence: Evidence, data: bytes, now: datetime, actor_official_id: int
) -> int:
    """Store a report's evidence fetched from its channel and refer the report to it
    (audited); the stored file's id."""
    name = evidence.name or f"evidence-{evidence.report_id}"
    stored = await store(session, data, name, now, None)
    reference = make_reference(stored.id)
    result = await session.execute(
        update(ProgressReport)
        .where(
            col(ProgressReport.id) == evidence.report_id,
            col(ProgressReport.evidence_file_id) == evidence.file_id,
        )
        .values(evidence_file_id=reference)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result):
        entity = ("progressreport", evidence.report_id)
        _audit(session, now, actor_official_id, entity, evidence.file_id, reference)
    return stored.id


async def keep_reply_file(
    session: AsyncSession,
    reply_id: int,
    file_id: str,
    name: str | None,
    data: bytes,
    now: datetime,
    actor_official_id: int,
) -> int:
    """Store a reply's file fetched from its channel and refer the reply to it (audited);
    the stored file's id."""
    stored = await store(session, data, name or f"reply-{reply_id}", now, None)
    reference = make_reference(stored.id)
    result = await session.execute(
        update(DirectiveReply)
        .where(
            col(DirectiveReply.id) == reply_id, col(DirectiveReply.attachment_file_id) == file_id
        )
        .values(attachment_file_id=reference)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result):
        _audit(session, now, actor_official_id, ("directivereply", reply_id), file_id, reference)
    return stored.id


def _audit(
    session: AsyncSession,
    now: datetime,
    actor: int,
    entity: tuple[str, int],
    before: str,
    after: str,
) -> None:
    """The reference of a file rewritten to the copy roviec now keeps."""
    audit.record(
        session,
        now=now,
        action="file.kept",
        actor_official_id=actor,
        actor_account="web",
        entity=entity[0],
        entity_id=entity[1],
        before={"file": before},
        after={"file": after},
    )
