"""Proposals at the service level: opened by a report, answered once, by the standing office."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.services import proposals
from bot.services.people import accounts
from bot.services.people.identity import Identity
from bot.services.proposals import ProposalRefused
from bot.services.reports import submission as reports
from db.engine import Database
from db.migrate import upgrade
from db.models import AuditLog, Blocker, Proposal
from tests.province import Province, bind_account, build_province

NOW = datetime(2026, 11, 16, 2, tzinfo=UTC)  # Monday 16/11/2026, 09:00 in Hà Nội
TODAY = date(2026, 11, 16)
PROPOSAL = "Đề nghị Sở Tài chính bố trí kinh phí"


@dataclass
class World:
    db: Database
    province: Province

    async def who(self, user_key: str) -> Identity:
        async with self.db.read() as session:
            identity = await accounts.identify(session, "telegram", user_key)
        assert identity is not None
        return identity

    async def report(self, difficulty: str | None, proposal: str | None) -> None:
        identity = await self.who("501")
        draft = {
            "status": "in_progress",
            "progress": 50,
            "done_text": "Đang triển khai",
            "difficulty": difficulty,
            "proposal": proposal,
        }
        async with self.db.transaction() as session:
            await reports.submit(
                session,
                identity,
                self.province.overdue,
                draft,
                channel="telegram",
                now=NOW,
                today=TODAY,
            )

    async def count(self, model: type) -> int:
        async with self.db.read() as session:
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    db = Database(database_url)
    await upgrade(db)
    async with db.transaction() as session:
        province = await build_province(session, NOW)
        for official, key in [
            (province.health_focal, "501"),
            (province.health_head, "502"),
            (province.standing, "509"),
            (province.education_focal, "503"),
        ]:
            await bind_account(session, official, key, NOW)
    yield World(db, province)
    await db.dispose()


@pytest.mark.parametrize("answer", ["Không", "chưa có", "Bỏ qua", "ko", "0", "none"])
async def test_a_draft_that_says_none_opens_neither_blocker_nor_proposal(
    world: World, answer: str
) -> None:
    await world.report(answer, answer)  # the service's own backstop, whatever the flow did
    assert await world.count(Blocker) == 0 and await world.count(Proposal) == 0


async def test_a_proposal_is_opened_listed_and_answered_once(world: World) -> None:
    await world.report(None, PROPOSAL)
    viet = await world.who("509")
    async with world.db.read() as session:
        page, total = await proposals.open_proposals(session, TODAY + timedelta(days=2))
    assert total == 1
    [view] = page
    assert (view.text, view.task_code, view.unit_name) == (PROPOSAL, "NV-01", "Sở Y tế")
    assert view.proposer_name == "Nguyễn Thị Lan" and view.age_days == 2

    async def answer(text: str) -> str:
        try:
            async with world.db.transaction() as session:
                done = await proposals.answer(
                    session, viet, view.proposal_id, text, now=NOW, today=TODAY
                )
            return ",".join(sorted(r.account.chat_key for r in done.recipients))
        except ProposalRefused as refused:
            return refused.reason

    outcomes = await asyncio.gather(answer("Sẽ bố trí"), answer("Đã bố trí"))
    # Of two officers at once, one answers (the proposer and the head are told).
    assert sorted(outcomes) == ["501,502", "answered"]
    async with world.db.read() as session:
        stored = await session.get(Proposal, view.proposal_id)
        assert stored is not None and stored.answered_by == world.province.standing
        entries = list(
            await session.scalars(select(AuditLog).where(AuditLog.action == "proposal.answered"))
        )
        _, left = await proposals.open_proposals(session, TODAY)
    assert len(entries) == 1 and entries[0].after is not None
    assert entries[0].after["answer"] == stored.answer and left == 0


@pytest.mark.parametrize("key", ["501", "502", "503"])
async def test_only_the_standing_office_answers(world: World, key: str) -> None:
    await world.report(None, PROPOSAL)
    person = await world.who(key)
    async with world.db.transaction() as session:
        with pytest.raises(ProposalRefused) as refused:
            await proposals.answer(session, person, 1, "Được", now=NOW, today=TODAY)
    assert refused.value.reason == "not_allowed"


@pytest.mark.parametrize("text", ["", "   ", "👍", "x" * 2001])
async def test_an_answer_needs_words_within_the_limit(world: World, text: str) -> None:
    await world.report(None, PROPOSAL)
    viet = await world.who("509")
    async with world.db.transaction() as session:
        with pytest.raises(ProposalRefused) as refused:
            await proposals.answer(session, viet, 1, text, now=NOW, today=TODAY)
    assert refused.value.reason == "bad_answer"
