"""Directives (chỉ đạo): who may issue one, to which units, and storing it with its receipts.

A directive gets a stable code `CĐ-<year>-<NNN>` numbered per year, one receipt per
recipient official (heads and focal officers of the target units) and one outbox message
per reachable account of each recipient (the caller queues them). Acknowledging is in
`bot.services.directives.acknowledgement`, delivery tracking and the reminder in
`bot.services.directives.tracking`, and the wording shared by the conversation and the job
in `bot.messages.directives`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.dates.reading import DateProblem, read_date
from bot.services.directives.views import Addressee, DirectiveView
from bot.services.files import keeping
from bot.services.people.directory import DEPARTMENTS_FIRST, WORKING_KINDS, UnitOption
from bot.services.people.identity import Identity
from bot.services.people.permissions import Action, may, roles_that_may
from bot.services.people.reach import notice_accounts
from bot.services.text import read_text
from db.models import Directive, DirectiveReceipt, Official, Unit

MAX_TEXT = 3000
RECIPIENT_ROLES = roles_that_may(Action.RECEIVE_DIRECTIVES)
TARGETS = ("all", "kind", "units")
NUMBER_ATTEMPTS = 5


class DirectiveRejected(Exception):
    """A draft or request that cannot become a directive (the conversation validates first)."""


@dataclass(frozen=True)
class Audience:
    """Who a target reaches: the units and how many officials in them."""

    units: list[UnitOption]
    officials: int


@dataclass(frozen=True)
class Issued:
    """A stored directive, its recipients' accounts and how many officials it reaches."""

    directive: DirectiveView
    addressees: list[Addressee]
    recipients: int
    units: int


def may_issue(official: Official) -> bool:
    """Only the standing office and provincial leaders send directives."""
    return may(official, Action.ISSUE_DIRECTIVES)


def refuse(session: AsyncSession, identity: Identity, now: datetime, detail: str) -> None:
    """Write a refused attempt (wrong role, not a recipient) to the audit log."""
    audit.refusal(
        session, identity, now=now, action="directive.refused", entity="directive", detail=detail
    )


def read_deadline(text: str | None, today: date) -> date | DateProblem:
    """A response deadline after today, in any of the accepted date forms."""
    read = read_date(text, today)
    if isinstance(read, DateProblem):
        return read
    return DateProblem.PAST if read <= today else read


def _unit_filter(target_kind: str, target_value: str | None) -> Any:
    kinds = [k.value for k in WORKING_KINDS]
    if target_kind == "all":
        return col(Unit.kind).in_(kinds)
    if target_kind == "kind" and target_value in kinds:
        return Unit.kind == target_value
    if target_kind == "units":
        ids = parse_unit_ids(target_value)
        if ids:
            return col(Unit.id).in_(ids) & col(Unit.kind).in_(kinds)
    raise DirectiveRejected("target")


def parse_unit_ids(value: str | None) -> list[int]:
    """Unit ids stored as "3,5,8"; empty for anything malformed."""
    parts = (value or "").split(",")
    if not all(part.isascii() and part.isdigit() and len(part) <= 9 for part in parts):
        return []
    return sorted({int(part) for part in parts})


async def audience(session: AsyncSession, target_kind: str, target_value: str | None) -> Audience:
    """The units a target names and how many active heads and focal officers they have."""
    where = _unit_filter(target_kind, target_value)
    rows = await session.execute(
        select(col(Unit.id), col(Unit.name), col(Unit.kind))
        .where(where)
        .order_by(DEPARTMENTS_FIRST, Unit.name)
    )
    units = [UnitOption(i, n, k) for i, n, k in rows.all()]
    officials = await session.scalar(
        select(func.count())
        .select_from(Official)
        .join(Unit, col(Unit.id) == Official.unit_id)
        .where(
            where, col(Official.active), col(Official.role).in_([r.value for r in RECIPIENT_ROLES])
        )
    )
    return Audience(units, int(officials or 0))


