"""Forwarding a blocker to a provincial leader for direction; it stays open.

The standing office picks a leader; the leader is told, with a stateless "Resolve" button
(`b:0:res:<id>`) that `handlers.blockers.resolution` answers, and the blocker shows as
forwarded in the list.
"""

from __future__ import annotations

from bot.channels.base import Outbound
from bot.i18n import translator_for
from bot.messages.cards import shorten
from bot.messages.payloads import STATELESS, Payload
from bot.services import blockers as service
from bot.services.blockers import BlockerRefused
from handlers.blockers.listing import FLOW, STEPS, age, show_list
from handlers.blockers.refusal import explain
from handlers.turn import Turn


async def ask_leader(turn: Turn, blocker_id: int, page: int) -> None:
    """Ask which provincial leader to forward a blocker to."""
    assert turn.identity is not None
    try:
        await service.check_forwardable(turn.session, turn.identity, blocker_id)
    except BlockerRefused as refused:
        explain(turn, refused)
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


async def forward(turn: Turn, blocker_id: int, leader_id: int, page: int) -> None:
    """Forward the blocker to the leader, tell the leader, and show the list again."""
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
        explain(turn, refused)
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
            age=age(lt, view),
            text=shorten(view.text, 2000),
        )
        resolve = Payload(FLOW, STATELESS, "res", str(view.blocker_id)).choice(lt._("✅ Resolve"))
        turn.tell(
            person.account,
            Outbound(text, ((resolve,),)),
            f"blocker:{view.blocker_id}:fwd:{leader_id}:{stamp}:{person.account.id}",
        )
    await show_list(turn, page, in_place=False)
