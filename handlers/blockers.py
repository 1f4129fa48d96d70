"""/vuongmac (/blockers): the standing office works open blockers; leaders resolve forwarded ones.

list (oldest first, paged) → "Resolve" → resolution note → resolved, the unit told; or
"Forward to leader" → pick a leader → forwarded, the leader told (the blocker stays open).
Every button is checked again on the server: role, step, and the blocker's state.
"""

from __future__ import annotations

from bot.channels.base import Choice, Outbound
from bot.i18n import Translator, translator_for
from bot.services import audit, conversations
from bot.services import blockers as service
from bot.services.blockers import BlockerRefused, BlockerView
from db.models import Role
from handlers.answers import read_text
from handlers.cards import shorten
from handlers.flow import Steps
from handlers.payloads import Payload
from handlers.turn import Turn

FLOW = "b"
NAME = "blockers"
STEPS = Steps(FLOW, NAME)
PAGE = 5
QUOTE = 300  # five blockers of QUOTE characters and their headers fit one message
ENTRY_ACTIONS = ("res",)


def _forbidden(turn: Turn, detail: str) -> None:
    """The wrong role: a clear answer and an audit entry, nothing else."""
    assert turn.identity is not None
    audit.record(
        turn.session,
        now=turn.now,
        action="blockers.refused",
        actor_official_id=turn.identity.official.id,
        actor_account=turn.who,
        detail=f"{detail}: {turn.inbound.payload or turn.inbound.text!r}"[:500],
    )
    t = turn.t
    if turn.inbound.is_button:
        turn.button_notice = t._("You are not allowed to do this.")
    turn.say(
        t._(
            "Blockers are worked by the standing office; a leader sees the blockers "
            "forwarded to them. Your role does not allow this."
        )
    )


def _stale(turn: Turn, reason: str) -> None:
    """A button from an earlier step or a forged one: refused, audited, and explained."""
    audit.record(
        turn.session,
        now=turn.now,
        action="button.refused",
        actor_official_id=turn.identity.official.id if turn.identity else None,
        actor_account=turn.who,
        detail=f"{reason}: {turn.inbound.payload!r}"[:500],
    )
    t = turn.t
    turn.button_notice = t._("This button is no longer valid.")
    turn.say(
        t._(
            "This button belongs to an earlier step and can no longer be used. "
            "Send /vuongmac to see the open blockers."
        )
    )


def _explain(turn: Turn, refused: BlockerRefused) -> None:
    """Say why a blocker action did not happen; the wrong role is audited as such."""
    t = turn.t
    if refused.reason == "not_allowed":
        _forbidden(turn, "blocker not in this person's scope")
        return
    if refused.reason == "resolved":
        # Only this flow's draft is dropped; a report being written elsewhere is kept.
        if turn.conversation is not None and turn.conversation.flow == NAME:
            conversations.finish(turn.conversation, turn.now)
        turn.say(t._("This blocker has already been resolved. Send /vuongmac to see the others."))
        return
    _stale(turn, f"blocker action refused ({refused.reason})")


async def begin(turn: Turn, _argument: str = "") -> None:
    """Show the first page of the open blockers this person works."""
    assert turn.identity is not None
    if not service.may_list(turn.identity):
        _forbidden(turn, "command")
        return
    await _show_list(turn, 0)


def _age(t: Translator, view: BlockerView) -> str:
    if view.age_days == 0:
        return t._("raised today")
    return t.n_("open for {count} day", "open for {count} days", view.age_days)


def _entry(t: Translator, view: BlockerView, index: int) -> str:
    lines = [
        t._(
            "{index}. {unit} · [{code}] {title}\n    Raised {date}, {age}.\n    «{text}»",
            index=index,
            unit=shorten(view.unit_name, 80),
            code=view.task_code,
            title=shorten(view.task_title, 100),
            date=t.short_date(view.opened_on),
            age=_age(t, view),
            text=shorten(view.text, QUOTE),
        )
    ]
    if view.forwarded_to_name and view.forwarded_at:
        lines.append(
            "    "
            + t._(
                "➡️ Forwarded to {leader} on {when}.",
                leader=view.forwarded_to_name,
                when=t.short_date(view.forwarded_at.astimezone(t.zone).date()),
            )
        )
    return "\n".join(lines)


