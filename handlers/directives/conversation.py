"""/chidao (/directive): compose a directive, and the buttons that follow it.

text → attachment (skippable) → target (all units, a kind, or chosen units) → response
deadline (skippable) → review → confirm. Only the standing office and provincial leaders
may compose; nothing is stored until they confirm. Recipients press "Received"
(`a:0:ack:<id>`); the sender's status message offers "Who has not acknowledged"
(`d:0:who:<id>`). Every button is checked again here: payloads come from the client.

This module starts the flow and routes the composer's buttons and typed answers: the
questions up to the review are in `handlers.directives.draft`, sending the confirmed
directive in `handlers.directives.delivery`, and "Received" and "Who has not acknowledged"
in `handlers.directives.receipt`.
"""

from __future__ import annotations

from datetime import timedelta

from bot.messages.directives import recent_list, view_button
from bot.messages.payloads import STATELESS, Payload
from bot.services import conversations
from bot.services.dates.reading import DateProblem
from bot.services.directives import issuing as directives
from bot.services.directives import replies as directive_replies
from bot.services.people import directory
from handlers.answers import take_text
from handlers.choices import toggle
from handlers.directives import replies
from handlers.directives.delivery import submit
from handlers.directives.draft import (
    FLOW,
    NAME,
    SKIPPABLE,
    STEPS,
    TARGET_CHOICES,
    ask_attachment,
    ask_deadline,
    ask_target,
    choose_target,
    review,
    show_units,
)
from handlers.directives.receipt import ACK_FLOW, on_ack, show_pending, show_status
from handlers.turn import Turn

__all__ = ["ACK_FLOW", "FLOW", "NAME", "begin", "on_ack", "on_answer", "on_button"]


def _allowed(turn: Turn, what: str) -> bool:
    """Whether the sender may compose directives; if not, refuse, audit and drop any draft."""
    if directives.may_issue(turn.identity.official):
        return True
    if turn.conversation.flow == NAME:
        conversations.finish(turn.conversation, turn.now)
    t = turn.t
    explanation = t._(
        "Only the standing office and provincial leaders can send directives. Nothing was recorded."
    )
    turn.refuse_role(
        "directive.refused", what, explanation, entity="directive", notice=t._("Not allowed.")
    )
    return False


async def begin(turn: Turn, _argument: str = "") -> None:
    """Start a directive: ask for its text."""
    if not _allowed(turn, "command"):
        return
    STEPS.go(turn, "text", {})
    t = turn.t
    prompt = t._(
        "Write the text of the directive (at most {limit} characters).",
        limit=t.number(directives.MAX_TEXT),
    )
    recent = await directive_replies.recent(turn.session)
    if not recent:
        turn.say(prompt, (STEPS.cancel_row(turn),))
        return
    past = tuple((view_button(s.directive_id, s.code),) for s, _ in recent)
    turn.say(f"{recent_list(t, recent)}\n\n{prompt}", (*past, STEPS.cancel_row(turn)))


async def on_button(turn: Turn, payload: Payload) -> None:
    """A composer button, or "Who has not acknowledged" (version 0) on a status message."""
    conversation = turn.conversation
    if payload.version == STATELESS and payload.action == "who":
        await show_pending(turn, payload)
        return
    if payload.version == STATELESS and payload.action == "replies":
        await replies.show_replies(turn, payload)
        return
    if payload.version == STATELESS and payload.action == "view":
        await show_status(turn, payload)
        return
    if conversation.flow != NAME or payload.version != conversation.version:
        turn.refuse_button("stale directive button")
        return
    # Roles can change while a draft is open: every step is checked again.
    if not _allowed(turn, "button"):
        return
    step, action, draft = conversation.step, payload.action, STEPS.draft(turn)
    number = payload.int_argument()
    if action == "x":
        conversations.finish(conversation, turn.now)
        turn.show(turn.t._("Cancelled. Nothing was recorded."))
    elif step in SKIPPABLE and action == "skip":
        if step == "attachment":
            ask_target(turn, draft)
        else:
            await review(turn, draft | {"deadline": None})
    elif step == "target" and action == "tg" and payload.argument in TARGET_CHOICES:
        await choose_target(turn, draft, payload.argument or "")
    elif step == "units" and action == "pg" and number is not None:
        await show_units(turn, draft, number)
    elif step == "units" and action == "tog" and number is not None:
        if not await directory.is_working_unit(turn.session, number):
            turn.refuse_button("unit that cannot receive directives")
            return
        chosen = toggle(draft.get("units") or [], number)
        await show_units(turn, draft | {"units": chosen}, int(draft.get("page") or 0))
    elif step == "units" and action == "done":
        units = sorted(set(draft.get("units") or []))
        if not units:
            note = turn.t._("Please choose at least one unit.")
            await show_units(turn, draft, int(draft.get("page") or 0), note)
            return
        value = ",".join(str(i) for i in units)
        ask_deadline(turn, draft | {"target_kind": "units", "target_value": value})
    elif step == "confirm" and action == "ok":
        await submit(turn, draft)
    else:
        turn.refuse_button("button does not fit the step")


async def on_answer(turn: Turn) -> None:
    """Typed text or a file, read as the answer to the current step."""
    conversation = turn.conversation
    if not _allowed(turn, "answer"):
        return
    step, inbound, t = conversation.step, turn.inbound, turn.t
    if step == "attachment":
        if inbound.attachments:
            first = inbound.attachments[0]
            name = first.name[:256] if first.name else None
            draft = STEPS.draft(turn) | {
                "attachment_kind": first.kind,
                "attachment_file_id": first.file_id[:256],
                "attachment_name": name,
            }
            ask_target(turn, draft)
        else:
            turn.say(t._("Please send a photo or a document, or press Skip above."))
        return
    if inbound.attachments:
        turn.say(t._("This step needs text, not a file. Please type your answer."))
        return
    if step == "text":
        no_words = t._("Please write the directive in words (letters or numbers).")
        value = take_text(turn, directives.MAX_TEXT, no_words)
        if value is not None:
            ask_attachment(turn, STEPS.draft(turn) | {"text": value})
        return
    if step == "deadline":
        read = directives.read_deadline(inbound.text, turn.today)
        if read is DateProblem.PAST:
            turn.say(
                t._(
                    "The deadline must be after today ({today}). Please send a later date, "
                    "or press Skip.",
                    today=t.short_date(turn.today),
                )
            )
        elif isinstance(read, DateProblem):
            turn.say(
                t._(
                    "That is not a date. Please write it as dd/mm/yyyy, e.g. {example}, "
                    "or press Skip.",
                    example=t.short_date(turn.today + timedelta(days=14)),
                )
            )
        else:
            await review(turn, STEPS.draft(turn) | {"deadline": read.isoformat()})
        return
    turn.say(t._("Please choose one of the buttons above, or send /huy to cancel."))
