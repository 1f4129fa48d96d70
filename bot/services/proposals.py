"""Proposals (đề xuất, kiến nghị) raised in reports, tracked until the standing office answers.

The standing office lists the open ones (oldest first) and answers each; the proposer and
the unit's heads are told the answer, and the answer is audited. Who may do what is
decided here, on the server, for every action.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from bot.services import audit
from bot.services.people.identity import Identity
from bot.services.people.permissions import Action, may
from bot.services.people.reach import notice_accounts
from bot.services.reports.submission import Recipient
from bot.services.text import read_text
from db.engine import rowcount
from db.models import Assignment, Official, Proposal, Role, Task, Unit

MAX_ANSWER = 2000
DEFAULT_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


class ProposalRefused(Exception):
    """The action is not allowed; `reason` is one of the codes below, for the handler to word."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # not_found | answered | not_allowed | bad_answer


@dataclass(frozen=True)
class ProposalView:
    """A proposal as a list shows it."""

    proposal_id: int
    assignment_id: int
    unit_id: int
    unit_name: str
    task_code: str
    task_title: str
    proposer_id: int
    proposer_name: str
    text: str
    opened_on: date
    age_days: int


@dataclass(frozen=True)
class Answered:
    """An answered proposal and the people to tell: the proposer and the unit's heads."""

    proposal: ProposalView
    answer: str
    answerer_name: str
    recipients: list[Recipient]


def may_list(identity: Identity) -> bool:
    """The standing office answers proposals."""
    return may(identity.official, Action.ANSWER_PROPOSALS)


def _query() -> Any:
    proposer = aliased(Official)
    return (
        select(
            Proposal,
            col(Assignment.unit_id),
            col(Unit.name),
            col(Task.code),
            col(Task.title),
            col(proposer.name),
        )
        .join(Assignment, col(Assignment.id) == Proposal.assignment_id)
        .join(Unit, col(Unit.id) == Assignment.unit_id)
        .join(Task, col(Task.id) == Assignment.task_id)
        .join(proposer, col(proposer.id) == Proposal.proposed_by)
    )


def _view(row: Any, today: date, zone: ZoneInfo) -> ProposalView:
    proposal, unit_id, unit_name, code, title, proposer_name = row
    opened_at = proposal.opened_at
    if opened_at.tzinfo is None:  # some drivers hand back naive values from joins
        opened_at = opened_at.replace(tzinfo=UTC)
    opened_on = opened_at.astimezone(zone).date()
    return ProposalView(
        proposal_id=proposal.id or 0,
        assignment_id=proposal.assignment_id,
        unit_id=unit_id,
        unit_name=unit_name,
        task_code=code,
        task_title=title,
        proposer_id=proposal.proposed_by,
        proposer_name=proposer_name,
        text=proposal.text,
        opened_on=opened_on,
        age_days=max(0, (today - opened_on).days),
    )


async def count_open(session: AsyncSession) -> int:
    """How many proposals wait for an answer."""
    total = await session.scalar(
        select(func.count()).select_from(Proposal).where(col(Proposal.answered_at).is_(None))
    )
    return int(total or 0)


async def open_proposals(
    session: AsyncSession,
    today: date,
    zone: ZoneInfo = DEFAULT_ZONE,
    *,
    offset: int = 0,
    limit: int = 5,
) -> tuple[list[ProposalView], int]:
    """One page of the unanswered proposals, oldest first, and how many in all."""
    where = col(Proposal.answered_at).is_(None)
    total = await count_open(session)
    rows = await session.execute(
        _query().where(where).order_by(Proposal.opened_at, Proposal.id).offset(offset).limit(limit)
    )
    return [_view(row, today, zone) for row in rows.all()], int(total or 0)


async def find(
    session: AsyncSession, proposal_id: int, today: date, zone: ZoneInfo = DEFAULT_ZONE
) -> ProposalView | None:
    """One proposal, answered or not."""
    row = (await session.execute(_query().where(Proposal.id == proposal_id))).first()
    return _view(row, today, zone) if row else None


async def check_answerable(session: AsyncSession, identity: Identity, proposal_id: int) -> None:
    """Raise ProposalRefused unless this person may answer the proposal now."""
    if not may_list(identity):
        raise ProposalRefused("not_allowed")
    proposal = await session.get(Proposal, proposal_id)
    if proposal is None:
        raise ProposalRefused("not_found")
    if proposal.answered_at is not None:
        raise ProposalRefused("answered")


async def _to_tell(session: AsyncSession, view: ProposalView, now: datetime) -> list[Recipient]:
    """The proposer and the unit's heads, each on the account notices go to."""
    people = {
        o.id: o
        for o in await session.scalars(
            select(Official).where(
                col(Official.active),
                (col(Official.id) == view.proposer_id)
                | ((col(Official.unit_id) == view.unit_id) & (col(Official.role) == Role.HEAD)),
            )
        )
    }
    found = await notice_accounts(session, [i for i in people if i is not None], now)
    return [
        Recipient(r.account, people[r.official_id].locale, people[r.official_id].name)
        for r in found
    ]


async def answer(
    session: AsyncSession,
    identity: Identity,
    proposal_id: int,
    text: str,
    *,
    now: datetime,
    today: date,
    zone: ZoneInfo = DEFAULT_ZONE,
    actor_account: str = "",
) -> Answered:
    """Answer an open proposal; the proposer and the unit's heads are told."""
    cleaned = read_text(text, MAX_ANSWER).value
    if cleaned is None:
        raise ProposalRefused("bad_answer")
    await check_answerable(session, identity, proposal_id)
    # The conditional update is the one point where a proposal is answered: two officers
    # answering at once cannot both succeed.
    result = await session.execute(
        update(Proposal)
        .where(col(Proposal.id) == proposal_id, col(Proposal.answered_at).is_(None))
        .values(answered_at=now, answered_by=identity.official.id, answer=cleaned)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        raise ProposalRefused("answered")
    audit.record(
        session,
        now=now,
        action="proposal.answered",
        actor_official_id=identity.official.id,
        actor_account=actor_account,
        entity="proposal",
        entity_id=proposal_id,
        before={"answered_at": None},
        after={
            "answered_at": now.isoformat(),
            "answered_by": identity.official.id,
            "answer": cleaned,
        },
    )
    view = await find(session, proposal_id, today, zone)
    assert view is not None
    return Answered(view, cleaned, identity.official.name, await _to_tell(session, view, now))
