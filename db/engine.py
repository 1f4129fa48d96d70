"""The async engine and the one way to open a transaction."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from sqlalchemy import CursorResult, Result, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from db import sqlite
from db.sqlite import READ_ONLY


class Database:
    """An engine plus a session factory; `transaction()` is how services write."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        options: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            options["async_creator"] = sqlite.connector(make_url(url).database or ":memory:")
        else:
            options |= {"pool_size": 10, "max_overflow": 20, "pool_pre_ping": True}
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.is_sqlite:
            sqlite.configure(self.engine)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer; queueing writers here is cheaper than busy-waiting in the driver.
        self._sqlite_writer = asyncio.Lock() if self.is_sqlite else None

    @asynccontextmanager
    async def transaction(self, *, brief: bool = False) -> AsyncIterator[AsyncSession]:
        """Open a session inside one transaction, committed on success, rolled back on error.

        `brief`: a handful of quick statements (handling one update); on SQLite they run on
        the loop's thread while the write lock is held (see db.sqlite). Nothing long is brief.
        """
        if self._sqlite_writer is None:
            async with self.sessions() as session, session.begin():
                yield session
            return
        async with self._sqlite_writer:
            on_loop = sqlite.ON_LOOP.set(brief)
            try:
                async with self.sessions() as session, session.begin():
                    yield session
            finally:
                sqlite.ON_LOOP.reset(on_loop)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A read-only snapshot: on SQLite (WAL) it takes no write lock and waits for no writer."""
        # Closing (not rolling back) ends the read and keeps loaded objects readable.
        async with self.sessions() as session:
            await session.connection(execution_options={READ_ONLY: True})
            yield session

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def rowcount(result: Result[*tuple[Any, ...]]) -> int:
    """How many rows an UPDATE or DELETE matched.

    AsyncSession.execute is typed as returning a Result whatever the statement; for DML the
    object is a CursorResult, the kind that counts rows.
    """
    return cast("CursorResult[*tuple[Any, ...]]", result).rowcount
