"""A guided conversation's plumbing: its buttons, its draft and its current step.

Every guided flow (report, extension, review, blockers, indicators, directive, assignment)
keeps one conversation row per person. Its buttons carry the flow's letter and the
conversation's version, so a button from an earlier step is recognised as stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.channels.base import Choice
from bot.messages.payloads import Flow, Payload
from bot.services import conversations
from handlers.choices import Press
from handlers.turn import Turn


@dataclass(frozen=True)
class Steps:
    """One guided flow: the letter its buttons start with and its conversation name."""

    letter: Flow
    name: str

    def button(self, turn: Turn, label: str, action: str, argument: str | None = None) -> Choice:
        """A button of the current step."""
        assert turn.conversation is not None
        version = turn.conversation.version
        return Payload(self.letter, version, action, argument).choice(label)

    def press(self, turn: Turn, action: str) -> Press:
        """Make buttons of the current step with `action`, each carrying its number."""
        return lambda label, number: self.button(turn, label, action, str(number))

    def cancel_row(self, turn: Turn) -> tuple[Choice, ...]:
        """The row with the Cancel button (action "x")."""
        return (self.button(turn, turn.t._("Cancel"), "x"),)

    def draft(self, turn: Turn) -> dict[str, Any]:
        """A copy of what has been entered so far."""
        assert turn.conversation is not None
        return dict(turn.conversation.draft)

    def go(self, turn: Turn, step: str, draft: dict[str, Any]) -> None:
        """Move to `step` with `draft`; earlier buttons become stale."""
        assert turn.conversation is not None
        conversations.move(turn.conversation, self.name, step, draft, turn.now)

    def finish(self, turn: Turn) -> None:
        """End the conversation."""
        assert turn.conversation is not None
        conversations.finish(turn.conversation, turn.now)
