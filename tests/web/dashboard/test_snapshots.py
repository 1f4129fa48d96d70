"""Province-wide figures are reused for a short while, and computed once however many ask."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.web.dashboard.snapshots import Snapshots
from tests.harness import FakeClock


def _counter() -> Callable[[], Awaitable[int]]:
    """A computation that answers how many times it has run."""
    made: list[int] = []

    async def make() -> int:
        made.append(1)
        return len(made)

    return make


async def test_a_snapshot_is_reused_then_refreshed_behind_the_reader(clock: FakeClock) -> None:
    snapshots = Snapshots(clock, 60)
    make = _counter()
    first = await snapshots.get("province", make)
    clock.advance(seconds=59)
    again = await snapshots.get("province", make)
    clock.advance(seconds=1)
    stale = await snapshots.get("province", make)  # served at once, refreshed meanwhile
    await asyncio.sleep(0.01)
    fresh = await snapshots.get("province", make)
    assert [first[0], again[0], stale[0], fresh[0]] == [1, 1, 1, 2]
    assert stale[1] == first[1] and fresh[1] == clock()


async def test_a_snapshot_far_too_old_is_waited_for(clock: FakeClock) -> None:
    snapshots = Snapshots(clock, 60)
    make = _counter()
    await snapshots.get("units", make)
    clock.advance(minutes=10)
    value, taken = await snapshots.get("units", make)
    assert value == 2 and taken == clock()


async def test_readers_at_once_wait_for_one_computation(clock: FakeClock) -> None:
    snapshots, started = Snapshots(clock, 60), []

    async def make() -> str:
        started.append(1)
        await asyncio.sleep(0.05)
        return "figures"

    answers = await asyncio.gather(*(snapshots.get("units", make) for _ in range(5)))
    assert started == [1] and {value for value, _ in answers} == {"figures"}


async def test_zero_seconds_computes_every_time(clock: FakeClock) -> None:
    snapshots = Snapshots(clock, 0)
    make = _counter()
    assert [(await snapshots.get("k", make))[0] for _ in range(3)] == [1, 2, 3]


async def test_warming_counts_in_the_background_once(clock: FakeClock) -> None:
    snapshots = Snapshots(clock, 60)
    make = _counter()
    snapshots.warm("province", make)
    snapshots.warm("province", make)  # already under way
    await asyncio.sleep(0.01)
    snapshots.warm("province", make)  # fresh
    assert (await snapshots.get("province", make))[0] == 1
