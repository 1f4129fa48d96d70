"""Staff changes: leaving, moving, standing in, and a new code revoking the old ones."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from bot.channels.base import Outbound
from bot.services import outbox
from bot.services.dates.calendar import WorkCalendar
from bot.services.people import accounts, directory, roster, standins
from bot.services.people.directory import DirectoryError
from bot.services.people.reach import notice_accounts
from bot.services.reminders import plan_overdue, plan_reminders
from db.engine import Database
from db.migrate import upgrade
from db.models import Assignment, AuditLog, ChatAccount, Invitation, Official, OutboxMessage
from tests.conftest import test_settings
from tests.province import Province, bind_account, build_province

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = WorkCalendar()
NOW = datetime(2026, 11, 16, 2, tzinfo=UTC)


def at(day: date, hour: int) -> datetime:
    """A local hour in Hà Nội as a UTC instant."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZONE).astimezone(UTC)


@dataclass
class World:
    db: Database
    province: Province

    async def count(self, model: type, *where: object) -> int:
        async with self.db.read() as session:
            statement = select(func.count()).select_from(model)
            for condition in where:
                statement = statement.where(condition)  # type: ignore[arg-type]
            return int(await session.scalar(statement) or 0)

    async def actions(self) -> list[str]:
        async with self.db.read() as session:
            return list(await session.scalars(select(AuditLog.action).order_by(AuditLog.id)))

    async def reminded(self, now: datetime) -> dict[int, set[str]]:
        """Assignment → the chat keys its reminder goes to at `now`."""
        async with self.db.read() as session:
            notices = await plan_reminders(
                session, now, test_settings("sqlite+aiosqlite://"), CALENDAR
            )
        found: dict[int, set[str]] = {}
        for notice in notices:
            found.setdefault(notice.assignment_id, set()).add(notice.chat_key)
        return found


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    db = Database(database_url)
    await upgrade(db)
    async with db.transaction() as session:
        province = await build_province(session, NOW)
        await bind_account(session, province.health_focal, "501", NOW)
        await bind_account(session, province.health_head, "502", NOW)
        await bind_account(session, province.education_focal, "503", NOW)
        await session.execute(
            update(Assignment)
            .where(Assignment.id == province.due_soon)
            .values(deadline=date(2026, 12, 10), focal_official_id=province.health_focal)
        )
    yield World(db, province)
    await db.dispose()


async def test_a_new_invitation_revokes_the_older_open_codes(world: World) -> None:
    official = world.province.commune_focal
    async with world.db.transaction() as session:
        first = await accounts.issue_invitation(session, official, NOW, timedelta(hours=72))
        second = await accounts.issue_invitation(session, official, NOW, timedelta(hours=72))
    async with world.db.transaction() as session:
        refused, _ = await accounts.redeem_invitation(
            session,
            channel="telegram",
            user_key="601",
            chat_key="601",
            code=first,
            now=NOW + timedelta(minutes=1),
            max_failures=5,
            lockout=timedelta(minutes=15),
        )
        bound, _ = await accounts.redeem_invitation(
            session,
            channel="telegram",
            user_key="601",
            chat_key="601",
            code=second,
            now=NOW + timedelta(minutes=1),
            max_failures=5,
            lockout=timedelta(minutes=15),
        )
    assert (refused, bound) == (accounts.Redemption.INVALID, accounts.Redemption.BOUND)
    assert "invite.revoked" in await world.actions()


async def test_deactivating_unbinds_revokes_releases_and_silences(world: World) -> None:
    lan = world.province.health_focal
    async with world.db.transaction() as session:
        await accounts.issue_invitation(session, lan, NOW, timedelta(hours=72))
    assert world.province.due_soon in await world.reminded(at(date(2026, 12, 3), 9))
    async with world.db.transaction() as session:
        change = await roster.deactivate(session, lan, NOW)
    assert change.released == [world.province.due_soon]
    assert (change.accounts, change.codes) == (1, 1)
    assert await world.count(ChatAccount, ChatAccount.official_id == lan) == 0
    open_codes = (
        Invitation.official_id == lan,
        Invitation.used_at.is_(None),  # type: ignore[union-attr]
        Invitation.expires_at > NOW,
    )
    assert await world.count(Invitation, *open_codes) == 0
    assert await world.count(Assignment, Assignment.focal_official_id == lan) == 0
    assert await world.count(Official, Official.id == lan, Official.active) == 0
    # Nothing reaches her any more: no reminder, no account to tell.
    assert world.province.due_soon not in await world.reminded(at(date(2026, 12, 3), 9))
    async with world.db.read() as session:
        assert await notice_accounts(session, [lan], NOW) == []
    assert "official.deactivated" in await world.actions()
    async with world.db.transaction() as session:
        with pytest.raises(DirectoryError):
            await roster.deactivate(session, lan, NOW)


