"""/giahan (/extend): ask for a later deadline; the standing office approves or refuses."""

from __future__ import annotations

from handlers.extensions.conversation import on_answer, on_button

__all__ = [
    "on_answer",
    "on_button",
]
