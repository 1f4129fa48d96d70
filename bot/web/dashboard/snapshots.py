"""Province-wide figures kept for a short while, so that a page of 5,000 units does not count
500,000 assignments again for every reader.

Each snapshot is computed by one request at a time (others wait for it) and reused until it
is `seconds` old; pages say when their figures were taken. `seconds` 0 computes every time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar, cast

T = TypeVar("T")


class Snapshots:
    """Values by key with the instant they were computed, reused within a time to live."""

    def __init__(self, clock: Callable[[], datetime], seconds: int) -> None:
        self.clock = clock
        self.ttl = timedelta(seconds=seconds)
        self._values: dict[str, tuple[datetime, object]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def _fresh(self, key: str) -> tuple[datetime, object] | None:
        """The stored value if it is young enough."""
        found = self._values.get(key)
        if found is None or not self.ttl or self.clock() - found[0] >= self.ttl:
            return None
        return found

    async def get(self, key: str, make: Callable[[], Awaitable[T]]) -> tuple[T, datetime]:
        """The value of `key` and when it was computed: stored, or made now by `make`."""
        found = self._fresh(key)
        if found is None:
            async with self._locks.setdefault(key, asyncio.Lock()):
                found = self._fresh(key)
                if found is None:
                    taken = self.clock()
                    found = (taken, await make())
                    if self.ttl:
                        self._values = {key: found, **self._fresh_others(key)}
        return cast(T, found[1]), found[0]

    def _fresh_others(self, key: str) -> dict[str, tuple[datetime, object]]:
        """The other stored values still young enough (old ones are dropped)."""
        return {k: v for k, v in self._values.items() if k != key and self._fresh(k)}