def _check(draft: dict[str, Any], today: date) -> tuple[str, str | None, date | None]:
    """The backstop behind the conversation: text, target and deadline of a draft."""
    if read_text(draft.get("text"), MAX_TEXT).problem is not None:
        raise DirectiveRejected("text")
    target_kind, target_value = draft.get("target_kind"), draft.get("target_value")
    if target_kind not in TARGETS or not (target_value is None or isinstance(target_value, str)):
        raise DirectiveRejected("target")
    deadline = None
    if draft.get("deadline") is not None:
        try:
            deadline = date.fromisoformat(str(draft["deadline"]))
        except ValueError as error:
            raise DirectiveRejected("deadline") from error
        if deadline <= today:
            raise DirectiveRejected("deadline")
    return target_kind, target_value, deadline


async def _numbered(session: AsyncSession, year: int, fields: dict[str, Any]) -> Directive:
    """Insert the directive with the next number of its year; retry if another took it."""
    for _ in range(NUMBER_ATTEMPTS):
        last = await session.scalar(
            select(func.max(Directive.number)).where(col(Directive.year) == year)
        )
        number = (last or 0) + 1
        directive = Directive(year=year, number=number, code=f"CĐ-{year}-{number:03d}", **fields)
        try:
            # A savepoint keeps the surrounding transaction usable after a lost race.
            async with session.begin_nested():
                session.add(directive)
                await session.flush()
        except IntegrityError:
            continue
        return directive
    raise DirectiveRejected("number")


async def issue(
    session: AsyncSession,
    identity: Identity,
    draft: dict[str, Any],
    *,
    now: datetime,
    zone: ZoneInfo,
) -> Issued:
    """Store a directive with its receipts; the caller queues the messages to the addressees."""
    if not may_issue(identity.official):
        refuse(session, identity, now, "issue by a role that may not")
        raise DirectiveRejected("role")
    local = now.astimezone(zone)
    target_kind, target_value, deadline = _check(draft, local.date())
    where = _unit_filter(target_kind, target_value)
    recipients = (
        await session.execute(
            select(col(Official.id), col(Official.unit_id))
            .join(Unit, col(Unit.id) == Official.unit_id)
            .where(
                where,
                col(Official.active),
                col(Official.role).in_([r.value for r in RECIPIENT_ROLES]),
            )
            .order_by(col(Official.id))
        )
    ).all()
    if not recipients:
        raise DirectiveRejected("nobody")
    directive = await _numbered(
        session,
        local.year,
        {
            "sender_id": identity.official.id or 0,
            "text": draft["text"].strip(),
            "attachment_kind": draft.get("attachment_kind"),
            "attachment_file_id": draft.get("attachment_file_id"),
            "attachment_name": draft.get("attachment_name"),
            "target_kind": target_kind,
            "target_value": target_value,
            "response_deadline": deadline,
            "created_at": now,
            "status_channel": identity.account.channel,
            "status_chat_key": identity.account.chat_key,
        },
    )
    directive_id = directive.id or 0
    await keeping.keep(session, directive.attachment_file_id)  # kept with the directive
    await session.execute(
        insert(DirectiveReceipt),
        [{"directive_id": directive_id, "official_id": o, "unit_id": u} for o, u in recipients],
    )
    locales = dict(
        (
            await session.execute(
                select(col(Official.id), col(Official.locale)).where(
                    col(Official.id).in_([o for o, _ in recipients])
                )
            )
        ).all()
    )
    accounts = await notice_accounts(session, [o for o, _ in recipients], now)
    addressees = [
        Addressee(o, locales.get(o), a.id or 0, a.channel, a.chat_key) for o, a in accounts
    ]
    audit.record(
        session,
        now=now,
        action="directive.issued",
        actor_official_id=identity.official.id,
        actor_account=f"{identity.account.channel}:{identity.account.user_key}",
        entity="directive",
        entity_id=directive_id,
        after={
            "code": directive.code,
            "target_kind": target_kind,
            "target_value": target_value,
            "response_deadline": deadline.isoformat() if deadline else None,
            "attachment_kind": directive.attachment_kind,
            "recipients": len(recipients),
            "accounts": len(addressees),
        },
    )
    view = DirectiveView(
        directive_id,
        directive.code,
        directive.text,
        identity.official.name,
        identity.unit.name,
        directive.attachment_kind,
        directive.attachment_name,
        deadline,
        directive.attachment_file_id,
    )
    return Issued(view, addressees, len(recipients), len({u for _, u in recipients}))
