"""Fixtures: a real database (SQLite file, or PostgreSQL when reachable), a clock, the bot."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.config import Settings
from tests.harness import BotUnderTest, FakeClock, running_bot

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
_pg_reachable: bool | None = None


async def _postgres_reachable() -> bool:
    global _pg_reachable
    if _pg_reachable is None:
        import asyncpg

        try:
            connection = await asyncio.wait_for(asyncpg.connect(PG_ADMIN_URL), timeout=3)
            await connection.close()
            _pg_reachable = True
        except (OSError, TimeoutError, asyncpg.PostgresError):
            _pg_reachable = False
    return _pg_reachable


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'roviec.db'}"
        return
    if not await _postgres_reachable():
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}")
    import asyncpg

    name = f"roviec_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG_ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A SQLite file for tests that are about SQLite itself or need speed."""
    return f"sqlite+aiosqlite:///{tmp_path / 'roviec.db'}"


@pytest.fixture
def clock() -> FakeClock:
    """A clock the test moves by hand: Monday 16 November 2026, 09:00 in Hà Nội."""
    return FakeClock(datetime(2026, 11, 16, 2, 0, tzinfo=UTC))


def test_settings(database_url: str, **overrides: object) -> Settings:
    """Settings that read no .env file and no environment surprises."""
    values: dict[str, object] = {
        "database_url": database_url,
        "telegram_token": "123456:TEST-TOKEN",
        "poll_timeout_seconds": 1,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def bot(database_url: str, clock: FakeClock) -> AsyncIterator[BotUnderTest]:
    """roviec serving the fake Telegram, with a small province loaded."""
    async with running_bot(test_settings(database_url), clock) as running:
        yield running


test_settings.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test
