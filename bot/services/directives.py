"""Directives (chỉ đạo): issue one to units, track delivery and acknowledgement, remind.

A directive gets a stable code `CĐ-<year>-<NNN>` numbered per year, one receipt per
recipient official (heads and focal officers of the target units) and one outbox message
per reachable account of each recipient. Receipts record delivery (from the outbox),
acknowledgement ("Received") and the single reminder before the response deadline.
The wording shared by the conversation and the job is at the end of this module, so that
neither layer imports the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.base import Attachment, Choice, Outbound
from bot.i18n import Translator
from bot.services import audit
from bot.services.accounts import Identity, accounts_of
from bot.services.calendar import WorkCalendar
from bot.services.directory import DEPARTMENTS_FIRST, WORKING_KINDS, UnitOption
from db.models import (
    ChatAccount,
    Directive,
    DirectiveReceipt,
    Official,
    OutboxMessage,
    OutboxState,
    Role,
    Unit,
)

MAX_TEXT = 3000
SENDER_ROLES = (Role.STANDING, Role.LEADER)
RECIPIENT_ROLES = (Role.HEAD, Role.FOCAL)
TARGETS = ("all", "kind", "units")
NUMBER_ATTEMPTS = 5
# Delivery and status counts are tracked this long; older directives are settled.
TRACK_DAYS = 30
# A telegram message holds 4096 characters; lists are cut below it.
MESSAGE_LIMIT = 4096
ACK_FLOW, WHO_FLOW = "a", "d"
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DirectiveRejected(Exception):
    """A draft or request that cannot become a directive (the conversation validates first)."""


class AckOutcome(StrEnum):
    """How pressing "Received" ended."""

    ACKNOWLEDGED = "acknowledged"
    ALREADY = "already"
    NOT_RECIPIENT = "not_recipient"


@dataclass(frozen=True)
class DeadlineAnswer:
    """A response deadline read from text, or why not ("format", "past")."""

    value: date | None
    problem: str | None = None


@dataclass(frozen=True)
class Audience:
    """Who a target reaches: the units and how many officials in them."""

    units: list[UnitOption]
    officials: int


@dataclass(frozen=True)
class DirectiveView:
    """A directive as people see it."""

    id: int
    code: str
    text: str
    sender_name: str
    sender_unit: str
    attachment_kind: str | None
    attachment_name: str | None
    response_deadline: date | None
    attachment_file_id: str | None = None


@dataclass(frozen=True)
class Addressee:
    """One reachable account of a recipient."""

    official_id: int
    locale: str | None
    account_id: int
    channel: str
    chat_key: str


@dataclass(frozen=True)
class Issued:
    """A stored directive, its recipients' accounts and how many officials it reaches."""

    directive: DirectiveView
    addressees: list[Addressee]
    recipients: int
    units: int


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
class Acknowledgement:
    """The result of pressing "Received"."""

    outcome: AckOutcome
    directive: DirectiveView | None = None
    acknowledged_at: datetime | None = None
    status: Status | None = None


@dataclass(frozen=True)
class Reminder:
    """One account of a recipient who has not acknowledged as the deadline nears."""

    receipt_id: int
    directive: DirectiveView
    addressee: Addressee


def may_issue(official: Official) -> bool:
    """Only the standing office and provincial leaders send directives."""
    return official.role in SENDER_ROLES


def refuse(session: AsyncSession, identity: Identity, now: datetime, detail: str) -> None:
    """Write a refused attempt (wrong role, not a recipient) to the audit log."""
    audit.record(
        session,
        now=now,
        action="directive.refused",
        actor_official_id=identity.official.id,
        actor_account=f"{identity.account.channel}:{identity.account.user_key}",
        entity="directive",
        detail=detail[:500],
    )


def read_deadline(text: str | None, today: date) -> DeadlineAnswer:
    """A date after today, written dd/mm/yyyy or yyyy-mm-dd."""
    cleaned = (text or "").strip()
    try:
        if match := _DMY.match(cleaned):
            day, month, year = (int(part) for part in match.groups())
            value = date(year, month, day)
        elif _ISO.match(cleaned):
            value = date.fromisoformat(cleaned)
        else:
            return DeadlineAnswer(None, "format")
    except ValueError:  # 31/02/2026 and the like
        return DeadlineAnswer(None, "format")
    if value <= today:
        return DeadlineAnswer(None, "past")
    return DeadlineAnswer(value)


def _unit_filter(target_kind: str, target_value: str | None) -> Any:
    kinds = [k.value for k in WORKING_KINDS]
    if target_kind == "all":
        return Unit.kind.in_(kinds)
    if target_kind == "kind" and target_value in kinds:
        return Unit.kind == target_value
    if target_kind == "units":
        ids = parse_unit_ids(target_value)
        if ids:
            return Unit.id.in_(ids) & Unit.kind.in_(kinds)
    raise DirectiveRejected("target")