async def _show_list(turn: Turn, page: int, *, in_place: bool = True) -> None:
    assert turn.identity is not None
    t = turn.t
    views, total = await service.open_blockers(
        turn.session,
        turn.identity,
        turn.today,
        turn.settings.zone,
        offset=page * PAGE,
        limit=PAGE,
    )
    render = turn.show if in_place else turn.say
    if total == 0:
        conversations.finish(turn.conversation, turn.now)  # type: ignore[arg-type]
        render(t._("There are no open blockers to work on."))
        return
    pages = (total + PAGE - 1) // PAGE
    if not views:  # the last page emptied (a blocker was resolved): show the one before
        await _show_list(turn, pages - 1, in_place=in_place)
        return
    STEPS.go(turn, "list", {"page": page})
    standing = turn.identity.official.role == Role.STANDING
    header = t._(
        "Open blockers, oldest first — page {page}/{pages} ({total} in all)",
        page=page + 1,
        pages=pages,
        total=t.number(total),
    )
    body = [_entry(t, v, page * PAGE + i + 1) for i, v in enumerate(views)]
    rows: list[tuple[Choice, ...]] = []
    for i, view in enumerate(views):
        number = page * PAGE + i + 1
        row = [STEPS.button(turn, t._("✅ Resolve {n}", n=number), "res", str(view.blocker_id))]
        if standing:
            row.append(
                STEPS.button(
                    turn, t._("➡️ Forward {n} to leader", n=number), "fwd", str(view.blocker_id)
                )
            )
        rows.append(tuple(row))
    nav = []
    if page > 0:
        nav.append(STEPS.button(turn, t._("◀ Previous"), "pg", str(page - 1)))
    if page + 1 < pages:
        nav.append(STEPS.button(turn, t._("Next ▶"), "pg", str(page + 1)))
    if nav:
        rows.append(tuple(nav))
    render("\n\n".join([header, *body]), tuple(rows))


async def on_button(turn: Turn, payload: Payload) -> None:
    """A button of the blockers flow, re-authorised and re-checked against the current step."""
    assert turn.identity is not None and turn.conversation is not None
    if not service.may_list(turn.identity):
        _forbidden(turn, "button")
        return
    conversation = turn.conversation
    blocker_id = payload.int_argument()
    # A forwarded blocker's notice carries a stateless "Resolve" (version 0) for the leader.
    if payload.version == 0 and payload.action in ENTRY_ACTIONS and blocker_id is not None:
        await _ask_note(turn, blocker_id, page=0)
        return
    if conversation.flow != NAME or payload.version != conversation.version:
        _stale(turn, "stale blockers button")
        return
    step, action = conversation.step, payload.action
    page = int(conversation.draft.get("page", 0))
    if action == "x" and step in ("note", "leader"):
        await _show_list(turn, page)
    elif step == "list" and action == "pg" and blocker_id is not None:
        await _show_list(turn, blocker_id)
    elif step == "list" and action == "res" and blocker_id is not None:
        await _ask_note(turn, blocker_id, page)
    elif step == "list" and action == "fwd" and blocker_id is not None:
        await _ask_leader(turn, blocker_id, page)
    elif step == "leader" and action == "to" and blocker_id is not None:
        await _forward(turn, int(conversation.draft["blocker_id"]), blocker_id, page)
    else:
        _stale(turn, "button does not fit the step")


async def _ask_note(turn: Turn, blocker_id: int, page: int) -> None:
    assert turn.identity is not None
    try:
        await service.check_resolvable(turn.session, turn.identity, blocker_id)
    except BlockerRefused as refused:
        _explain(turn, refused)
        return
    view = await service.find(turn.session, blocker_id, turn.today, turn.settings.zone)
    assert view is not None
    STEPS.go(turn, "note", {"blocker_id": blocker_id, "page": page})
    t = turn.t
    turn.say(
        t._(
            "Resolving the blocker of {unit} on [{code}]:\n«{text}»\n\n"
            "How was it resolved? Write the resolution note (at most {limit} characters); "
            "the unit's focal officers and head will receive it.",
            unit=view.unit_name,
            code=view.task_code,
            text=shorten(view.text, QUOTE),
            limit=t.number(service.MAX_NOTE),
        ),
        ((STEPS.button(turn, t._("Cancel"), "x"),),),
    )


