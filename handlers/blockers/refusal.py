"""Refusals in the blockers flow: the wrong role, a stale button, a blocker that moved on.

Each refusal answers clearly and is audited; nothing else happens. A blocker resolved
meanwhile only drops this flow's draft, so a report being written elsewhere is kept.
"""

from __future__ import annotations

from bot.services import conversations
from bot.services.blockers import BlockerRefused
from handlers.blockers.listing import NAME
from handlers.turn import Turn


def forbidden(turn: Turn, detail: str) -> None:
    """The wrong role: a clear answer and an audit entry, nothing else."""
    explanation = turn.t._(
        "Blockers are worked by the standing office; a leader sees the blockers "
        "forwarded to them. Your role does not allow this."
    )
    turn.refuse_role("blockers.refused", detail, explanation)


def stale(turn: Turn, reason: str) -> None:
    """A button from an earlier step or a forged one: refused, audited, and explained."""
    explanation = turn.t._(
        "This button belongs to an earlier step and can no longer be used. "
        "Send /vuongmac to see the open blockers."
    )
    turn.refuse_button(reason, explanation)


def explain(turn: Turn, refused: BlockerRefused) -> None:
    """Say why a blocker action did not happen; the wrong role is audited as such."""
    t = turn.t
    if refused.reason == "not_allowed":
        forbidden(turn, "blocker not in this person's scope")
        return
    if refused.reason == "resolved":
        # Only this flow's draft is dropped; a report being written elsewhere is kept.
        if turn.conversation.flow == NAME:
            conversations.finish(turn.conversation, turn.now)
        turn.say(t._("This blocker has already been resolved. Send /vuongmac to see the others."))
        return
    stale(turn, f"blocker action refused ({refused.reason})")
