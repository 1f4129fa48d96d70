"""Reporting periods: silent units are nudged before the cut-off and listed after it."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services.dates.calendar import WorkCalendar
from bot.services.nudges import plan_period_check
from db.engine import Database
from db.migrate import upgrade
from db.models import ProgressReport
from tests.conftest import test_settings
from tests.province import bind_account, build_province

START = datetime(2026, 11, 16, 2, tzinfo=UTC)


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
        session.add(
            ProgressReport(
                assignment_id=province.education_task,
                official_id=province.education_focal,
                status="in_progress",
                progress=30,
                done_text="Đã khảo sát",
                channel="telegram",
                created_at=START,
            )
        )
    calendar = WorkCalendar()
    async with db.read() as session:
        early = await plan_period_check(
            session, datetime(2026, 12, 1, 3, tzinfo=UTC), settings, calendar
        )
        # Thursday 10/12: Fri 11, Mon 14 are the last working days before the cut-off.
        near = await plan_period_check(
            session, datetime(2026, 12, 10, 3, tzinfo=UTC), settings, calendar
        )
        after = await plan_period_check(
            session, datetime(2026, 12, 15, 3, tzinfo=UTC), settings, calendar
        )
    await db.dispose()
    assert early.nudge == []
    assert [a.official_id for a in near.nudge] == [province.health_focal]
    assert near.period.key == "2026-M12"
    assert after.previous.key == "2026-M12"
    assert after.missing_units == ["Sở Y tế"]
    assert [a.official_id for a in after.standing] == [province.standing]