def parse_unit_ids(value: str | None) -> list[int]:
    """Unit ids stored as "3,5,8"; empty for anything malformed."""
    parts = (value or "").split(",")
    if not all(part.isdigit() and len(part) <= 9 for part in parts):
        return []
    return sorted({int(part) for part in parts})


async def audience(session: AsyncSession, target_kind: str, target_value: str | None) -> Audience:
    """The units a target names and how many active heads and focal officers they have."""
    where = _unit_filter(target_kind, target_value)
    rows = await session.execute(
        select(Unit.id, Unit.name, Unit.kind).where(where).order_by(DEPARTMENTS_FIRST, Unit.name)
    )
    units = [UnitOption(i, n, k) for i, n, k in rows.all()]
    officials = await session.scalar(
        select(func.count())
        .select_from(Official)
        .join(Unit, Unit.id == Official.unit_id)
        .where(where, Official.active, Official.role.in_([r.value for r in RECIPIENT_ROLES]))
    )
    return Audience(units, int(officials or 0))


def _check(draft: dict[str, Any], today: date) -> tuple[str, str | None, date | None]:
    """The backstop behind the conversation: text, target and deadline of a draft."""
    text = draft.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
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
            select(func.max(Directive.number)).where(Directive.year == year)
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
            select(Official.id, Official.unit_id)
            .join(Unit, Unit.id == Official.unit_id)
            .where(where, Official.active, Official.role.in_([r.value for r in RECIPIENT_ROLES]))
            .order_by(Official.id)
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
    await session.execute(
        insert(DirectiveReceipt),
        [{"directive_id": directive_id, "official_id": o, "unit_id": u} for o, u in recipients],
    )
    locales = dict(
        (
            await session.execute(
                select(Official.id, Official.locale).where(
                    Official.id.in_([o for o, _ in recipients])
                )
            )
        ).all()
    )
    accounts = await accounts_of(session, [o for o, _ in recipients])
    addressees = [
        Addressee(a.official_id, locales.get(a.official_id), a.id or 0, a.channel, a.chat_key)
        for a in accounts
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


async def find(session: AsyncSession, directive_id: int) -> DirectiveView | None:
    """A directive with its sender, or None."""
    row = (
        await session.execute(
            select(Directive, Official, Unit)
            .join(Official, Official.id == Directive.sender_id)
            .join(Unit, Unit.id == Official.unit_id)
            .where(Directive.id == directive_id)
        )
    ).first()
    if row is None:
        return None
    d, sender, unit = row
    return DirectiveView(
        d.id or 0,
        d.code,
        d.text,
        sender.name,
        unit.name,
        d.attachment_kind,
        d.attachment_name,
        d.response_deadline,
        d.attachment_file_id,
    )


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
                    DirectiveReceipt.directive_id,
                    func.count(),
                    func.count(DirectiveReceipt.delivered_at),
                    func.count(DirectiveReceipt.acknowledged_at),
                )
                .where(DirectiveReceipt.directive_id.in_(directive_ids))
                .group_by(DirectiveReceipt.directive_id)
            )
        ).all()
    }
    rows = await session.execute(
        select(Directive, Official.locale)
        .join(Official, Official.id == Directive.sender_id)
        .where(Directive.id.in_(directive_ids))
        .order_by(Directive.id)
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


async def acknowledge(
    session: AsyncSession, identity: Identity, directive_id: int, now: datetime
) -> Acknowledgement:
    """Record "Received" once for a recipient; anyone else is refused and audited."""
    official_id = identity.official.id
    mine = (DirectiveReceipt.directive_id == directive_id) & (
        DirectiveReceipt.official_id == official_id
    )
    receipt = await session.scalar(select(DirectiveReceipt).where(mine))
    view = await find(session, directive_id) if receipt is not None else None
    if receipt is None or view is None:
        refuse(session, identity, now, f"acknowledge directive {directive_id}: not a recipient")
        return Acknowledgement(AckOutcome.NOT_RECIPIENT)
    # The conditional update is the one place an acknowledgement is recorded: twice is once.
    result = await session.execute(
        update(DirectiveReceipt)
        .where(mine, DirectiveReceipt.acknowledged_at.is_(None))
        .values(
            acknowledged_at=now,
            # Whoever pressed the button has received the message, whatever the outbox says.
            delivered_at=func.coalesce(DirectiveReceipt.delivered_at, now),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        await session.refresh(receipt)
        return Acknowledgement(AckOutcome.ALREADY, view, receipt.acknowledged_at)
    audit.record(
        session,
        now=now,
        action="directive.acknowledged",
        actor_official_id=official_id,
        actor_account=f"{identity.account.channel}:{identity.account.user_key}",
        entity="directivereceipt",
        entity_id=receipt.id,
        before={"acknowledged_at": None},
        after={"acknowledged_at": now.isoformat(), "directive": view.code},
    )
    return Acknowledgement(AckOutcome.ACKNOWLEDGED, view, now, await status(session, directive_id))


async def not_acknowledged(session: AsyncSession, directive_id: int) -> list[tuple[str, str]]:
    """(unit, official) of every recipient who has not pressed "Received", by unit."""
    rows = await session.execute(
        select(Unit.name, Official.name)
        .select_from(DirectiveReceipt)
        .join(Official, Official.id == DirectiveReceipt.official_id)
        .join(Unit, Unit.id == DirectiveReceipt.unit_id)
        .where(
            DirectiveReceipt.directive_id == directive_id,
            DirectiveReceipt.acknowledged_at.is_(None),
        )
        .order_by(Unit.name, Official.name)
    )
    return [(u, o) for u, o in rows.all()]


def _key(*parts: Any) -> Any:
    """A dedupe key built in SQL, e.g. 'directive:' || id || ':' || …, for index lookups."""
    expression: Any = literal(str(parts[0]))
    for part in parts[1:]:
        expression = expression + (literal(part) if isinstance(part, str) else cast(part, String))
    return expression


async def mark_delivered(session: AsyncSession, now: datetime) -> int:
    """Receipts whose outbox message has been sent become delivered, in one statement."""
    R = DirectiveReceipt
    recent = select(Directive.id).where(Directive.created_at >= now - timedelta(days=TRACK_DAYS))
    # Exact keys (not LIKE) so that each probe is a lookup in the outbox's unique index.
    sent_at = (
        select(func.min(OutboxMessage.sent_at))
        .select_from(ChatAccount)
        .join(
            OutboxMessage,
            OutboxMessage.dedupe_key
            == _key("directive:", R.directive_id, ":", R.official_id, ":", ChatAccount.id),
        )
        .where(ChatAccount.official_id == R.official_id, OutboxMessage.state == OutboxState.SENT)
        .scalar_subquery()
    )
    result = await session.execute(
        update(R)
        .where(R.delivered_at.is_(None), R.directive_id.in_(recent), sent_at.is_not(None))
        .values(delivered_at=sent_at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


async def learn_status_messages(session: AsyncSession, now: datetime) -> int:
    """Store the message id of status messages the dispatcher has sent since the last run."""
    first = (
        select(OutboxMessage.sent_message_id)
        .where(
            OutboxMessage.dedupe_key == _key("directive-status:", Directive.id, ":0:0"),
            OutboxMessage.state == OutboxState.SENT,
        )
        .scalar_subquery()
    )
    result = await session.execute(
        update(Directive)
        .where(
            Directive.status_message_id.is_(None),
            Directive.status_chat_key.is_not(None),
            Directive.created_at >= now - timedelta(days=TRACK_DAYS),
            first.is_not(None),
        )
        .values(status_message_id=first)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


async def tracked_statuses(session: AsyncSession, now: datetime) -> list[Status]:
    """Status of the recent directives whose status message can be edited."""
    ids = await session.scalars(
        select(Directive.id).where(
            Directive.created_at >= now - timedelta(days=TRACK_DAYS),
            Directive.status_message_id.is_not(None),
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
        select(Directive.id, Directive.response_deadline, DirectiveReceipt.id)
        .join(DirectiveReceipt, DirectiveReceipt.directive_id == Directive.id)
        .join(Official, Official.id == DirectiveReceipt.official_id)
        .where(
            Directive.response_deadline >= today,
            Directive.response_deadline <= today + timedelta(days=14),
            Directive.created_at < start_of_today,
            DirectiveReceipt.acknowledged_at.is_(None),
            DirectiveReceipt.reminded_at.is_(None),
            Official.active,
        )
    )
    receipts = {
        receipt_id: directive_id
        for directive_id, deadline, receipt_id in rows.all()
        if calendar.working_days_between(today, deadline) <= 1
    }
    if not receipts:
        return []
    views = {d: await find(session, d) for d in set(receipts.values())}
    people = await session.execute(
        select(DirectiveReceipt.id, Official.id, Official.locale, ChatAccount)
        .join(Official, Official.id == DirectiveReceipt.official_id)
        .join(ChatAccount, ChatAccount.official_id == Official.id)
        .where(DirectiveReceipt.id.in_(list(receipts)), ChatAccount.unreachable_at.is_(None))
        .order_by(DirectiveReceipt.id, ChatAccount.id)
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
        .where(DirectiveReceipt.id.in_(ids), DirectiveReceipt.reminded_at.is_(None))
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
            select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(chunk))
        )
        known.update(found)
    return set(keys) - known


# --- Wording shared by the conversation (handlers/directive.py) and the job -----------------


def ack_payload(directive_id: int) -> str:
    """The "Received" button's payload."""
    return f"{ACK_FLOW}:0:ack:{directive_id}"


def who_payload(directive_id: int) -> str:
    """The "Who has not acknowledged" button's payload."""
    return f"{WHO_FLOW}:0:who:{directive_id}"


def directive_text(t: Translator, view: DirectiveView) -> str:
    """The directive as its recipients read it."""
    lines = [
        t._(
            "📣 Directive {code} from {sender} ({unit}):",
            code=view.code,
            sender=view.sender_name,
            unit=view.sender_unit,
        ),
        "",
        view.text,
    ]
    if view.attachment_kind is not None:
        name = view.attachment_name or (
            t._("photo") if view.attachment_kind == "photo" else t._("document")
        )
        lines += ["", t._("📎 Attached: {name} (sent with this directive).", name=name)]
    if view.response_deadline is not None:
        lines += ["", t._("⏳ Please respond by {date}.", date=t.date(view.response_deadline))]
    return "\n".join(lines)


def directive_message(t: Translator, view: DirectiveView) -> Outbound:
    """The directive with its "Received" button."""
    return Outbound(
        directive_text(t, view) + "\n\n" + t._('Please press "Received" to acknowledge it.'),
        ((Choice(t._("✅ Received"), ack_payload(view.id)),),),
    )


def attachment_message(t: Translator, view: DirectiveView) -> Outbound | None:
    """The directive's attached file, sent again by the platform's reference; None if none."""
    if view.attachment_kind is None or not view.attachment_file_id:
        return None
    return Outbound(
        t._("📎 Attachment of directive {code}", code=view.code),
        file=Attachment(view.attachment_kind, view.attachment_file_id, view.attachment_name),
    )


def attachment_key(view: DirectiveView, addressee: Addressee) -> str:
    """The outbox key of one addressee's copy of the attached file."""
    return f"directive-file:{view.id}:{addressee.official_id}:{addressee.account_id}"


def status_message(t: Translator, status: Status, *, edit: bool = True) -> Outbound:
    """The sender's live status, edited in place once the status message is known."""
    text = t._(
        "📊 {code}: delivered {delivered}/{total}, acknowledged {acknowledged}",
        code=status.code,
        delivered=t.number(status.delivered),
        total=t.number(status.total),
        acknowledged=t.number(status.acknowledged),
    )
    return Outbound(
        text,
        ((Choice(t._("Who has not acknowledged"), who_payload(status.directive_id)),),),
        edit_message_id=status.message_id if edit else None,
    )


def reminder_message(t: Translator, view: DirectiveView) -> Outbound:
    """The one reminder before the response deadline."""
    assert view.response_deadline is not None
    text = t._(
        "⏰ Reminder: directive {code} asks for a response by {date}, and you have not "
        'acknowledged it yet. Please press "Received".',
        code=view.code,
        date=t.date(view.response_deadline),
    )
    return Outbound(
        text + "\n\n" + directive_text(t, view),
        ((Choice(t._("✅ Received"), ack_payload(view.id)),),),
    )


def pending_list(t: Translator, code: str, pending: list[tuple[str, str]]) -> str:
    """Who has not acknowledged, by unit, cut to fit one message with "… and N more"."""
    if not pending:
        return t._("{code}: every recipient has acknowledged.", code=code)
    heading = t.n_(
        "{code}: {count} recipient has not acknowledged yet:",
        "{code}: {count} recipients have not acknowledged yet:",
        len(pending),
        code=code,
    )
    lines: list[str] = [heading]
    # Leave room for the "… and N more" line, whatever its language.
    budget = MESSAGE_LIMIT - 200 - len(heading)
    shown, unit_shown = 0, None
    for unit, name in pending:
        piece = f"\n• {unit}: {name}" if unit != unit_shown else f", {name}"
        if len(piece) > budget:
            break
        if unit != unit_shown:
            lines.append(piece[1:])
            unit_shown = unit
        else:
            lines[-1] += piece
        budget -= len(piece)
        shown += 1
    if shown < len(pending):
        rest = len(pending) - shown
        lines.append(t.n_("… and {count} more", "… and {count} more", rest))
    return "\n".join(lines)
