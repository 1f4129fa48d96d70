"""Working blockers (khó khăn, vướng mắc): list the open ones, resolve, forward to a leader.

The standing office works every open blocker; a leader may resolve the ones forwarded to
them. Who may do what is decided here, on the server, for every action.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from bot.services import audit
from bot.services.people.identity import Identity
from bot.services.people.permissions import Action, Scope, may, scope_of
from bot.services.people.reach import notice_accounts
from bot.services.reports.review import standing_recipients
from bot.services.reports.submission import Recipient
from bot.services.text import read_text
from db.engine import rowcount
from db.models import Assignment, Blocker, Official, Role, Task, Unit

MAX_NOTE = 2000
DEFAULT_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


class BlockerRefused(Exception):
    """The action is not allowed; `reason` is one of the codes below, for the handler to word."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # not_found | resolved | not_allowed | not_leader | bad_note


@dataclass(frozen=True)
class BlockerView:
    """An open (or just resolved) blocker as a list shows it."""

    blocker_id: int
    assignment_id: int
    unit_id: int
    unit_name: str
    task_code: str
    task_title: str
    text: str
    opened_at: datetime
    opened_on: date
    age_days: int
    forwarded_to: int | None = None
    forwarded_to_name: str | None = None
    forwarded_at: datetime | None = None


@dataclass(frozen=True)
class Leader:
    """A leader a blocker can be forwarded to."""

    official_id: int
    name: str
    title: str


@dataclass(frozen=True)
class Resolved:
    """A resolved blocker and the people to tell: the unit's, and the standing office when a
    leader gave the direction on a blocker forwarded to them."""

    blocker: BlockerView
    note: str
    resolver_name: str
    recipients: list[Recipient]
    standing: list[Recipient] = field(default_factory=list)


@dataclass(frozen=True)
class Forwarded:
    """A forwarded blocker and the leader's accounts to tell."""

    blocker: BlockerView
    leader: Leader
    sender_name: str
    recipients: list[Recipient]


def may_list(identity: Identity) -> bool:
    """Standing officers see every open blocker; leaders see the ones forwarded to them."""
    return may(identity.official, Action.WORK_BLOCKERS)


def _aware(instant: datetime) -> datetime:
    # Some drivers hand back naive values from joined queries; stored times are UTC.
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)


def _query() -> Any:
    forwarded = aliased(Official)
    return (
        select(
            Blocker,
            col(Assignment.unit_id),
            col(Unit.name),
            col(Task.code),
            col(Task.title),
            col(forwarded.name),
        )
        .join(Assignment, col(Assignment.id) == Blocker.assignment_id)
        .join(Unit, col(Unit.id) == Assignment.unit_id)
        .join(Task, col(Task.id) == Assignment.task_id)
        .outerjoin(forwarded, col(forwarded.id) == Blocker.forwarded_to)
    )


def _view(row: Any, today: date, zone: ZoneInfo) -> BlockerView:
    blocker, unit_id, unit_name, code, title, forwarded_name = row
    opened_at = _aware(blocker.opened_at)
    opened_on = opened_at.astimezone(zone).date()
    return BlockerView(
        blocker_id=blocker.id or 0,
        assignment_id=blocker.assignment_id,
        unit_id=unit_id,
        unit_name=unit_name,
        task_code=code,
        task_title=title,
        text=blocker.text,
        opened_at=opened_at,
        opened_on=opened_on,
        age_days=max(0, (today - opened_on).days),
        forwarded_to=blocker.forwarded_to,
        forwarded_to_name=forwarded_name,
        forwarded_at=_aware(blocker.forwarded_at) if blocker.forwarded_at else None,
    )


def _scope(identity: Identity) -> list[Any]:
    """Which open blockers this person works: all for standing, forwarded ones for a leader."""
    where: list[ColumnElement[bool]] = [col(Blocker.resolved_at).is_(None)]
    if scope_of(identity.official.role, Action.WORK_BLOCKERS) is not Scope.PROVINCE:
        where.append(col(Blocker.forwarded_to) == identity.official.id)
    return where


