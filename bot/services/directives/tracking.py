"""Directive tracking for the every-minute job: delivery, the senders' status messages, reminders.

Receipts record delivery (from the outbox) and the single reminder before the response
deadline; each sender has one live status message with the recipients, delivered and
acknowledged counts. Directives are tracked for `TRACK_DAYS` after they are issued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.dates.calendar import WorkCalendar
from bot.services.directives.views import Addressee, DirectiveView, find
from bot.services.people.reach import reaches
from db.engine import rowcount
from db.models import ChatAccount, Directive, DirectiveReceipt, Official, OutboxMessage, OutboxState

# Delivery and status counts are tracked this long; older directives are settled.
TRACK_DAYS = 30


@dataclass(frozen=True)
class Status:
    """The sender's live status message of one directive, with the counts to show."""

    directive_id: int
    code: str
    locale: str | None
    channel: str | None
    chat_key: str | None
    message_id: int | None
    total: int
    delivered: int
    acknowledged: int

    @property
    def dedupe_key(self) -> str:
        """Identical counts give an identical key, so the same status is never sent twice."""
        return f"directive-status:{self.directive_id}:{self.delivered}:{self.acknowledged}"


@dataclass(frozen=True)
class Reminder:
    """One account of a recipient who has not acknowledged as the deadline nears."""

    receipt_id: int
    directive: DirectiveView
    addressee: Addressee


async def status(session: AsyncSession, directive_id: int) -> Status | None:
    """The counts and the status message of one directive."""
    found = await statuses(session, [directive_id])
    return found[0] if found else None


async def statuses(session: AsyncSession, directive_ids: list[int]) -> list[Status]:
    """Counts (recipients, delivered, acknowledged) and status messages of many directives."""
    if not directive_ids:
        return []
    counts = {
        d: (total, delivered, acked)
        for d, total, delivered, acked in (
            await session.execute(
                select(
                    col(DirectiveReceipt.directive_id),
                    func.count(),
                    func.count(col(DirectiveReceipt.delivered_at)),
                    func.count(col(DirectiveReceipt.acknowledged_at)),
                )
                .where(col(DirectiveReceipt.directive_id).in_(directive_ids))
                .group_by(col(DirectiveReceipt.directive_id))
            )
        ).all()
    }
    rows = await session.execute(
        select(Directive, col(Official.locale))
        .join(Official, col(Official.id) == Directive.sender_id)
        .where(col(Directive.id).in_(directive_ids))
        .order_by(col(Directive.id))
    )
    found = []
    for d, locale in rows.all():
        total, delivered, acked = counts.get(d.id, (0, 0, 0))
        found.append(
            Status(
                d.id or 0,
                d.code,
                locale,
                d.status_channel,
                d.status_chat_key,
                d.status_message_id,
                int(total),
                int(delivered),
                int(acked),
            )
        )
    return found


def _key(*parts: Any) -> Any:
    """A dedupe key built in SQL, e.g. 'directive:' || id || ':' || …, for index lookups."""
    expression: Any = literal(str(parts[0]))
    for part in parts[1:]:
        expression = expression + (literal(part) if isinstance(part, str) else cast(part, String))
    return expression


async def mark_delivered(session: AsyncSession, now: datetime) -> int:
    """Receipts whose outbox message has been sent become delivered, in one statement."""
    R = DirectiveReceipt
    recent = select(col(Directive.id)).where(
        col(Directive.created_at) >= now - timedelta(days=TRACK_DAYS)
    )
    # Exact keys (not LIKE) so that each probe is a lookup in the outbox's unique index.
    sent_at = (
        select(func.min(OutboxMessage.sent_at))
        .select_from(ChatAccount)
        .join(
            OutboxMessage,
            OutboxMessage.dedupe_key
            == _key("directive:", R.directive_id, ":", R.official_id, ":", ChatAccount.id),
        )
        .where(
            col(ChatAccount.official_id) == R.official_id,
            col(OutboxMessage.state) == OutboxState.SENT,
        )
        .scalar_subquery()
    )
    result = await session.execute(
        update(R)
        .where(col(R.delivered_at).is_(None), col(R.directive_id).in_(recent), sent_at.is_not(None))
        .values(delivered_at=sent_at)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) or 0


