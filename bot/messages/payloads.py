"""Button payloads: short ASCII ids (Telegram allows 64 bytes), never text.

Form: `<flow>:<version>:<action>[:<argument>]`. The flow is one letter of `Flow`, the one
registry of them. The version is the conversation's version when the button was shown, so
a button from an earlier step is recognised as stale; `STATELESS` (0) marks a button that
works from any message (a reminder, a notice) and is checked afresh on every press.
Everything in a payload is checked again on the server: it comes from the client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.channels.base import Choice

_FORM = re.compile(r"^([a-z]{1,3}):(\d{1,9}):([a-z]{1,8})(?::([A-Za-z0-9_]{1,24}))?$", re.ASCII)
STATELESS = 0


class Flow(StrEnum):
    """The letter a flow's buttons start with: each letter names exactly one flow."""

    ACKNOWLEDGE = "a"  # "Received" on a directive
    BLOCKERS = "b"
    CHANNEL = "c"  # which account notices go to (/kenh)
    DIRECTIVE = "d"  # the composer's buttons and "Who has not acknowledged"
    EXTENSION = "g"
    INDICATORS = "i"
    RANKING = "k"
    LANGUAGE = "l"  # /ngonngu
    STAFF = "m"  # /canbo: roster changes by the standing office
    ASSIGN = "n"
    PROPOSALS = "p"
    REPORT = "r"
    TASKS = "t"
    REVIEW = "v"
    SUMMARY = "s"  # /tonghop: a unit's summary, the list of units
    OVERDUE = "o"  # /quahan: pages of overdue work


@dataclass(frozen=True)
class Payload:
    """A decoded button payload."""

    flow: Flow
    version: int
    action: str
    argument: str | None = None

    def encode(self) -> str:
        """The wire form."""
        tail = f":{self.argument}" if self.argument is not None else ""
        return f"{self.flow.value}:{self.version}:{self.action}{tail}"

    def choice(self, label: str) -> Choice:
        """A button with this payload."""
        return Choice(label, self.encode())

    def int_argument(self) -> int | None:
        """The argument as a non-negative integer, or None if it is not one."""
        arg = self.argument
        return (
            int(arg)
            if arg is not None and arg.isascii() and arg.isdigit() and len(arg) <= 9
            else None
        )


def decode(data: str | None) -> Payload | None:
    """Parse a payload; None for anything not of roviec's form or of no known flow."""
    if not data or len(data.encode()) > 64:
        return None
    match = _FORM.match(data)
    if match is None:
        return None
    letter, version, action, argument = match.groups()
    try:
        flow = Flow(letter)
    except ValueError:  # a letter no flow has
        return None
    return Payload(flow, int(version), action, argument)
