"""Button payloads: short ASCII ids (Telegram allows 64 bytes), never text.

Form: `<flow>:<version>:<action>[:<argument>]`. The version is the conversation's
version when the button was shown, so a button from an earlier step is recognised as
stale. Everything in a payload is checked again on the server: it comes from the client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FORM = re.compile(r"^([a-z]{1,3}):(\d{1,9}):([a-z]{1,8})(?::([A-Za-z0-9_]{1,24}))?$")


@dataclass(frozen=True)
class Payload:
    """A decoded button payload."""

    flow: str
    version: int
    action: str
    argument: str | None = None

    def encode(self) -> str:
        """The wire form."""
        tail = f":{self.argument}" if self.argument is not None else ""
        return f"{self.flow}:{self.version}:{self.action}{tail}"

    def int_argument(self) -> int | None:
        """The argument as a non-negative integer, or None if it is not one."""
        arg = self.argument
        return int(arg) if arg is not None and arg.isdigit() and len(arg) <= 9 else None


def decode(data: str | None) -> Payload | None:
    """Parse a payload; None for anything not of roviec's form."""
    if not data or len(data.encode()) > 64:
        return None
    match = _FORM.match(data)
    if match is None:
        return None
    flow, version, action, argument = match.groups()
    return Payload(flow, int(version), action, argument)
