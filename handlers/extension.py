"""Deadline extensions (/giahan): for now only the reminder button, which says it is coming."""

from __future__ import annotations

from bot.services import assignments
from handlers.payloads import Payload
from handlers.turn import Turn

FLOW = "g"


async def on_button(turn: Turn, payload: Payload) -> None:
    """ "Ask for an extension" on a reminder: checked like any button, then a plain answer."""
    assert turn.identity is not None
    assignment_id = payload.int_argument()
    view = await assignments.find(turn.session, assignment_id or 0, turn.today)
    if payload.action != "ext" or view is None or view.unit_id != turn.identity.unit.id:
        turn.refuse_button("extension button for another unit")
        return
    turn.say(
        turn.t._(
            "Requesting a deadline extension in the bot is coming soon. For [{code}], please "
            "contact the standing office directly; meanwhile you can report the difficulties "
            "with /baocao.",
            code=view.task_code,
        )
    )
