"""/chitieu (/indicators): report an indicator value for the current period."""

from __future__ import annotations

from handlers.indicators.conversation import begin, on_button
from handlers.indicators.entry import read_whole

__all__ = [
    "begin",
    "on_button",
    "read_whole",
]
