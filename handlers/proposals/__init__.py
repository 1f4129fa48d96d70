"""/kiennghi (/proposals): the standing office answers the proposals units raised."""

from __future__ import annotations

from handlers.proposals.conversation import FLOW, NAME, begin, on_answer, on_button

__all__ = ["FLOW", "NAME", "begin", "on_answer", "on_button"]
