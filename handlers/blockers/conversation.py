"""/vuongmac (/blockers): the standing office works open blockers; leaders resolve forwarded ones.

list (oldest first, paged) → "Resolve" → resolution note → resolved, the unit told; or
"Forward to leader" → pick a leader → forwarded, the leader told (the blocker stays open).
Every button is checked again on the server: role, step, and the blocker's state.

This module starts the flow and routes its buttons: the list is in `handlers.blockers.listing`,
resolving in `handlers.blockers.resolution`, forwarding in `handlers.blockers.forwarding`,
and the refusals they share in `handlers.blockers.refusal`.
"""

from __future__ import annotations

from bot.messages.payloads import STATELESS, Payload
from bot.services import blockers as service
from handlers.blockers.forwarding import ask_leader, forward
from handlers.blockers.listing import FLOW, NAME, show_list
from handlers.blockers.refusal import forbidden, stale
from handlers.blockers.resolution import ask_note, on_answer
from handlers.turn import Turn

__all__ = ["FLOW", "NAME", "begin", "on_answer", "on_button"]

ENTRY_ACTIONS = ("res",)


async def begin(turn: Turn, _argument: str = "") -> None:
    """Show the first page of the open blockers this person works."""
    assert turn.identity is not None
    if not service.may_list(turn.identity):
        forbidden(turn, "command")
        return
    await show_list(turn, 0)


async def on_button(turn: Turn, payload: Payload) -> None:
    """A button of the blockers flow, re-authorised and re-checked against the current step."""
    assert turn.identity is not None and turn.conversation is not None
    if not service.may_list(turn.identity):
        forbidden(turn, "button")
        return
    conversation = turn.conversation
    blocker_id = payload.int_argument()
    # A forwarded blocker's notice carries a stateless "Resolve" (version 0) for the leader.
    if payload.version == STATELESS and payload.action in ENTRY_ACTIONS and blocker_id is not None:
        await ask_note(turn, blocker_id, page=0)
        return
    if conversation.flow != NAME or payload.version != conversation.version:
        stale(turn, "stale blockers button")
        return
    step, action = conversation.step, payload.action
    page = int(conversation.draft.get("page", 0))
    if action == "x" and step in ("note", "leader"):
        await show_list(turn, page)
    elif step == "list" and action == "pg" and blocker_id is not None:
        await show_list(turn, blocker_id)
    elif step == "list" and action == "res" and blocker_id is not None:
        await ask_note(turn, blocker_id, page)
    elif step == "list" and action == "fwd" and blocker_id is not None:
        await ask_leader(turn, blocker_id, page)
    elif step == "leader" and action == "to" and blocker_id is not None:
        await forward(turn, int(conversation.draft["blocker_id"]), blocker_id, page)
    else:
        stale(turn, "button does not fit the step")
