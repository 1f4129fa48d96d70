"""Trying again what the outside world refuses for now: a database or a platform at start.

Invariants: each failed attempt is one log line (what, why in a word, when the next try
is), never a traceback; the wait doubles up to a cap; a stop ends the waiting at once; a
:class:`Refused` (credentials the platform rejects) is not retried, because waiting cannot
fix it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)
FIRST_WAIT = 1.0
LONGEST_WAIT = 60.0


class Refused(Exception):
    """The platform or database refused our credentials: an operator must change them."""


async def keep_trying(
    what: str,
    attempt: Callable[[], Awaitable[object]],
    stop: asyncio.Event,
    *,
    first: float = FIRST_WAIT,
    longest: float = LONGEST_WAIT,
    level: int = logging.WARNING,
) -> bool:
    """Await `attempt` until it succeeds (True), or until `stop` is set (False)."""
    wait, tries = first, 0
    while not stop.is_set():
        tries += 1
        try:
            await attempt()
            return True
        except Refused:
            raise
        except Exception as error:
            log.log(level, "%s failed (%s); try %d again in %.0f s", what, _why(error), tries, wait)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=wait)
        wait = min(longest, wait * 2)
    return False


def _why(error: BaseException) -> str:
    """The error in a few words: its type and first line, never a traceback."""
    cause = getattr(error, "orig", None) or error
    first_line = (str(cause).splitlines() or [""])[0][:160]
    name = type(cause).__name__
    return f"{name}: {first_line}" if first_line else name