async def test_notices_waiting_for_someone_who_left_are_dropped_replies_kept(
    world: World,
) -> None:
    async with world.db.transaction() as session:
        for key in ("remind:2:2026-12-10:T-7:1", "reply:telegram:77:0"):
            await outbox.enqueue(
                session,
                dedupe_key=key,
                channel="telegram",
                chat_key="501",
                message=Outbound(text="…"),
                now=NOW,
            )
        await roster.deactivate(session, world.province.health_focal, NOW)
    async with world.db.read() as session:
        keys = list(await session.scalars(select(OutboxMessage.dedupe_key)))
    assert keys == ["reply:telegram:77:0"]


async def test_work_released_goes_to_the_units_focal_list(world: World) -> None:
    lan = world.province.health_focal
    async with world.db.transaction() as session:
        new = await directory.add_official(
            session, name="Võ Thị Mai", role="focal", unit_code="SYT", title="", now=NOW
        )
        await bind_account(session, new.id, "511", NOW)
    assert await world.reminded(at(date(2026, 12, 3), 9)) == {world.province.due_soon: {"501"}}
    async with world.db.transaction() as session:
        await roster.deactivate(session, lan, NOW)
    assert await world.reminded(at(date(2026, 12, 3), 9)) == {world.province.due_soon: {"511"}}


async def test_moving_an_official_changes_unit_and_role_and_releases_their_work(
    world: World,
) -> None:
    lan = world.province.health_focal
    async with world.db.transaction() as session:
        change = await roster.move(session, lan, unit_code="SGDDT", role="head", now=NOW)
    assert change.released == [world.province.due_soon]
    async with world.db.read() as session:
        official = await session.get(Official, lan)
        assert official is not None
        assert (official.unit_id, official.role) != (0, "focal")
        assert official.role == "head"
    async with world.db.transaction() as session:
        with pytest.raises(DirectoryError, match="no unit"):
            await roster.move(session, lan, unit_code="NOPE", role=None, now=NOW)
        with pytest.raises(DirectoryError, match="already"):
            await roster.move(session, lan, unit_code="SGDDT", role="head", now=NOW)
    assert "official.moved" in await world.actions()


async def test_a_stand_in_receives_reminders_and_alerts_for_the_period_only(world: World) -> None:
    lan, tuan = world.province.health_focal, world.province.education_focal
    async with world.db.transaction() as session:
        await standins.add_stand_in(
            session,
            lan,
            stand_in_id=tuan,
            first_day=date(2026, 12, 7),
            last_day=date(2026, 12, 9),
            zone=ZONE,
            now=NOW,
        )
    task = world.province.due_soon
    assert (await world.reminded(at(date(2026, 12, 3), 9)))[task] == {"501"}
    assert (await world.reminded(at(date(2026, 12, 7), 9)))[task] == {"503"}
    assert (await world.reminded(at(date(2026, 12, 9), 9)))[task] == {"503"}  # inclusive
    assert (await world.reminded(at(date(2026, 12, 10), 9)))[task] == {"501"}  # back
    # Overdue alerts follow the same rule.
    async with world.db.read() as session:
        settings = test_settings("sqlite+aiosqlite://")
        alerts = await plan_overdue(session, at(date(2026, 12, 8), 9), settings, CALENDAR)
        reached = await notice_accounts(session, [lan], at(date(2026, 12, 8), 9))
    overdue = {n.assignment_id: n.chat_key for n in alerts.focal}
    assert overdue[world.province.overdue] == "503"
    assert [(r.official_id, r.account.chat_key) for r in reached] == [(lan, "503")]
    assert "official.stand_in" in await world.actions()


async def test_a_stand_in_that_does_not_fit_is_refused(world: World) -> None:
    lan, tuan = world.province.health_focal, world.province.education_focal

    async def stand_in(who: int, by: int, first: date, last: date) -> None:
        async with world.db.transaction() as session:
            await standins.add_stand_in(
                session, who, stand_in_id=by, first_day=first, last_day=last, zone=ZONE, now=NOW
            )

    with pytest.raises(DirectoryError, match="before it starts"):
        await stand_in(lan, tuan, date(2026, 12, 9), date(2026, 12, 7))
    with pytest.raises(DirectoryError, match="themselves"):
        await stand_in(lan, lan, date(2026, 12, 7), date(2026, 12, 9))
    with pytest.raises(DirectoryError, match="ended"):
        await stand_in(lan, tuan, date(2026, 11, 1), date(2026, 11, 2))
    await stand_in(lan, tuan, date(2026, 12, 7), date(2026, 12, 9))
    with pytest.raises(DirectoryError, match="already"):
        await stand_in(lan, tuan, date(2026, 12, 9), date(2026, 12, 12))
    with pytest.raises(DirectoryError, match="away"):
        await stand_in(tuan, lan, date(2026, 12, 1), date(2026, 12, 8))
    # A stand-in who leaves the roster stops standing in: notices come back.
    async with world.db.transaction() as session:
        await roster.deactivate(session, tuan, NOW)
    assert (await world.reminded(at(date(2026, 12, 8), 9)))[world.province.due_soon] == {"501"}
