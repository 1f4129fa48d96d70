"""Province-wide figures kept for a short while, so that a page of 5,000 units does not count
500,000 assignments again for every reader.

A snapshot is computed by one request at a time (others wait for it). Until it is `seconds`
old it is served as it is; after that it is still served at once while a fresh one is
computed in the background, unless it is older than `STALE_FACTOR` times that (then the
reader waits for the fresh one). Pages say when their figures were taken. `seconds` 0
computes every time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar, cast

log = logging.getLogger(__name__)
T = TypeVar("T")
STALE_FACTOR = 10


class Snapshots:
    """Values by key with the instant they were computed, refreshed after a time to live."""

    def __init__(self, clock: Callable[[], datetime], seconds: int) -> None:
        self.clock = clock
        self.ttl = timedelta(seconds=seconds)
        self._values: dict[str, tuple[datetime, object]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._refreshing: dict[str, asyncio.Task[None]] = {}

    def _age(self, key: str) -> timedelta | None:
        """How old the stored value is (None: there is none)."""
        found = self._values.get(key)
        return None if found is None else self.clock() - found[0]

    async def _make(self, key: str, make: Callable[[], Awaitable[object]]) -> None:
        """Compute the value under the key's lock, unless another reader just did."""
        async with self._locks.setdefault(key, asyncio.Lock()):
            age = self._age(key)
            if age is not None and age < self.ttl:
                return
            taken = self.clock()
            value = await make()
            self._values = {
                k: v
                for k, v in self._values.items()
                if self.clock() - v[0] < STALE_FACTOR * self.ttl
            }
            self._values[key] = (taken, value)

    async def _refresh(self, key: str, make: Callable[[], Awaitable[object]]) -> None:
        """A background refresh; its failure is logged, the old value stays."""
        try:
            await self._make(key, make)
        except Exception as error:
            log.warning("dashboard: figures %s not refreshed (%s)", key, type(error).__name__)
        finally:
            self._refreshing.pop(key, None)

    def warm(self, key: str, make: Callable[[], Awaitable[object]]) -> None:
        """Start computing `key` in the background unless it is fresh or under way."""
        age = self._age(key)
        if not self.ttl or (age is not None and age < self.ttl) or key in self._refreshing:
            return
        self._refreshing[key] = asyncio.create_task(self._refresh(key, make))

    async def get(self, key: str, make: Callable[[], Awaitable[T]]) -> tuple[T, datetime]:
        """The value of `key` and when it was computed: stored, or made now by `make`."""
        if not self.ttl:
            return await make(), self.clock()
        age = self._age(key)
        if age is None or age >= STALE_FACTOR * self.ttl:
            await self._make(key, make)
        elif age >= self.ttl and key not in self._refreshing:
            self._refreshing[key] = asyncio.create_task(self._refresh(key, make))
        taken, value = self._values[key]
        return cast(T, value), taken