async def open_blockers(
    session: AsyncSession,
    identity: Identity,
    today: date,
    zone: ZoneInfo = DEFAULT_ZONE,
    *,
    offset: int = 0,
    limit: int = 5,
) -> tuple[list[BlockerView], int]:
    """One page of the open blockers this person works, oldest first, and how many in all."""
    where = _scope(identity)
    total = await session.scalar(select(func.count()).select_from(Blocker).where(*where))
    rows = await session.execute(
        _query().where(*where).order_by(Blocker.opened_at, Blocker.id).offset(offset).limit(limit)
    )
    return [_view(row, today, zone) for row in rows.all()], int(total or 0)


def _stale(today: date, days: int, zone: ZoneInfo) -> list[ColumnElement[bool]]:
    """Open and opened on or before today − days (local)."""
    # Opened on or before that day ⇔ opened before local midnight of the day after it.
    cutoff = datetime.combine(today - timedelta(days=days - 1), time(0), zone).astimezone(UTC)
    return [col(Blocker.resolved_at).is_(None), col(Blocker.opened_at) < cutoff]


async def stale_blockers(
    session: AsyncSession,
    today: date,
    days: int,
    zone: ZoneInfo = DEFAULT_ZONE,
    limit: int | None = None,
) -> list[BlockerView]:
    """Open blockers at least `days` old (opened on or before today − days, local), oldest first
    (the first `limit` of them if given).

    Forwarded blockers are included (they are still open); `forwarded_to_name` says to whom.
    """
    rows = await session.execute(
        _query()
        .where(*_stale(today, days, zone))
        .order_by(Blocker.opened_at, Blocker.id)
        .limit(limit)
    )
    return [_view(row, today, zone) for row in rows.all()]


async def count_stale_blockers(
    session: AsyncSession, today: date, days: int, zone: ZoneInfo = DEFAULT_ZONE
) -> int:
    """How many open blockers are at least `days` old (as `stale_blockers` lists them)."""
    total = await session.scalar(
        select(func.count()).select_from(Blocker).where(*_stale(today, days, zone))
    )
    return int(total or 0)


async def find(
    session: AsyncSession, blocker_id: int, today: date, zone: ZoneInfo = DEFAULT_ZONE
) -> BlockerView | None:
    """One blocker, open or not."""
    row = (await session.execute(_query().where(Blocker.id == blocker_id))).first()
    return _view(row, today, zone) if row else None


async def leaders(session: AsyncSession) -> list[Leader]:
    """Active provincial leaders, in a stable order."""
    rows = await session.scalars(
        select(Official)
        .where(col(Official.role) == Role.LEADER, col(Official.active))
        .order_by(col(Official.id))
    )
    return [Leader(o.id or 0, o.name, o.title) for o in rows]


async def _workable(session: AsyncSession, identity: Identity, blocker_id: int) -> Blocker:
    """The open blocker if this person may work it, else BlockerRefused."""
    if not may_list(identity):
        raise BlockerRefused("not_allowed")
    blocker = await session.get(Blocker, blocker_id)
    if blocker is None:
        raise BlockerRefused("not_found")
    if blocker.resolved_at is not None:
        raise BlockerRefused("resolved")
    scope = scope_of(identity.official.role, Action.WORK_BLOCKERS)
    if scope is Scope.FORWARDED and blocker.forwarded_to != identity.official.id:
        raise BlockerRefused("not_allowed")
    return blocker


async def check_resolvable(session: AsyncSession, identity: Identity, blocker_id: int) -> None:
    """Raise BlockerRefused unless this person may resolve the blocker now."""
    await _workable(session, identity, blocker_id)


async def check_forwardable(session: AsyncSession, identity: Identity, blocker_id: int) -> None:
    """Raise BlockerRefused unless this person (standing only) may forward the blocker now."""
    if not may(identity.official, Action.FORWARD_BLOCKERS):
        raise BlockerRefused("not_allowed")
    await _workable(session, identity, blocker_id)