async def _ask_leader(turn: Turn, blocker_id: int, page: int) -> None:
    assert turn.identity is not None
    try:
        await service.check_forwardable(turn.session, turn.identity, blocker_id)
    except BlockerRefused as refused:
        _explain(turn, refused)
        return
    t = turn.t
    leaders = await service.leaders(turn.session)
    if not leaders:
        turn.say(t._("No provincial leader is registered yet, so the blocker cannot be forwarded."))
        return
    STEPS.go(turn, "leader", {"blocker_id": blocker_id, "page": page})
    rows = [
        (
            STEPS.button(
                turn, f"{x.name} — {x.title}" if x.title else x.name, "to", str(x.official_id)
            ),
        )
        for x in leaders
    ]
    rows.append((STEPS.button(turn, t._("Cancel"), "x"),))
    turn.say(t._("Forward this blocker to which leader?"), tuple(rows))


async def _forward(turn: Turn, blocker_id: int, leader_id: int, page: int) -> None:
    assert turn.identity is not None
    try:
        done = await service.forward(
            turn.session,
            turn.identity,
            blocker_id,
            leader_id,
            now=turn.now,
            today=turn.today,
            zone=turn.settings.zone,
            actor_account=turn.who,
        )
    except BlockerRefused as refused:
        _explain(turn, refused)
        return
    t, view = turn.t, done.blocker
    turn.show(
        t._(
            "Forwarded to {leader}: the blocker of {unit} on [{code}]. It stays open until "
            "it is resolved.",
            leader=done.leader.name,
            unit=view.unit_name,
            code=view.task_code,
        )
    )
    stamp = int(turn.now.timestamp())
    for person in done.recipients:
        lt = translator_for(person.locale, turn.settings.locale, turn.settings.zone)
        text = lt._(
            "📌 {sender} (standing office) forwards a blocker for your direction:\n"
            "{unit} · [{code}] {title}\nRaised {date}, {age}.\n«{text}»",
            sender=done.sender_name,
            unit=view.unit_name,
            code=view.task_code,
            title=view.task_title,
            date=lt.short_date(view.opened_on),
            age=_age(lt, view),
            text=shorten(view.text, 2000),
        )
        resolve = Choice(lt._("✅ Resolve"), Payload(FLOW, 0, "res", str(view.blocker_id)).encode())
        turn.tell(
            person.account,
            Outbound(text, ((resolve,),)),
            f"blocker:{view.blocker_id}:fwd:{leader_id}:{stamp}:{person.account.id}",
        )
    await _show_list(turn, page, in_place=False)


async def on_answer(turn: Turn) -> None:
    """The resolution note, typed at the note step."""
    assert turn.identity is not None and turn.conversation is not None
    conversation, t = turn.conversation, turn.t
    if conversation.step != "note":
        turn.say(t._("Please choose one of the buttons above, or send /huy to cancel."))
        return
    if turn.inbound.attachments:
        turn.say(t._("This step needs text, not a file. Please type your answer."))
        return
    answer = read_text(turn.inbound.text, service.MAX_NOTE)
    if answer.problem == "too_long":
        turn.say(
            t._(
                "That is {length} characters; please keep it within {limit}.",
                length=t.number(len((turn.inbound.text or "").strip())),
                limit=t.number(service.MAX_NOTE),
            )
        )
        return
    if answer.problem is not None or answer.value is None:
        turn.say(
            t._("The resolution note is required: please describe in words how it was resolved.")
        )
        return
    try:
        done = await service.resolve(
            turn.session,
            turn.identity,
            int(conversation.draft["blocker_id"]),
            answer.value,
            now=turn.now,
            today=turn.today,
            zone=turn.settings.zone,
            actor_account=turn.who,
        )
    except BlockerRefused as refused:
        _explain(turn, refused)
        return
    view = done.blocker
    told = len({p.account.official_id for p in done.recipients})
    turn.say(
        t._(
            "Resolved: the blocker of {unit} on [{code}].", unit=view.unit_name, code=view.task_code
        )
        + " "
        + t.n_(
            "{count} officer of the unit was told.", "{count} officers of the unit were told.", told
        )
    )
    for person in done.recipients:
        pt = translator_for(person.locale, turn.settings.locale, turn.settings.zone)
        text = pt._(
            "✅ The blocker on [{code}] {title}, raised {date}, has been resolved by {name}.\n"
            "Blocker: «{text}»\nResolution: {note}",
            code=view.task_code,
            title=view.task_title,
            date=pt.short_date(view.opened_on),
            name=done.resolver_name,
            text=shorten(view.text, 1500),
            note=done.note,
        )
        turn.tell(
            person.account,
            Outbound(text),
            f"blocker:{view.blocker_id}:resolved:{person.account.id}",
        )
    await _show_list(turn, int(conversation.draft.get("page", 0)), in_place=False)
