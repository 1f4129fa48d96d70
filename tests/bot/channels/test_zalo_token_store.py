"""The Zalo OA's tokens in the database: seeded once, renewed once by any number of
instances, and never lost, even by a process killed right after a renewal."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.channels.zalo import DatabaseTokenStore, OAToken, ZaloOAChannel, ZaloOAClient
from db.engine import Database
from tests.conftest import copy_sqlite_template
from tests.fakes.zalo_oa_api import APP_ID, SECRET_KEY, FakeZaloOA


@pytest.fixture
async def oa() -> AsyncIterator[FakeZaloOA]:
    """The fake OA and its OAuth endpoint."""
    async with FakeZaloOA() as fake:
        yield fake


def _clock() -> datetime:
    return datetime.now(UTC)


async def _instance(database_url: str, oa: FakeZaloOA) -> tuple[Database, ZaloOAChannel]:
    """One roviec instance's view of the OA: its own database pool, store and client."""
    db = Database(database_url)
    client = ZaloOAClient(oa.base_url, oa.base_url, clock=_clock)
    tokens = DatabaseTokenStore(db, _clock)
    channel = ZaloOAChannel(client, tokens, app_id=APP_ID, secret_key=SECRET_KEY, clock=_clock)
    return db, channel


async def test_the_first_refresh_token_is_seeded_once(database_url: str, oa: FakeZaloOA) -> None:
    first = str(oa.issue_tokens()["refresh_token"])
    db, channel = await _instance(database_url, oa)
    store = DatabaseTokenStore(db, _clock)

    assert await store.seed(first)
    renewed = await channel.load_token()  # the seeded row has no access token: renew
    assert not await DatabaseTokenStore(db, _clock).seed(first)  # a restart keeps the newer

    assert (await DatabaseTokenStore(db, _clock).load()) == renewed
    assert renewed.refresh_token != first
    await channel.close()
    await db.dispose()


async def test_a_new_token_from_the_operator_replaces_the_stored_ones(
    database_url: str, oa: FakeZaloOA
) -> None:
    db, channel = await _instance(database_url, oa)
    await DatabaseTokenStore(db, _clock).seed(str(oa.issue_tokens()["refresh_token"]))
    await channel.load_token()
    again = str(oa.issue_tokens()["refresh_token"])  # the OA was authorized again

    assert await DatabaseTokenStore(db, _clock).seed(again)

    assert (await DatabaseTokenStore(db, _clock).load()).refresh_token == again
    await channel.close()
    await db.dispose()


async def test_two_instances_that_find_the_token_expired_renew_it_once(
    database_url: str, oa: FakeZaloOA
) -> None:
    first_db, first = await _instance(database_url, oa)
    second_db, second = await _instance(database_url, oa)
    await DatabaseTokenStore(first_db, _clock).seed(str(oa.issue_tokens()["refresh_token"]))

    one, other = await asyncio.gather(first.load_token(), second.load_token())

    assert one == other
    assert len(oa.refreshes) == 1 and "error" not in oa.refreshes[0]["answer"]
    for db, channel in ((first_db, first), (second_db, second)):
        await channel.close()
        await db.dispose()


async def test_tokens_that_cannot_be_saved_are_reported_as_critical(
    tmp_path: Path, sqlite_template: Path, oa: FakeZaloOA, caplog: pytest.LogCaptureFixture
) -> None:
    url = copy_sqlite_template(sqlite_template, tmp_path / "roviec.db")
    db, channel = await _instance(url, oa)
    await DatabaseTokenStore(db, _clock).seed(str(oa.issue_tokens()["refresh_token"]))
    async with db.transaction() as session:  # the disk refuses every later change of the row
        await session.execute(
            text(
                "CREATE TRIGGER frozen BEFORE UPDATE ON channelstate "
                "BEGIN SELECT RAISE(ABORT, 'disk refused'); END"
            )
        )

    with caplog.at_level(logging.CRITICAL), pytest.raises(Exception, match="disk refused"):
        await channel.load_token()

    assert len(oa.refreshes) == 1  # Zalo did rotate: the operator must know
    assert [r.levelname for r in caplog.records] == ["CRITICAL"]
    assert "renewed but could not be saved" in caplog.records[0].getMessage()
    await channel.close()
    await db.dispose()


RENEW_AND_DIE = """
import asyncio, os, signal, sys
from datetime import UTC, datetime
from bot.channels.zalo import DatabaseTokenStore, ZaloOAChannel, ZaloOAClient
from db.engine import Database

async def main(url, base, app_id, secret):
    clock = lambda: datetime.now(UTC)
    db = Database(url)
    client = ZaloOAClient(base, base, clock=clock)
    channel = ZaloOAChannel(
        client, DatabaseTokenStore(db, clock), app_id=app_id, secret_key=secret, clock=clock
    )
    token = await channel.load_token()
    print(token.refresh_token, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # no clean shutdown, no second chance

asyncio.run(main(*sys.argv[1:]))
"""


async def test_a_token_rotated_just_before_a_kill_is_used_by_the_next_process(
    database_url: str, oa: FakeZaloOA
) -> None:
    db = Database(database_url)
    await DatabaseTokenStore(db, _clock).seed(str(oa.issue_tokens()["refresh_token"]))

    killed = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", RENEW_AND_DIE, database_url, oa.base_url, APP_ID, SECRET_KEY],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    rotated = killed.stdout.strip()

    stored = await DatabaseTokenStore(db, _clock).load()
    assert stored.refresh_token == rotated
    assert isinstance(stored, OAToken) and stored.access_token
    await db.dispose()
