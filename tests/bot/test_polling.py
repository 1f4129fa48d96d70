"""Polling from one instance at a time: the lease passes on when its holder dies."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.channels.webhook import Hook
from bot.polling import poll_while_leased
from bot.services import leases
from db.engine import Database
from db.migrate import upgrade
from tests.harness import FakeClock

TTL = timedelta(seconds=0.3)


class RecordingPoller:
    """A platform that only notes who polls it when, and how many poll at once."""

    name = "fakeplatform"

    def __init__(self, log: list[str], label: str, active: list[str]) -> None:
        self.log, self.label, self.active = log, label, active

    def hook(self, secret: str) -> Hook:
        raise NotImplementedError  # only polled here

    async def use_webhook(self, public_url: str, secret: str) -> None:
        raise NotImplementedError

    async def poll(
        self,
        db: Database,
        clock: Callable[[], datetime],
        stored: Callable[[], None],
        stop: asyncio.Event,
    ) -> None:
        self.active.append(self.label)
        self.log.append(f"{self.label} starts with {len(self.active)} polling")
        try:
            await stop.wait()
        finally:
            self.active.remove(self.label)

    async def close(self) -> None:
        pass


def _poller(
    name: str,
    db: Database,
    clock: FakeClock,
    stop: asyncio.Event,
    log: list[str],
    active: list[str],
) -> asyncio.Task[None]:
    """An instance named `name` running its poll loop against the fake platform."""
    platform = RecordingPoller(log, name, active)
    return asyncio.create_task(
        poll_while_leased(platform, db, clock, lambda: None, stop, holder=name, ttl=TTL)
    )


async def test_of_two_live_instances_one_polls_and_a_clean_stop_hands_over(
    database_url: str, clock: FakeClock
) -> None:
    await upgrade(setup := Database(database_url))
    await setup.dispose()
    log: list[str] = []
    active: list[str] = []
    dbs = [Database(database_url) for _ in range(2)]
    stops = [asyncio.Event(), asyncio.Event()]
    runs = [
        _poller(n, db, clock, s, log, active) for n, db, s in zip("ab", dbs, stops, strict=True)
    ]
    await asyncio.sleep(0.5)  # several renewals each
    assert log in (["a starts with 1 polling"], ["b starts with 1 polling"])
    first = "ab".index(log[0][0])

    stops[first].set()  # a clean stop releases the lease: the other takes it at its next try
    await runs[first]
    await asyncio.sleep(0.3)
    assert log[-1] == f"{'ab'[1 - first]} starts with 1 polling"
    stops[1 - first].set()
    await runs[1 - first]
    async with dbs[0].read() as session:
        assert await leases.holder_of(session, "poll:fakeplatform") is None
    for db in dbs:
        await db.dispose()


async def test_a_dead_holders_lease_is_taken_over_once_it_expires(
    database_url: str, clock: FakeClock
) -> None:
    db = Database(database_url)
    await upgrade(db)
    async with db.transaction() as session:  # an instance that took the lease, then was killed
        assert await leases.hold(session, "poll:fakeplatform", "killed", clock(), TTL)
    log: list[str] = []
    stop = asyncio.Event()
    run = _poller("b", db, clock, stop, log, [])
    await asyncio.sleep(0.4)
    assert log == []  # the lease has not expired yet: b waits
    clock.advance(seconds=TTL.total_seconds() * 2)
    await asyncio.sleep(0.4)
    assert log == ["b starts with 1 polling"]
    stop.set()
    await run
    await db.dispose()
