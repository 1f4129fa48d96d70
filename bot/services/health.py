"""What an operator needs to know at a glance, and whether something is wrong.

`roviec health` prints it and exits non-zero on a problem; the web server answers the
same on /healthz. Every figure is read in one read-only snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import instances
from db.models import ChatAccount, InboxUpdate, OutboxMessage, OutboxState

STALE = timedelta(minutes=5)  # an update or a due message waiting longer is a problem
DEAD_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Health:
    """The figures and the problems found among them."""

    schema: str | None
    schema_head: str | None
    last_update: dict[str, datetime]
    inbox_backlog: int
    oldest_update_waiting: timedelta | None
    outbox_backlog: int
    oldest_message_due: timedelta | None
    dead_recently: int
    unreachable_accounts: int
    instances: list[instances.Instance]
    next_firings: dict[str, datetime] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether nothing is wrong."""
        return not self.problems

    def to_json(self) -> dict[str, object]:
        """A JSON-safe form for /healthz."""
        return {
            "ok": self.ok,
            "problems": self.problems,
            "schema": self.schema,
            "schema_head": self.schema_head,
            "last_update": {k: v.isoformat() for k, v in self.last_update.items()},
            "inbox_backlog": self.inbox_backlog,
            "outbox_backlog": self.outbox_backlog,
            "dead_last_24h": self.dead_recently,
            "unreachable_accounts": self.unreachable_accounts,
            "instances": [i.name for i in self.instances],
            "next_firings": {k: v.isoformat() for k, v in self.next_firings.items()},
        }


async def check(
    session: AsyncSession,
    now: datetime,
    *,
    schema: str | None,
    schema_head: str | None,
    next_firings: dict[str, datetime],
) -> Health:
    """The deployment's health as of `now`, with what is wrong spelled out."""
    last = dict(
        (
            await session.execute(
                select(col(InboxUpdate.channel), func.max(InboxUpdate.received_at)).group_by(
                    col(InboxUpdate.channel)
                )
            )
        ).all()
    )
    waiting, oldest_update = (
        await session.execute(
            select(func.count(), func.min(InboxUpdate.received_at)).where(
                col(InboxUpdate.processed_at).is_(None)
            )
        )
    ).one()
    open_states = [OutboxState.PENDING, OutboxState.SENDING]
    due, oldest_due = (
        await session.execute(
            select(func.count(), func.min(OutboxMessage.not_before)).where(
                col(OutboxMessage.state).in_(open_states), col(OutboxMessage.not_before) <= now
            )
        )
    ).one()
    dead = await session.scalar(
        select(func.count()).where(
            col(OutboxMessage.state) == OutboxState.DEAD,
            col(OutboxMessage.created_at) >= now - DEAD_WINDOW,
        )
    )
    unreachable = await session.scalar(
        select(func.count()).where(col(ChatAccount.unreachable_at).is_not(None))
    )
    running = await instances.alive(session, now)
    health = Health(
        schema=schema,
        schema_head=schema_head,
        last_update={channel: _aware(at) for channel, at in last.items()},
        inbox_backlog=int(waiting),
        oldest_update_waiting=now - _aware(oldest_update) if oldest_update else None,
        outbox_backlog=int(due),
        oldest_message_due=now - _aware(oldest_due) if oldest_due else None,
        dead_recently=int(dead or 0),
        unreachable_accounts=int(unreachable or 0),
        instances=running,
        next_firings=next_firings,
    )
    health.problems.extend(_problems(health))
    return health


def _problems(health: Health) -> list[str]:
    """What an operator must act on."""
    found = []
    if health.schema != health.schema_head:
        found.append(f"database schema {health.schema} is not the newest ({health.schema_head})")
    if not health.instances:
        found.append("no roviec instance is running")
    if health.oldest_update_waiting is not None and health.oldest_update_waiting > STALE:
        found.append(f"{health.inbox_backlog} update(s) waiting, the oldest for more than 5 min")
    if health.oldest_message_due is not None and health.oldest_message_due > STALE:
        found.append(f"{health.outbox_backlog} message(s) due, the oldest for more than 5 min")
    if health.dead_recently:
        found.append(f"{health.dead_recently} message(s) could not be delivered in 24 h")
    return found


def _aware(moment: datetime) -> datetime:
    """Aggregates come back without the column type: attach UTC if they are naive."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
