"""SQLite as roviec uses it: WAL, one writer, and brief write transactions run on the loop.

aiosqlite runs every call (cursor, execute, fetch, close: about four per statement) on its
own thread and hands the result back through the event loop. Under load each hand-back waits
for a full turn of the loop, and a write transaction holds SQLite's only write lock all the
while: measured with 200 officers reporting at once, a handler's transaction of ten
statements held the lock for 16-20 ms, of which about 3 ms was work. So inside a transaction
marked brief (`Database.transaction(brief=True)`), statements run directly on the loop's
thread. That is safe because the transaction already holds the write lock: in WAL mode no
other connection can make its statements wait. The calls that can wait stay on the driver's
thread: BEGIN IMMEDIATE (another process may hold the lock), COMMIT (it syncs to disk and
may checkpoint) and ROLLBACK.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

BUSY_TIMEOUT_MS = 10_000
READ_ONLY = "roviec_read_only"
# Set by Database.transaction(brief=True) for the task running that transaction.
ON_LOOP: ContextVar[bool] = ContextVar("roviec_sqlite_on_loop", default=False)
_MAY_WAIT = frozenset({"commit", "rollback", "close"})


class Connection(aiosqlite.Connection):
    """aiosqlite's connection, except that a brief transaction's statements run on the loop."""

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run `fn` here when the transaction is brief and the call cannot wait; else queue it."""
        if ON_LOOP.get():
            if not _may_wait(fn, args):
                return fn(*args, **kwargs)
            if _begins(args):
                began, result = self._begin_unless_busy(fn, args, kwargs)
                if began:
                    return result
        return await super()._execute(fn, *args, **kwargs)

    def _begin_unless_busy(
        self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[bool, Any]:
        """BEGIN here if the write lock is free now: (True, its result); (False, None) if
        another process holds it, and then the caller waits for it on the driver's thread.

        This process's writers already queue for Database's lock, so BEGIN IMMEDIATE finds
        the lock taken only by another process (a CLI command): handing every BEGIN to the
        driver's thread for that rare case cost a thread round trip per transaction.
        """
        connection = self._conn
        connection.execute("PRAGMA busy_timeout=0")
        try:
            return True, fn(*args, **kwargs)
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY:
                raise
            return False, None
        finally:
            connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _may_wait(fn: Callable[..., Any], args: tuple[Any, ...]) -> bool:
    """Whether a call may wait on another process or on the disk (BEGIN, COMMIT, ROLLBACK)."""
    if getattr(fn, "__name__", "") in _MAY_WAIT:
        # A cursor's close only frees the statement: sending it to the driver's thread cost
        # a thread hand-off per statement (10 % of the loop's time under load).
        return not isinstance(getattr(fn, "__self__", None), sqlite3.Cursor)
    return _begins(args)


def _begins(args: tuple[Any, ...]) -> bool:
    """Whether a call's statement is a BEGIN."""
    return bool(args) and isinstance(args[0], str) and args[0].lstrip()[:5].upper() == "BEGIN"


def connector(path: str) -> Callable[[], Awaitable[Connection]]:
    """What the engine calls for a new connection to the file at `path`."""

    async def connect() -> Connection:
        # The loop's thread uses the connection too, never at the same time as the driver's.
        connection = Connection(lambda: sqlite3.connect(path, check_same_thread=False), 64)
        await connection
        return connection

    return connect


def configure(engine: AsyncEngine) -> None:
    """WAL, full sync, foreign keys, a busy timeout, and BEGIN IMMEDIATE for every transaction."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so that we can emit BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so a transaction never fails half-way
        # with SQLITE_BUSY when it upgrades from reading to writing. Reads need no lock.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
