"""The weekly digest job: on Monday at 07:30 heads read their unit's week, the standing office
and the leaders read the province with a chart.

The province is the one of tests/services/test_digests.py: Sở Y tế's head Trần Văn Hùng
reads English, Sở GD&ĐT's head Phạm Thu Hà reads Vietnamese (the default), the standing
officer Đặng Quốc Việt reads English and the vice-chairman Lê Hồng Sơn Vietnamese.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import utc_now
from bot.channels.base import Outbound, text_length
from bot.channels.telegram import TelegramChannel, build_application
from bot.services.dates.calendar import WorkCalendar
from bot.services.people import directory
from db.engine import Database
from db.migrate import upgrade
from db.models import (
    Assignment,
    ChatAccount,
    ExtensionRequest,
    Official,
    OutboxMessage,
    ProgressReport,
    Proposal,
    Review,
)
from scheduler.digest.job import digest_job, week_key, weekly_digests
from scheduler.jobs import JobContext
from tests.conftest import test_settings
from tests.fakes.telegram_api import FakeTelegram
from tests.province import bind_account
from tests.services.test_digests import (
    NOW,
    TODAY,
    Week,
    add_assignment,
    add_pilot_models,
    build_week,
)

HUNG, HA, VIET, SON = "601", "602", "603", "604"


LONG_TITLE = "Triển khai " + "dịch vụ công trực tuyến toàn trình " * 12


async def add_communes(session: AsyncSession, week: Week, count: int) -> None:
    """Communes with long names and one open task each, none of which has reported yet."""
    for n in range(count):
        commune = await directory.add_unit(
            session,
            code=f"X-{n:03d}",
            name=f"UBND xã có tên rất dài số {n:03d} thuộc tỉnh Nghệ An theo Nghị quyết",
            kind="commune",
            parent_code="UBND",
            now=NOW,
        )
        await add_assignment(
            session,
            group=week.group,
            code=f"XA-{n:03d}",
            title=LONG_TITLE,
            unit=commune.id or 0,
            deadline=TODAY + timedelta(days=5),
        )


@dataclass
class Monday:
    """The database, the job's context and the story's people on their chats."""

    db: Database
    ctx: JobContext
    week: Week

    async def run(self, now: datetime = NOW) -> int:
        return await weekly_digests(self.ctx, now)

    async def queued(self, chat: str | None = None) -> list[tuple[str, Outbound]]:
        """(dedupe key, message) of what is queued, for one chat or for all."""
        async with self.db.read() as session:
            query = select(OutboxMessage).order_by(OutboxMessage.id)
            if chat is not None:
                query = query.where(OutboxMessage.chat_key == chat)
            rows = await session.scalars(query)
            return [(m.dedupe_key, Outbound.from_payload(m.payload)) for m in rows]

    async def count(self) -> int:
        async with self.db.read() as session:
            return int(await session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


@pytest.fixture
async def monday(database_url: str) -> AsyncIterator[Monday]:
    db = Database(database_url)
    await upgrade(db)
    bound = NOW - timedelta(days=30)
    async with db.transaction() as session:
        week = await build_week(session)
        son = await directory.add_official(
            session, name="Lê Hồng Sơn", role="leader", unit_code="UBND", title="", now=bound
        )
        people = [
            (week.province.health_head, HUNG),
            (week.province.education_head, HA),
            (week.province.standing, VIET),
            (son.id or 0, SON),
        ]
        for official, chat in people:
            await bind_account(session, official, chat, bound)
        english = [week.province.health_head, week.province.standing]
        await session.execute(update(Official).where(Official.id.in_(english)).values(locale="en"))
    ctx = JobContext(db, test_settings(database_url), WorkCalendar(), utc_now)
    yield Monday(db, ctx, week)
    await db.dispose()


async def test_an_english_head_reads_the_units_week(monday: Monday) -> None:
    await monday.run()
    [(key, message)] = await monday.queued(HUNG)
    assert key.startswith(f"digest:{monday.week.province.health_head}:2026-W47:")
    lines = message.text.split("\n")
    assert lines[:7] == [
        "📊 Weekly digest: Sở Y tế",
        "As of Monday, 16/11/2026",
        "Tasks (5): 2 done, 0 awaiting confirmation, 2 in progress, 1 not started, "
        "0 maintained; 2 overdue.",
        "Pilot models (1): 0 done, 0 awaiting confirmation, 0 in progress, 1 not started, "
        "0 maintained; 0 overdue.",
        "“Done” counts only results confirmed by the standing office; “awaiting confirmation” "
        "are results a unit reported done that are not confirmed yet.",
        "🏅 Ranking: 3 of 3 units, 30 points.",
        "",
    ]
    assert "🔴 Overdue (2):" in lines
    assert (
        "• NV-04 Số hóa hồ sơ bệnh án — 12 days late (deadline 04/11/2026); responsible: Võ Thị Mai"
    ) in lines
    assert (
        "• NV-01 Khám chữa bệnh bằng thẻ Căn cước gắn chip — 5 days late (deadline 11/11/2026);"
        " responsible: Nguyễn Thị Lan, Võ Thị Mai"
    ) in lines
    assert "• NV-01: Chưa có đầu đọc thẻ Căn cước tại 3 trạm y tế (2 days open)" in lines
    assert "• NV-02 Cấp sổ sức khỏe điện tử — due 19/11/2026, 30% done" in lines
    assert "📝 No report in the period 15/11/2026–14/12/2026 (3):" in lines
    assert "• NV-05 Kết nối dữ liệu tiêm chủng — done 14/11/2026" in lines
    assert not any("more" in line for line in lines)  # everything fits: nothing is cut


async def test_a_result_awaiting_confirmation_is_not_counted_done(monday: Monday) -> None:
    # Sở Y tế reported NV-05 done on Saturday; the standing office has not confirmed it yet.
    async with monday.db.transaction() as session:
        await session.execute(
            update(Assignment)
            .where(Assignment.id == monday.week.vaccines)
            .values(review=Review.PENDING)
        )
    await monday.run()
    [(_, message)] = await monday.queued(HUNG)
    lines = message.text.split("\n")
    assert (
        "Tasks (5): 1 done, 1 awaiting confirmation, 2 in progress, 1 not started, "
        "0 maintained; 2 overdue."
    ) in lines
    assert (
        "• NV-05 Kết nối dữ liệu tiêm chủng — reported done 14/11/2026, awaiting confirmation"
        in (lines)
    )


async def test_a_vietnamese_head_gets_the_unit_in_the_default_language(monday: Monday) -> None:
    await monday.run()
    [(_, message)] = await monday.queued(HA)
    assert "Sở Giáo dục và Đào tạo" in message.text
    assert "16/11/2026" in message.text and "NV-07" in message.text


async def test_running_again_in_the_same_week_queues_nothing_new(monday: Monday) -> None:
    first = await monday.run()
    assert first == await monday.count() > 0
    assert await monday.run() == 0  # the same firing twice
    assert await monday.run(NOW + timedelta(days=2)) == 0  # a catch-up on Wednesday
    assert await monday.count() == first
    assert await monday.run(NOW + timedelta(days=7)) >= first  # next Monday is a new week


async def test_an_unreachable_account_gets_nothing(monday: Monday) -> None:
    async with monday.db.transaction() as session:
        await session.execute(
            update(ChatAccount).where(ChatAccount.chat_key == HA).values(unreachable_at=NOW)
        )
    await monday.run()
    assert await monday.queued(HA) == []
    assert len(await monday.queued(HUNG)) == 1


async def test_the_standing_officer_gets_the_chart_with_the_pilot_models(monday: Monday) -> None:
    async with monday.db.transaction() as session:
        await add_pilot_models(session, monday.week)
    await monday.run()
    messages = await monday.queued(VIET)
    key, chart = messages[0]
    assert key.endswith(":chart")
    assert chart.photo is not None and chart.photo.startswith(b"\x89PNG")
    assert len(chart.photo) <= 100_000
    # Each pilot model once, with the state of its lead unit's assignment.
    assert (
        "Pilot models (38): 6 done, 0 awaiting confirmation, 20 in progress, 12 not started, "
        "0 maintained; 0 overdue."
    ) in chart.text
    assert (
        "Assignments to units (47): 9 done, 0 awaiting confirmation, 23 in progress, "
        "15 not started, 0 maintained; 3 overdue."
    ) in chart.text
    everything = "\n".join(m.text for _, m in messages)
    # /xephang's ranking: the commune finished its six pilot models early, reported nothing;
    # Sở GD&ĐT one of its two due tasks, half its open work overdue.
    assert (
        "1. UBND xã Diễn Châu — 80 points\n"
        "    on time 100% (6/6) · overdue 0% (0/32) · reported 0% (0/32)"
    ) in everything
    assert "2. Sở Giáo dục và Đào tạo — 40 points" in everything
    assert "🐢" not in everything
    assert "• Sở Y tế: NV-04 Số hóa hồ sơ bệnh án — 12 days late; responsible: Võ Thị Mai" in (
        everything
    )
    [(_, leaders_chart), *_] = await monday.queued(SON)
    assert leaders_chart.photo is not None  # the leader too, in Vietnamese


async def test_300_overdue_items_still_fit_telegrams_limits(monday: Monday) -> None:
    async with monday.db.transaction() as session:
        for n in range(300):
            for unit in (monday.week.health, monday.week.education):
                await add_assignment(
                    session,
                    group=monday.week.group,
                    code=f"QH-{unit}-{n:03d}",
                    title=LONG_TITLE,
                    unit=unit,
                    deadline=TODAY - timedelta(days=1 + n),
                )
        await add_communes(session, monday.week, 150)
    await monday.run()
    queued = await monday.queued()
    assert len(queued) == 6  # two heads; chart and details for the standing officer and leader
    for key, message in queued:
        limit = (
            TelegramChannel.max_caption if message.photo is not None else TelegramChannel.max_text
        )
        assert limit is not None and text_length(message.text) <= limit, key
    [(_, hung)] = await monday.queued(HUNG)
    assert "🔴 Overdue (302):" in hung.text
    assert re.search(r"^… and \d+ more$", hung.text, re.MULTILINE)
    viet = await monday.queued(VIET)
    assert [m.photo is not None for _, m in viet] == [True, False]  # chart, then the details


async def test_the_standing_officer_receives_chart_and_details_on_telegram(
    monday: Monday,
) -> None:
    async with monday.db.transaction() as session:
        await add_pilot_models(session, monday.week)
        await add_communes(session, monday.week, 20)  # too much to say in one caption
    await monday.run()
    telegram = FakeTelegram()
    await telegram.start()
    application = build_application("123:ABC", telegram.base_url, telegram.base_file_url)
    await application.initialize()
    try:
        viet = telegram.person(int(VIET))
        channel = TelegramChannel(application)
        # Straight through the channel: what matters here is what Telegram accepts.
        for _, message in await monday.queued(VIET):
            assert (await channel.deliver(VIET, message)).ok
    finally:
        await application.shutdown()
        await telegram.stop()
    chart, details = viet.messages
    assert chart.kind == "photo" and "Pilot models (38): 6 done" in (chart.text or "")
    assert details.kind == "text" and "🔴 Longest overdue:" in (details.text or "")


def test_the_digest_fires_on_monday_at_0730_in_the_provinces_time() -> None:
    job = digest_job(test_settings("sqlite+aiosqlite://"))
    sunday_noon = datetime(2026, 11, 15, 5, 0, tzinfo=UTC)
    assert job.name == "digest"
    fire = job.trigger.get_next_fire_time(None, sunday_noon)
    assert fire == datetime(2026, 11, 16, 0, 30, tzinfo=UTC)


def test_the_digest_day_and_time_are_configurable() -> None:
    settings = test_settings("sqlite+aiosqlite://", digest_day="fri", digest_time="16:45")
    fire = digest_job(settings).trigger.get_next_fire_time(None, NOW)
    assert fire == datetime(2026, 11, 20, 9, 45, tzinfo=UTC)


def test_weeks_are_iso_weeks_of_the_local_day() -> None:
    assert week_key(TODAY) == "2026-W47"
    assert week_key(datetime(2027, 1, 1).date()) == "2026-W53"


async def test_the_standing_office_reads_what_waits_on_it(monday: Monday) -> None:
    # NV-05 was reported done and awaits confirmation; NV-04 has an extension request waiting.
    async with monday.db.transaction() as session:
        await session.execute(
            update(Assignment)
            .where(Assignment.id == monday.week.vaccines)
            .values(review=Review.PENDING)
        )
        assignment = await session.get(Assignment, monday.week.vaccines)
        assert assignment is not None
        session.add(
            ExtensionRequest(
                assignment_id=assignment.id,
                requested_by=monday.week.province.health_focal,
                current_deadline=assignment.deadline,
                requested_deadline=assignment.deadline + timedelta(days=30),
                reason="Chờ kinh phí",
                created_at=NOW - timedelta(days=3),
            )
        )
        report = await session.scalar(select(ProgressReport).limit(1))
        assert report is not None
        for answered in (None, NOW):  # one open proposal, one answered
            session.add(
                Proposal(
                    assignment_id=report.assignment_id,
                    report_id=report.id,
                    proposed_by=report.official_id,
                    text="Đề nghị bố trí kinh phí",
                    opened_at=NOW - timedelta(days=2),
                    answered_at=answered,
                    answer="Đã bố trí" if answered else None,
                )
            )
    await monday.run()
    everything = "\n".join(m.text for _, m in await monday.queued(VIET))
    assert "⏳ Waiting for the standing office:" in everything
    assert "• 1 result reported done awaiting confirmation (/xacnhan)" in everything
    assert "• 1 extension request awaiting a decision (/xetgiahan)" in everything
    assert "• 1 proposal awaiting an answer (/kiennghi)" in everything


async def test_nothing_waiting_leaves_the_section_out(monday: Monday) -> None:
    await monday.run()
    everything = "\n".join(m.text for _, m in await monday.queued(VIET))
    assert "Waiting for the standing office" not in everything
