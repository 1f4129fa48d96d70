"""Fixtures: a real database (SQLite file, or PostgreSQL when reachable), a clock, the bot.

Which database a test runs on (the rule):

* A test that takes `database_url` (directly, or through `bot`) runs once on SQLite and once
  on PostgreSQL. Claims, SKIP LOCKED, upserts, migrations, concurrency and every service test
  stay on both: that is where the two databases differ.
* A conversation test through the bot that only tries input at one step (bad text, a file
  where text is expected or text where a file or a button is, forged button data that is
  refused, spellings of one answer) is marked `@pytest.mark.sqlite_only` and runs on SQLite
  alone: the input is judged before anything is written, so PostgreSQL adds nothing there.
  Stale or other people's buttons, role refusals, races and every happy path stay on both,
  so every flow still runs on PostgreSQL at least once.
* A test of what only PostgreSQL serves (several `roviec run` at once) takes `postgres_url`
  and runs on PostgreSQL alone.

The schema is migrated once per session (per xdist worker) and copied for each test: SQLite
tests get a copy of a migrated file; PostgreSQL tests share one migrated database per worker,
emptied before each test (about 0.03 s, where CREATE DATABASE … TEMPLATE and DROP DATABASE
per test cost about 0.7 s on this server, fsync on). `empty_database_url` is for
the tests of the migrations themselves: an empty database, as an operator starts from.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from db.engine import Database
from db.migrate import upgrade
from tests.commandline import CommandLine
from tests.harness import BotUnderTest, FakeClock, running_bot

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
_pg_reachable: bool | None = None

# Empty every table and restart every sequence, in one round trip: what a fresh migrated
# database looks like. Replica mode skips foreign-key triggers so the order does not matter
# (the test server's postgres role is a superuser).
PG_EMPTY = """
DO $$
DECLARE
    item record;
BEGIN
    SET LOCAL session_replication_role = replica;
    FOR item IN
        SELECT tablename FROM pg_tables
        WHERE schemaname = 'public' AND tablename <> 'alembic_version'
    LOOP
        EXECUTE format('DELETE FROM public.%I', item.tablename);
    END LOOP;
    FOR item IN SELECT sequencename, start_value FROM pg_sequences WHERE schemaname = 'public'
    LOOP
        PERFORM setval(format('public.%I', item.sequencename), item.start_value, false);
    END LOOP;
END $$;
"""


def pytest_configure(config: pytest.Config) -> None:
    """Keep the tests' files in memory where the machine has /dev/shm; skip loading CA files."""
    # Every SQLite commit waits for fsync (synchronous=FULL, as in production): milliseconds
    # on a disk, nothing on tmpfs. A killed process loses nothing either way (the page cache
    # outlives it), so the crash tests prove the same. --basetemp or the variable still win.
    shm = Path("/dev/shm")
    if (
        config.option.basetemp is None
        and "PYTEST_DEBUG_TEMPROOT" not in os.environ
        and shm.is_dir()
        and os.access(shm, os.W_OK)
    ):
        os.environ["PYTEST_DEBUG_TEMPROOT"] = str(shm)
    # The bot under test speaks plain HTTP to the fake Telegram on loopback, yet each of PTB's
    # two httpx clients loads the whole CA bundle named by SSL_CERT_FILE (60-100 ms per bot
    # start). No test uses TLS: point httpx at an empty certificate directory instead.
    no_certificates = Path(tempfile.gettempdir()) / "roviec-tests-no-ca"
    no_certificates.mkdir(exist_ok=True)
    os.environ["SSL_CERT_FILE"] = ""
    os.environ["SSL_CERT_DIR"] = str(no_certificates)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked slow go first, so that no xdist worker is left with one at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # a stable sort


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run database tests on SQLite and PostgreSQL, or SQLite alone when marked sqlite_only."""
    postgres = pytest.param("postgres", marks=pytest.mark.postgres)
    kinds = (
        ["sqlite"]
        if metafunc.definition.get_closest_marker("sqlite_only")
        else ["sqlite", postgres]
    )
    for name in ("database_url", "empty_database_url"):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, kinds, indirect=True)


async def _postgres_reachable() -> bool:
    """Whether the test PostgreSQL server answers (asked once per process)."""
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


async def _migrate(url: str) -> None:
    """Bring the database at `url` to the newest schema."""
    database = Database(url)
    try:
        await upgrade(database)
    finally:
        await database.dispose()


async def _create_pg_database() -> str:
    """A new, empty PostgreSQL database with a unique name (unique per xdist worker too)."""
    import asyncpg

    name = f"roviec_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        # Commits in this database do not wait for the WAL to reach the disk: what is lost
        # if the server itself crashes is a test database; no test sees the difference.
        await admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    finally:
        await admin.close()
    return name


async def _drop_pg_database(name: str) -> None:
    """Drop a test database, closing whatever is still connected to it."""
    import asyncpg

    admin = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per session (per xdist worker), to be copied by tests."""
    template = tmp_path_factory.mktemp("template") / "roviec.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{template}"))
    # One self-contained file: fold the WAL into it, so that a copy of the file alone is whole.
    with closing(sqlite3.connect(template)) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
    return template


