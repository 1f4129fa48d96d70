"""Province-wide figures are reused for a short while, and computed once however many ask."""

from __future__ import annotations

import asyncio

from bot.web.dashboard.snapshots import Snapshots
from tests.harness import FakeClock


async def test_a_snapshot_is_reused_until_it_is_too_old(clock: FakeClock) -> None:
    snapshots, made = Snapshots(clock, 60), []

    async def make() -> int:
        made.append(clock())
        return len(made)

    first = await snapshots.get("province", make)
    clock.advance(seconds=59)
    again = await snapshots.get("province", make)
    clock.advance(seconds=1)
    later = await snapshots.get("province", make)
    assert [first[0], again[0], later[0]] == [1, 1, 2]
    assert again[1] == first[1] and later[1] == clock()


async def test_readers_at_once_wait_for_one_computation(clock: FakeClock) -> None:
    snapshots, started = Snapshots(clock, 60), []

    async def make() -> str:
        started.append(1)
        await asyncio.sleep(0.05)
        return "figures"

    answers = await asyncio.gather(*(snapshots.get("units", make) for _ in range(5)))
    assert started == [1] and {value for value, _ in answers} == {"figures"}


async def test_zero_seconds_computes_every_time(clock: FakeClock) -> None:
    snapshots, made = Snapshots(clock, 0), []

    async def make() -> int:
        made.append(1)
        return len(made)

    assert [(await snapshots.get("k", make))[0] for _ in range(3)] == [1, 2, 3]
