"""/chitieu (/indicators): report an indicator value for the current period.

list (target, last period, this period) → pick → ratio: numerator then denominator; count:
a whole number; yes/no: a button → a reason when the value misses the target → review →
confirm. Every step checks what it expects and says so; nothing is stored before confirming.

This module starts the flow and routes its buttons and typed answers: the list is in
`handlers.indicators.listing`, entering a value in `handlers.indicators.entry`, and what
both say (values, targets, refusals) in `handlers.indicators.wording`.
"""

from __future__ import annotations

from bot.messages.payloads import Payload
from bot.services import conversations
from bot.services.indicators import rules as service
from handlers.indicators import entry as indicator_entry
from handlers.indicators.entry import on_answer
from handlers.indicators.listing import show_pick
from handlers.indicators.wording import FLOW, NAME, STEPS, forbidden, stale
from handlers.turn import Turn

__all__ = ["FLOW", "NAME", "begin", "cancel", "on_answer", "on_button"]


async def begin(turn: Turn, _argument: str = "") -> None:
    """Show the unit's indicators for the current period."""
    if not service.may_report(turn.identity):
        forbidden(turn, "command")
        return
    await show_pick(turn, 0)


async def on_button(turn: Turn, payload: Payload) -> None:
    """A button of the indicators flow, re-authorised and re-checked against the current step."""
    if not service.may_report(turn.identity):
        forbidden(turn, "button")
        return
    conversation = turn.conversation
    if conversation.flow != NAME or payload.version != conversation.version:
        stale(turn, "stale indicators button")
        return
    step, action, argument = conversation.step, payload.action, payload.int_argument()
    if action == "x":
        cancel(turn)
    elif step == "pick" and action == "pick" and argument is not None:
        await indicator_entry.pick(turn, argument)
    elif step == "pick" and action == "pp" and argument is not None:
        await show_pick(turn, argument)
    elif step == "yesno" and action in ("yes", "no"):
        indicator_entry.valued(turn, STEPS.draft(turn) | {"value": 1 if action == "yes" else 0})
    elif step == "confirm" and action == "ok":
        await indicator_entry.submit(turn)
    else:
        stale(turn, "button does not fit the step")


def cancel(turn: Turn) -> None:
    """Drop the draft; nothing was stored."""
    conversations.finish(turn.conversation, turn.now)
    turn.show(turn.t._("Cancelled. Nothing was recorded."))