def copy_sqlite_template(template: Path, target: Path) -> str:
    """Copy the migrated template to `target`; its URL."""
    shutil.copyfile(template, target)
    return f"sqlite+aiosqlite:///{target}"


class PostgresDatabase:
    """This worker's PostgreSQL database: created and migrated on first use, dropped at the end."""

    def __init__(self) -> None:
        self.name: str | None = None

    async def emptied(self) -> str:
        """The migrated database with every table emptied, as if it were new; its URL."""
        import asyncpg

        if self.name is None:
            name = await _create_pg_database()
            self.name = name  # set first, so that a failed migration is still dropped
            await _migrate(PG_URL.format(name=name))
        connection = await asyncpg.connect(PG_URL.format(name=self.name).replace("+asyncpg", ""))
        try:
            # A connection left by an earlier test (or a killed subprocess) must not hold locks.
            await connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            await connection.execute("SET lock_timeout = '10s'")
            await connection.execute(PG_EMPTY)
        finally:
            await connection.close()
        return PG_URL.format(name=self.name)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[PostgresDatabase]:
    """The session's PostgreSQL database (made lazily, inside a test's event loop)."""
    database = PostgresDatabase()
    yield database
    if database.name is not None:
        asyncio.run(_drop_pg_database(database.name))


@pytest.fixture
async def database_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    postgres_database: PostgresDatabase,
) -> str:
    """A database at the newest schema with no rows: a SQLite file, or PostgreSQL."""
    if request.param == "sqlite":
        return copy_sqlite_template(sqlite_template, tmp_path / "roviec.db")
    if not await _postgres_reachable():
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}")
    return await postgres_database.emptied()


@pytest.fixture
async def postgres_url(request: pytest.FixtureRequest, postgres_database: PostgresDatabase) -> str:
    """The PostgreSQL database alone, emptied, for what only PostgreSQL serves (several
    instances at once: on SQLite a second `roviec run` refuses to start)."""
    request.applymarker(pytest.mark.postgres)
    if not await _postgres_reachable():
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}")
    return await postgres_database.emptied()


@pytest.fixture
async def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database (no schema): a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'roviec.db'}"
        return
    if not await _postgres_reachable():
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}")
    name = await _create_pg_database()
    try:
        yield PG_URL.format(name=name)
    finally:
        await _drop_pg_database(name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite file for tests that are about SQLite itself or need speed."""
    return f"sqlite+aiosqlite:///{tmp_path / 'roviec.db'}"


@pytest.fixture
def migrated_sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A SQLite file already at the newest schema (a copy, not a migration run)."""
    return copy_sqlite_template(sqlite_template, tmp_path / "roviec.db")


@pytest.fixture
def command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> CommandLine:
    """`roviec ARGS` called in this process (see tests/commandline.py)."""
    return CommandLine(monkeypatch, capsys)


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
