"""Directives in the service layer: numbering, recipients, acknowledgement, parsing, lists."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.i18n import Translator
from bot.messages import directives as directive_wording
from bot.services.dates.reading import DateProblem
from bot.services.directives import acknowledgement as directive_acknowledgement
from bot.services.directives import issuing as directives
from bot.services.directives.acknowledgement import AckOutcome
from bot.services.directives.issuing import DirectiveRejected
from bot.services.people import accounts, directory
from bot.services.people.identity import Identity
from db.engine import Database
from db.migrate import upgrade
from db.models import AuditLog, Directive, DirectiveReceipt, Official
from tests.province import Province, bind_account, build_province

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 11, 16, 2, tzinfo=UTC)  # Monday 16/11/2026, 09:00 in Hà Nội
TODAY = date(2026, 11, 16)
DRAFT = {"text": "Rà soát dữ liệu dân cư", "target_kind": "all", "target_value": None}


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[tuple[Database, Province]]:
    """A migrated database with the test province, everyone bound to one account."""
    db = Database(database_url)
    await upgrade(db)
    async with db.transaction() as session:
        province = await build_province(session, START)
        for official_id in (
            province.standing,
            province.health_focal,
            province.health_head,
            province.education_focal,
            province.commune_focal,
        ):
            await bind_account(session, official_id, str(900 + official_id), START)
    yield db, province
    await db.dispose()


async def _identity(db: Database, official_id: int) -> Identity:
    async with db.read() as session:
        found = await accounts.identify(session, "telegram", str(900 + official_id))
    assert found is not None
    return found


async def _issue(db: Database, sender: Identity, draft: dict, now: datetime = START):
    async with db.transaction() as session:
        return await directives.issue(session, sender, draft, now=now, zone=ZONE)


async def test_codes_run_per_year_in_the_provinces_zone(
    world: tuple[Database, Province],
) -> None:
    db, province = world
    sender = await _identity(db, province.standing)
    first = await _issue(db, sender, DRAFT)
    second = await _issue(db, sender, DRAFT)
    # 31/12/2026 17:30 UTC is already 1 January 2027 in Hà Nội.
    new_year = await _issue(db, sender, DRAFT, datetime(2026, 12, 31, 17, 30, tzinfo=UTC))
    codes = [i.directive.code for i in (first, second, new_year)]
    assert codes == ["CĐ-2026-001", "CĐ-2026-002", "CĐ-2027-001"]


async def test_two_senders_at_once_get_consecutive_numbers(
    world: tuple[Database, Province],
) -> None:
    db, province = world
    sender = await _identity(db, province.standing)
    async with db.transaction() as session:
        first = await directives.issue(session, sender, DRAFT, now=START, zone=ZONE)
        # The second transaction reads the same maximum, then waits on the unique index
        # (PostgreSQL) or the writer lock (SQLite) until the first commits, and retries.
        racing = asyncio.create_task(_issue(db, sender, DRAFT))
        await asyncio.sleep(0.5)
    second = await racing
    assert (first.directive.code, second.directive.code) == ("CĐ-2026-001", "CĐ-2026-002")


async def test_receipts_go_to_active_heads_and_focal_officers_of_the_target(
    world: tuple[Database, Province],
) -> None:
    db, province = world
    sender = await _identity(db, province.standing)
    async with db.transaction() as session:
        inactive = await session.get(Official, province.education_head)
        assert inactive is not None
        inactive.active = False
    issued = await _issue(db, sender, DRAFT | {"target_kind": "kind", "target_value": "department"})
    assert (issued.recipients, issued.units) == (3, 2)
    # Every recipient with a bound account is addressed once; the inactive head is left out.
    assert sorted(a.official_id for a in issued.addressees) == sorted(
        [province.health_focal, province.health_head, province.education_focal]
    )
    async with db.read() as session:
        receipts = list(await session.scalars(select(DirectiveReceipt.official_id)))
        logged = await session.scalar(
            select(AuditLog.after).where(AuditLog.action == "directive.issued")
        )
    assert province.education_head not in receipts and len(receipts) == 3
    assert logged is not None and logged["code"] == "CĐ-2026-001" and logged["recipients"] == 3


@pytest.mark.parametrize(
    "draft",
    [
        DRAFT | {"text": ""},
        DRAFT | {"text": "x" * 3001},
        DRAFT | {"target_kind": "everyone"},
        DRAFT | {"target_kind": "kind", "target_value": "standing"},
        DRAFT | {"target_kind": "units", "target_value": "1;2"},
        DRAFT | {"deadline": "2026-11-16"},
        DRAFT | {"deadline": "soon"},
    ],
    ids=["empty", "3001", "target", "kind-standing", "units-garbage", "today", "garbage-date"],
)
async def test_a_bad_draft_is_rejected_and_nothing_is_stored(
    world: tuple[Database, Province], draft: dict
) -> None:
    db, province = world
    sender = await _identity(db, province.standing)
    with pytest.raises(DirectiveRejected):
        await _issue(db, sender, draft)
    async with db.read() as session:
        assert await session.scalar(select(Directive.id)) is None


async def test_a_focal_officer_cannot_issue_and_is_audited(
    world: tuple[Database, Province],
) -> None:
    db, province = world
    focal = await _identity(db, province.health_focal)
    async with db.transaction() as session:
        with pytest.raises(DirectiveRejected):
            await directives.issue(session, focal, DRAFT, now=START, zone=ZONE)
    async with db.read() as session:
        assert await session.scalar(select(Directive.id)) is None
        refused = await session.scalar(
            select(AuditLog.id).where(AuditLog.action == "directive.refused")
        )
    assert refused is not None


async def test_acknowledgement_is_recorded_once_and_only_for_recipients(
    world: tuple[Database, Province],
) -> None:
    db, province = world
    sender = await _identity(db, province.standing)
    async with db.read() as session:
        health = await directory.unit_by_code(session, "SYT")
    assert health is not None
    issued = await _issue(
        db, sender, DRAFT | {"target_kind": "units", "target_value": str(health.id)}
    )
    directive_id = issued.directive.id
    lan = await _identity(db, province.health_focal)
    tuan = await _identity(db, province.education_focal)
    async with db.transaction() as session:
        first = await directive_acknowledgement.acknowledge(session, lan, directive_id, START)
    async with db.transaction() as session:
        again = await directive_acknowledgement.acknowledge(
            session, lan, directive_id, START + timedelta(hours=1)
        )
        stranger = await directive_acknowledgement.acknowledge(session, tuan, directive_id, START)
        unknown = await directive_acknowledgement.acknowledge(session, lan, 999, START)
    assert first.outcome is AckOutcome.ACKNOWLEDGED and first.status is not None
    assert (first.status.total, first.status.delivered, first.status.acknowledged) == (2, 1, 1)
    assert again.outcome is AckOutcome.ALREADY and again.acknowledged_at == START
    assert stranger.outcome is AckOutcome.NOT_RECIPIENT
    assert unknown.outcome is AckOutcome.NOT_RECIPIENT
    async with db.read() as session:
        assert await session.scalar(
            select(AuditLog.before).where(AuditLog.action == "directive.acknowledged")
        ) == {"acknowledged_at": None}
        refusals = list(
            await session.scalars(select(AuditLog.id).where(AuditLog.action == "directive.refused"))
        )
        pending = await directive_acknowledgement.not_acknowledged(session, directive_id)
    assert len(refusals) == 2
    assert pending == [("Sở Y tế", "Trần Văn Hùng")]


def test_deadlines_are_read_in_every_date_form_and_must_be_after_today() -> None:
    read = directives.read_deadline
    assert read("20/11/2026", TODAY) == date(2026, 11, 20)
    assert read(" 1/2/2027 ", TODAY) == date(2027, 2, 1)
    assert read("2026-11-17", TODAY) == date(2026, 11, 17)
    # The forms a task deadline takes are a directive's too: no year, dots.
    assert read("15/12", TODAY) == date(2026, 12, 15)
    assert read("20.11.2026", TODAY) == date(2026, 11, 20)
    assert read("16/11/2026", TODAY) is DateProblem.PAST
    assert read("16/11", TODAY) is DateProblem.PAST  # today is not after today
    assert read("2020-01-01", TODAY) is DateProblem.PAST
    assert read("31/02/2027", TODAY) is DateProblem.NO_SUCH_DAY
    for garbage in ("", "mai", "2026/11/20", "12/2026", None):
        assert read(garbage, TODAY) is DateProblem.FORMAT


@given(st.text(max_size=40))
def test_reading_a_deadline_never_raises(text: str) -> None:
    answer = directives.read_deadline(text, TODAY)
    assert isinstance(answer, DateProblem) or answer > TODAY


@given(st.text(max_size=40))
def test_unit_ids_are_digits_or_nothing(value: str) -> None:
    ids = directives.parse_unit_ids(value)
    assert all(isinstance(i, int) and i >= 0 for i in ids)


def test_the_pending_list_is_cut_to_one_message_with_a_count_of_the_rest() -> None:
    t = Translator("en", ZONE)
    pending = [
        (f"UBND xã số {u:03d}", f"Cán bộ đầu mối số {u:03d}-{n}")
        for u in range(150)
        for n in range(3)
    ]
    text = directive_wording.pending_list(t, "CĐ-2026-015", pending, 4096)
    assert len(text) <= 4096
    assert text.startswith("CĐ-2026-015: 450 recipients have not acknowledged yet:")
    shown = text.count("Cán bộ đầu mối")
    assert text.endswith(f"… and {450 - shown} more") and 0 < shown < 450
    short = directive_wording.pending_list(t, "CĐ-2026-015", pending[:4], 4096)
    assert "more" not in short and short.count("\n") == 2  # heading and two units
    assert "every recipient" in directive_wording.pending_list(t, "CĐ-2026-015", [], 4096)
    # A channel with no cap (the console) gets the whole list.
    whole = directive_wording.pending_list(t, "CĐ-2026-015", pending, None)
    assert whole.count("Cán bộ đầu mối") == 450 and "more" not in whole
