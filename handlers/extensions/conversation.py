"""/giahan (/extend): ask the standing office for a later deadline; it approves or refuses.

Requester (focal officer or head): pick an open assignment (or `/giahan NV-01`, or the
reminder's "Ask for an extension" button) → new date → reason → review → confirm. Every
standing officer then gets the request with one-tap "Approve" / "Refuse"; refusing asks
for a reason. The unit is told the decision. Every button is checked again on the server.

This module routes the flow's buttons and typed answers: the requester's side is in
`handlers.extensions.request`, the standing office's in `handlers.extensions.decision`, and
the wording both share in `handlers.extensions.wording`.
"""

from __future__ import annotations

from bot.messages.payloads import STATELESS, Payload
from bot.services.extensions import rules as extensions
from handlers.extensions import decision as extension_decision
from handlers.extensions import queue as extension_queue
from handlers.extensions import request as extension_request
from handlers.extensions.request import begin
from handlers.extensions.wording import FLOW, NAME, STEPS, refuse_role
from handlers.turn import Turn

__all__ = ["FLOW", "NAME", "begin", "begin_queue", "on_answer", "on_button"]

begin_queue = extension_queue.begin


async def on_button(turn: Turn, payload: Payload) -> None:
    """A button of the extension flow, re-checked against the role and the current step."""
    # Entry and decision buttons are stateless (version 0); the server re-checks everything.
    if payload.version == STATELESS and payload.action == "ext":
        assignment_id = payload.int_argument()
        if assignment_id is None:
            turn.refuse_button("malformed extension button")
        elif not extensions.may_request(turn.identity):
            refuse_role(turn, "button", deciding=False)
        else:
            await extension_request.open_target(turn, assignment_id)
        return
    if payload.version == STATELESS and payload.action in ("ap", "rf"):
        await extension_decision.decision_button(turn, payload)
        return
    conversation = turn.conversation
    if conversation.flow != NAME or payload.version != conversation.version:
        turn.refuse_button("stale extension button")
        return
    step, action, argument = conversation.step, payload.action, payload.int_argument()
    if action == "x":
        STEPS.finish(turn)
        turn.show(turn.t._("Cancelled. Nothing was recorded."))
    elif step == "pick" and action == "pick" and argument is not None:
        await extension_request.open_target(turn, argument)
    elif step == "pick" and action == "pp" and argument is not None:
        await extension_request.show_pick(turn, argument)
    elif step == "confirm" and action == "ok":
        await extension_request.submit(turn)
    elif step == "queue" and action in ("qp", "qa", "qr"):
        if not extensions.may_decide(turn.identity):
            refuse_role(turn, "queue button", deciding=True)
            return
        await extension_queue.on_button(turn, payload, int(conversation.draft.get("page", 0)))
    else:
        turn.refuse_button("extension button does not fit the step")


async def on_answer(turn: Turn) -> None:
    """Typed answers: the new date, the reason, or the standing office's refusal reason."""
    step = turn.conversation.step
    if step == "date":
        await extension_request.answer_date(turn)
    elif step == "reason":
        extension_request.answer_reason(turn)
    elif step == "refuse_reason":
        await extension_decision.answer_refusal_reason(turn)
    else:
        turn.say(turn.t._("Please choose one of the buttons above, or send /huy to cancel."))