async def _unit_people(session: AsyncSession, unit_id: int, now: datetime) -> list[Recipient]:
    """The unit's focal officers and heads, on every reachable account."""
    people = {
        o.id: o
        for o in await session.scalars(
            select(Official).where(
                col(Official.unit_id) == unit_id,
                col(Official.role).in_([Role.FOCAL, Role.HEAD]),
                col(Official.active),
            )
        )
    }
    found = await notice_accounts(session, [i for i in people if i is not None], now)
    return [Recipient(a, people[o].locale, people[o].name) for o, a in found]


async def resolve(
    session: AsyncSession,
    identity: Identity,
    blocker_id: int,
    note: str,
    *,
    now: datetime,
    today: date,
    zone: ZoneInfo = DEFAULT_ZONE,
    actor_account: str = "",
) -> Resolved:
    """Close an open blocker with a note; the unit's focal officers and heads are told."""
    cleaned = read_text(note, MAX_NOTE).value
    if cleaned is None:
        raise BlockerRefused("bad_note")
    blocker = await _workable(session, identity, blocker_id)
    before = {"resolved_at": None, "forwarded_to": blocker.forwarded_to}
    # The conditional update is the one point where a blocker is closed: two officers
    # resolving it at once cannot both succeed.
    result = await session.execute(
        update(Blocker)
        .where(col(Blocker.id) == blocker_id, col(Blocker.resolved_at).is_(None))
        .values(resolved_at=now, resolved_by=identity.official.id, resolution=cleaned)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        raise BlockerRefused("resolved")
    await session.refresh(blocker)
    audit.record(
        session,
        now=now,
        action="blocker.resolved",
        actor_official_id=identity.official.id,
        actor_account=actor_account,
        entity="blocker",
        entity_id=blocker_id,
        before=before,
        after={
            "resolved_at": now.isoformat(),
            "resolved_by": identity.official.id,
            "resolution": cleaned,
        },
    )
    view = await find(session, blocker_id, today, zone)
    assert view is not None
    # A decision on a blocker forwarded to the resolver (a leader) goes back to the office
    # that forwarded it.
    by_leader = scope_of(identity.official.role, Action.WORK_BLOCKERS) is Scope.FORWARDED
    return Resolved(
        view,
        cleaned,
        identity.official.name,
        await _unit_people(session, view.unit_id, now),
        await standing_recipients(session, now) if by_leader else [],
    )


async def forward(
    session: AsyncSession,
    identity: Identity,
    blocker_id: int,
    leader_id: int,
    *,
    now: datetime,
    today: date,
    zone: ZoneInfo = DEFAULT_ZONE,
    actor_account: str = "",
) -> Forwarded:
    """Forward an open blocker to one leader; it stays open and the leader is told."""
    if not may(identity.official, Action.FORWARD_BLOCKERS):
        raise BlockerRefused("not_allowed")
    blocker = await _workable(session, identity, blocker_id)
    leader = next((x for x in await leaders(session) if x.official_id == leader_id), None)
    if leader is None:
        raise BlockerRefused("not_leader")
    before = {
        "forwarded_to": blocker.forwarded_to,
        "forwarded_at": blocker.forwarded_at.isoformat() if blocker.forwarded_at else None,
    }
    blocker.forwarded_to, blocker.forwarded_at = leader_id, now
    await session.flush()
    audit.record(
        session,
        now=now,
        action="blocker.forwarded",
        actor_official_id=identity.official.id,
        actor_account=actor_account,
        entity="blocker",
        entity_id=blocker_id,
        before=before,
        after={"forwarded_to": leader_id, "forwarded_at": now.isoformat()},
    )
    view = await find(session, blocker_id, today, zone)
    assert view is not None
    accounts = await notice_accounts(session, [leader_id], now)
    leader_locale = await session.scalar(
        select(col(Official.locale)).where(col(Official.id) == leader_id)
    )
    recipients = [Recipient(a, leader_locale, leader.name) for _, a in accounts]
    return Forwarded(view, leader, identity.official.name, recipients)
