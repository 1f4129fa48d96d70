"""/chidao (/directive): compose a directive, and the buttons that follow it."""

from __future__ import annotations

from handlers.directives.conversation import begin, on_answer, on_button

__all__ = [
    "begin",
    "on_answer",
    "on_button",
]
