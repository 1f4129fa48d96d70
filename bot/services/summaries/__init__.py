"""How a unit or the province stands right now, on demand (/tonghop): the same figures as
the digest, the chart, /xephang and the export, from `bot.services.figures`."""

from __future__ import annotations

from bot.services.summaries.standing import Summary, Waiting, summarize, units_with_work

__all__ = ["Summary", "Waiting", "summarize", "units_with_work"]
