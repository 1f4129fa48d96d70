"""Invitations: one code binds one chat account once; guessing, expiry and races are refused."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.config import Settings
from bot.services.people import accounts, directory
from bot.services.people.accounts import Redemption
from db.engine import Database
from db.migrate import upgrade
from db.models import AuditLog, ChatAccount, Invitation, InvitationFailure, Official
from tests.conftest import test_settings as settings_for
from tests.harness import FakeClock


class Office:
    """The operator who issues codes and the people who type them into the bot."""

    def __init__(self, db: Database, settings: Settings, clock: FakeClock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.lan = 0
        self.hung = 0

    async def add_people(self) -> None:
        async with self.db.transaction() as session:
            now = self.clock()
            await directory.add_unit(
                session, code="SYT", name="Sở Y tế", kind="department", parent_code=None, now=now
            )
            lan = await directory.add_official(
                session, name="Nguyễn Thị Lan", role="focal", unit_code="SYT", title="", now=now
            )
            hung = await directory.add_official(
                session, name="Trần Văn Hùng", role="head", unit_code="SYT", title="", now=now
            )
        self.lan, self.hung = lan.id or 0, hung.id or 0

    async def invite(self, official_id: int) -> str:
        async with self.db.transaction() as session:
            return await accounts.issue_invitation(
                session,
                official_id,
                self.clock(),
                timedelta(hours=self.settings.invite_ttl_hours),
            )

    async def redeem(
        self, user_key: str, code: str, db: Database | None = None
    ) -> tuple[Redemption, accounts.Identity | None]:
        async with (db or self.db).transaction() as session:
            return await accounts.redeem_invitation(
                session,
                channel="telegram",
                user_key=user_key,
                chat_key=user_key,
                code=code,
                now=self.clock(),
                max_failures=self.settings.invite_max_failures,
                lockout=timedelta(minutes=self.settings.invite_lockout_minutes),
            )

    async def count(self, model: type, *where: object) -> int:
        async with self.db.transaction() as session:
            statement = select(func.count()).select_from(model)
            for condition in where:
                statement = statement.where(condition)  # type: ignore[arg-type]
            return int(await session.scalar(statement) or 0)

    async def audit_actions(self) -> list[tuple[str, str]]:
        async with self.db.transaction() as session:
            rows = await session.execute(
                select(AuditLog.action, AuditLog.actor_account)
                .where(AuditLog.action.like("invite.%"))
                .order_by(AuditLog.id)
            )
            return [(action, actor) for action, actor in rows.all()]


@pytest.fixture
async def office(database_url: str, clock: FakeClock) -> AsyncIterator[Office]:
    db = Database(database_url)
    await upgrade(db)
    office = Office(db, settings_for(database_url), clock)
    await office.add_people()
    yield office
    await db.dispose()


async def test_an_invitation_binds_the_account_to_the_official(office: Office) -> None:
    code = await office.invite(office.lan)

    outcome, identity = await office.redeem("1001", code)

    assert outcome is Redemption.BOUND
    assert identity is not None
    assert identity.official.name == "Nguyễn Thị Lan"
    assert identity.unit.code == "SYT"
    async with office.db.transaction() as session:
        found = await accounts.identify(session, "telegram", "1001")
        invitation = await session.scalar(select(Invitation))
    assert found is not None and found.official.id == office.lan
    assert invitation is not None
    assert invitation.used_at == office.clock()
    assert invitation.used_by_account_id == found.account.id
    assert await office.audit_actions() == [("invite.redeemed", "telegram:1001")]


async def test_a_code_cannot_be_used_by_a_second_account(office: Office) -> None:
    code = await office.invite(office.lan)
    assert (await office.redeem("1001", code))[0] is Redemption.BOUND

    outcome, identity = await office.redeem("2002", code)

    assert outcome is Redemption.INVALID
    assert identity is None
    assert await office.count(ChatAccount) == 1
    assert ("invite.refused", "telegram:2002") in await office.audit_actions()


async def test_an_expired_code_is_refused(office: Office) -> None:
    code = await office.invite(office.lan)
    assert office.settings.invite_ttl_hours == 72

    office.clock.advance(hours=73)
    outcome, identity = await office.redeem("1001", code)

    assert outcome is Redemption.INVALID
    assert identity is None
    assert await office.count(ChatAccount) == 0
    assert await office.audit_actions() == [("invite.refused", "telegram:1001")]


async def test_a_code_still_works_just_before_it_expires(office: Office) -> None:
    code = await office.invite(office.lan)

    office.clock.advance(hours=71, minutes=59)

    assert (await office.redeem("1001", code))[0] is Redemption.BOUND


async def test_five_wrong_codes_lock_the_account_out_for_fifteen_minutes(office: Office) -> None:
    code = await office.invite(office.lan)
    for guess in range(5):
        outcome, _ = await office.redeem("6666", f"guess-{guess}-aaaaaaaaaaaaaaaa")
        assert outcome is Redemption.INVALID
        office.clock.advance(seconds=10)

    outcome, identity = await office.redeem("6666", code)

    assert outcome is Redemption.LOCKED_OUT
    assert identity is None
    assert await office.count(ChatAccount) == 0
    assert await office.count(Invitation, Invitation.used_at.is_(None)) == 1
    office.clock.advance(minutes=14)
    assert (await office.redeem("6666", code))[0] is Redemption.LOCKED_OUT

    office.clock.advance(minutes=1)
    outcome, identity = await office.redeem("6666", code)

    assert outcome is Redemption.BOUND
    assert identity is not None and identity.official.id == office.lan
    actions = [action for action, _ in await office.audit_actions()]
    assert actions == ["invite.refused"] * 5 + ["invite.locked_out"] * 2 + ["invite.redeemed"]


async def test_the_lockout_is_per_account(office: Office) -> None:
    for guess in range(5):
        await office.redeem("6666", f"guess-{guess}")
    code = await office.invite(office.lan)

    assert (await office.redeem("1001", code))[0] is Redemption.BOUND
    assert await office.count(InvitationFailure, InvitationFailure.user_key == "6666") == 5


async def test_codes_carry_at_least_128_bits_and_differ(office: Office) -> None:
    first = await office.invite(office.lan)
    second = await office.invite(office.lan)

    assert len(first) >= 22 and len(second) >= 22
    assert set(first + second) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    assert first != second
    async with office.db.transaction() as session:
        hashes = set(await session.scalars(select(Invitation.code_hash)))
    assert hashes == {accounts.hash_code(first), accounts.hash_code(second)}
    assert first not in hashes and second not in hashes


async def test_an_account_already_bound_binds_nothing_new(office: Office) -> None:
    assert (await office.redeem("1001", await office.invite(office.lan)))[0] is Redemption.BOUND
    code_for_hung = await office.invite(office.hung)

    outcome, identity = await office.redeem("1001", code_for_hung)

    assert outcome is Redemption.ALREADY_BOUND
    assert identity is not None and identity.official.id == office.lan
    assert await office.count(ChatAccount) == 1
    assert await office.count(Invitation, Invitation.used_at.is_(None)) == 1
    # Hùng's code is still good for Hùng.
    outcome, identity = await office.redeem("3003", code_for_hung)
    assert outcome is Redemption.BOUND
    assert identity is not None and identity.official.id == office.hung


async def test_two_people_racing_with_one_code_bind_exactly_once(office: Office) -> None:
    code = await office.invite(office.lan)

    outcomes = await asyncio.gather(office.redeem("1001", code), office.redeem("2002", code))

    assert sorted(outcome for outcome, _ in outcomes) == [Redemption.BOUND, Redemption.INVALID]
    assert await office.count(ChatAccount) == 1
    assert await office.count(InvitationFailure) == 1


async def test_two_processes_racing_with_one_code_bind_exactly_once(
    office: Office, database_url: str
) -> None:
    code = await office.invite(office.lan)
    other_process = Database(database_url)
    try:
        outcomes = await asyncio.gather(
            office.redeem("1001", code), office.redeem("2002", code, db=other_process)
        )
    finally:
        await other_process.dispose()

    assert sorted(outcome for outcome, _ in outcomes) == [Redemption.BOUND, Redemption.INVALID]
    assert await office.count(ChatAccount) == 1


async def test_an_account_of_a_deactivated_official_can_redeem_a_new_code(office: Office) -> None:
    assert (await office.redeem("1001", await office.invite(office.lan)))[0] is Redemption.BOUND
    async with office.db.transaction() as session:
        lan_leaves = update(Official).where(Official.id == office.lan).values(active=False)
        await session.execute(lan_leaves)
    code_for_hung = await office.invite(office.hung)

    outcome, identity = await office.redeem("1001", code_for_hung)

    assert outcome is Redemption.BOUND
    assert identity is not None and identity.official.id == office.hung
    assert await office.count(ChatAccount) == 1
