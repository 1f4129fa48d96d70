"""Reporting periods: units that have not reported are nudged before the submission deadline
and listed to the standing office after it (Nghị định 09: every open assignment reported)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.dates.calendar import WorkCalendar
from bot.services.nudges import plan_period_check
from db.engine import Database
from db.migrate import upgrade
from db.models import ProgressReport
from tests.conftest import test_settings
from tests.province import bind_account, build_province

START = datetime(2026, 11, 16, 2, tzinfo=UTC)


def _file_report(
    session: AsyncSession, assignment_id: int, official_id: int, created_at: datetime
) -> None:
    """A focal officer's progress report on an assignment, made at `created_at`."""
    session.add(
        ProgressReport(
            assignment_id=assignment_id,
            official_id=official_id,
            status="in_progress",
            progress=30,
            done_text="Đã triển khai",
            channel="telegram",
            created_at=created_at,
        )
    )


async def test_silent_units_are_nudged_then_reported_to_the_standing_office(
    database_url: str,
) -> None:
    db = Database(database_url)
    await upgrade(db)
    settings = test_settings(database_url)
    async with db.transaction() as session:
        province = await build_province(session, START)
        await bind_account(session, province.health_focal, "501", START)
        await bind_account(session, province.education_focal, "503", START)
        await bind_account(session, province.standing, "509", START)
        # Sở Giáo dục và Đào tạo reports in the period 15/11–14/12; Sở Y tế stays silent.
        _file_report(session, province.education_task, province.education_focal, START)
    calendar = WorkCalendar()
    async with db.read() as session:
        early = await plan_period_check(
            session, datetime(2026, 12, 1, 3, tzinfo=UTC), settings, calendar
        )
        # Thursday 10/12: the report is due Wednesday 16/12, two working days after the
        # cut-off (Mon 14/12), so Fri 11, Mon 14, Tue 15 and Wed 16 still lie ahead.
        before = await plan_period_check(
            session, datetime(2026, 12, 10, 3, tzinfo=UTC), settings, calendar
        )
        # Monday 14/12: Tue 15 and Wed 16 are the last working days before the deadline.
        near = await plan_period_check(
            session, datetime(2026, 12, 14, 3, tzinfo=UTC), settings, calendar
        )
        # Tuesday 15/12: the cut-off has passed but the report on 15/11–14/12 is still due.
        after_cutoff = await plan_period_check(
            session, datetime(2026, 12, 15, 3, tzinfo=UTC), settings, calendar
        )
        after = await plan_period_check(
            session, datetime(2026, 12, 17, 3, tzinfo=UTC), settings, calendar
        )
    await db.dispose()
    assert early.nudge == [] and before.nudge == []
    assert [a.official_id for a in near.nudge] == [province.health_focal]
    assert near.period.key == "2026-M12" and near.due.isoformat() == "2026-12-16"
    assert after_cutoff.period.key == "2026-M12"
    assert [a.official_id for a in after_cutoff.nudge] == [province.health_focal]
    assert after_cutoff.missing_units == []
    assert after.previous.key == "2026-M12"
    assert after.missing_units == ["Sở Y tế"]
    assert [a.official_id for a in after.standing] == [province.standing]


async def test_a_unit_has_reported_only_when_each_open_assignment_has_a_report(
    database_url: str,
) -> None:
    db = Database(database_url)
    await upgrade(db)
    settings = test_settings(database_url)
    async with db.transaction() as session:
        province = await build_province(session, START)
        await bind_account(session, province.health_focal, "501", START)
        await bind_account(session, province.standing, "509", START)
        # Sở Y tế has three open assignments and reports on one of them; Sở Giáo dục và
        # Đào tạo reports on its only one on the submission day, after the cut-off.
        _file_report(session, province.overdue, province.health_focal, START)
        _file_report(
            session,
            province.education_task,
            province.education_focal,
            datetime(2026, 12, 16, 8, tzinfo=UTC),
        )
    async with db.read() as session:
        near = await plan_period_check(
            session, datetime(2026, 12, 14, 3, tzinfo=UTC), settings, WorkCalendar()
        )
        after = await plan_period_check(
            session, datetime(2026, 12, 17, 3, tzinfo=UTC), settings, WorkCalendar()
        )
    await db.dispose()
    assert [a.official_id for a in near.nudge] == [province.health_focal]
    assert after.missing_units == ["Sở Y tế"]
