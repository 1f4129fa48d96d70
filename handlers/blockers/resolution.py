"""Resolving a blocker: the resolution note, then the unit told.

"Resolve" (from the list, or the stateless button on a forwarded blocker's notice) asks for
a note; the note resolves the blocker, and the unit's focal officers and head receive it.
The blocker's state and the person's scope are checked again before each step.
"""

from __future__ import annotations

from bot.channels.base import Outbound
from bot.i18n import translator_for
from bot.messages.cards import shorten
from bot.services import blockers as service
from bot.services.blockers import BlockerRefused
from handlers.answers import take_text
from handlers.blockers.listing import QUOTE, STEPS, show_list
from handlers.blockers.refusal import explain
from handlers.turn import Turn


async def ask_note(turn: Turn, blocker_id: int, page: int) -> None:
    """Ask for the resolution note of a blocker this person may resolve."""
    try:
        await service.check_resolvable(turn.session, turn.identity, blocker_id)
    except BlockerRefused as refused:
        explain(turn, refused)
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


async def on_answer(turn: Turn) -> None:
    """The resolution note, typed at the note step."""
    conversation, t = turn.conversation, turn.t
    if conversation.step != "note":
        turn.say(t._("Please choose one of the buttons above, or send /huy to cancel."))
        return
    if turn.inbound.attachments:
        turn.say(t._("This step needs text, not a file. Please type your answer."))
        return
    no_words = t._("The resolution note is required: please describe in words how it was resolved.")
    note = take_text(turn, service.MAX_NOTE, no_words)
    if note is None:
        return
    try:
        done = await service.resolve(
            turn.session,
            turn.identity,
            int(conversation.draft["blocker_id"]),
            note,
            now=turn.now,
            today=turn.today,
            zone=turn.settings.zone,
            actor_account=turn.who,
        )
    except BlockerRefused as refused:
        explain(turn, refused)
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
    for person in done.standing:
        st = translator_for(person.locale, turn.settings.locale, turn.settings.zone)
        forwarded = view.forwarded_at.astimezone(st.zone).date() if view.forwarded_at else None
        text = st._(
            "🧭 {name} has given direction on the blocker of {unit} on [{code}] {title}, "
            "forwarded on {date}; it is resolved.\nBlocker: «{text}»\nDirection: {note}",
            name=done.resolver_name,
            unit=view.unit_name,
            code=view.task_code,
            title=view.task_title,
            date=st.short_date(forwarded or view.opened_on),
            text=shorten(view.text, 1500),
            note=done.note,
        )
        turn.tell(
            person.account,
            Outbound(text),
            f"blocker:{view.blocker_id}:directed:{person.account.id}",
        )
    await show_list(turn, int(conversation.draft.get("page", 0)), in_place=False)