async def learn_status_messages(session: AsyncSession, now: datetime) -> int:
    """Store the message id of status messages the dispatcher has sent since the last run."""
    first = (
        select(col(OutboxMessage.sent_message_id))
        .where(
            OutboxMessage.dedupe_key == _key("directive-status:", Directive.id, ":0:0"),
            col(OutboxMessage.state) == OutboxState.SENT,
        )
        .scalar_subquery()
    )
    result = await session.execute(
        update(Directive)
        .where(
            col(Directive.status_message_id).is_(None),
            col(Directive.status_chat_key).is_not(None),
            col(Directive.created_at) >= now - timedelta(days=TRACK_DAYS),
            first.is_not(None),
        )
        .values(status_message_id=first)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) or 0


async def tracked_statuses(session: AsyncSession, now: datetime) -> list[Status]:
    """Status of the recent directives whose status message can be edited."""
    ids = await session.scalars(
        select(col(Directive.id)).where(
            col(Directive.created_at) >= now - timedelta(days=TRACK_DAYS),
            col(Directive.status_message_id).is_not(None),
        )
    )
    return await statuses(session, list(ids))


async def due_reminders(
    session: AsyncSession, now: datetime, zone: ZoneInfo, calendar: WorkCalendar
) -> list[Reminder]:
    """Accounts of recipients yet to acknowledge a directive due within one working day."""
    today = now.astimezone(zone).date()
    # Directives issued today are fresh news; they are not chased on the day they arrive.
    start_of_today = datetime.combine(today, time(0), zone)
    rows = await session.execute(
        select(col(Directive.id), col(Directive.response_deadline), col(DirectiveReceipt.id))
        .join(DirectiveReceipt, col(DirectiveReceipt.directive_id) == Directive.id)
        .join(Official, col(Official.id) == DirectiveReceipt.official_id)
        .where(
            col(Directive.response_deadline) >= today,
            col(Directive.response_deadline) <= today + timedelta(days=14),
            col(Directive.created_at) < start_of_today,
            col(DirectiveReceipt.acknowledged_at).is_(None),
            col(DirectiveReceipt.reminded_at).is_(None),
            col(Official.active),
        )
    )
    receipts = {
        receipt_id: directive_id
        for directive_id, deadline, receipt_id in rows.all()
        # The query keeps only directives with a deadline; the None check is for mypy.
        if deadline is not None and calendar.working_days_between(today, deadline) <= 1
    }
    if not receipts:
        return []
    views = {d: await find(session, d) for d in set(receipts.values())}
    people = await session.execute(
        select(col(DirectiveReceipt.id), col(Official.id), col(Official.locale), ChatAccount)
        .join(Official, col(Official.id) == DirectiveReceipt.official_id)
        .join(ChatAccount, reaches(now))
        .where(col(DirectiveReceipt.id).in_(list(receipts)))
        .order_by(col(DirectiveReceipt.id), col(ChatAccount.id))
    )
    found = []
    for receipt_id, official_id, locale, account in people.all():
        view = views.get(receipts[receipt_id])
        if view is not None:
            addressee = Addressee(
                official_id, locale, account.id or 0, account.channel, account.chat_key
            )
            found.append(Reminder(receipt_id, view, addressee))
    return found


async def mark_reminded(session: AsyncSession, reminders: list[Reminder], now: datetime) -> None:
    """Remember that these receipts were reminded, so they are reminded once; audited."""
    ids = sorted({r.receipt_id for r in reminders})
    if not ids:
        return
    await session.execute(
        update(DirectiveReceipt)
        .where(col(DirectiveReceipt.id).in_(ids), col(DirectiveReceipt.reminded_at).is_(None))
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    by_directive: dict[int, set[int]] = {}
    for r in reminders:
        by_directive.setdefault(r.directive.id, set()).add(r.addressee.official_id)
    for directive_id, officials in sorted(by_directive.items()):
        audit.record(
            session,
            now=now,
            action="directive.reminded",
            actor_account="scheduler",
            entity="directive",
            entity_id=directive_id,
            after={"officials": sorted(officials)},
        )


async def unqueued(session: AsyncSession, keys: list[str]) -> set[str]:
    """The dedupe keys among these that are not in the outbox yet."""
    known: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found = await session.scalars(
            select(col(OutboxMessage.dedupe_key)).where(col(OutboxMessage.dedupe_key).in_(chunk))
        )
        known.update(found)
    return set(keys) - known
