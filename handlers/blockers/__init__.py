"""/vuongmac (/blockers): the standing office works open blockers; leaders, forwarded ones."""

from __future__ import annotations

from handlers.blockers.conversation import begin, on_button

__all__ = [
    "begin",
    "on_button",
]
