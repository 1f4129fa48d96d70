"""One running instance per SQLite file: a second `roviec run` on it refuses to start.

SQLite serves one process well and two badly (both would poll the same bot, and each
keeps its own rate limits). The lock is an advisory `flock` on a file beside the
database: the kernel releases it when the holder dies, however it dies, so a crash never
leaves a stale lock behind. PostgreSQL deployments run several instances and take none.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url


class AlreadyRunning(Exception):
    """Another process holds the instance lock of this SQLite database."""

    def __init__(self, database: Path) -> None:
        self.database = database
        super().__init__(
            f"another roviec instance is already running on {database}; stop it first "
            "(several instances need PostgreSQL)"
        )


def lock_path(database_url: str) -> Path | None:
    """The lock file of a SQLite database file; None where no lock is needed."""
    url = make_url(database_url)
    if not url.get_backend_name().startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    database = Path(url.database).resolve()
    return database.with_name(database.name + ".lock")


@contextmanager
def instance_lock(database_url: str) -> Iterator[None]:
    """Hold the instance lock for the duration; AlreadyRunning if another process has it."""
    path = lock_path(database_url)
    if path is None:
        yield
        return
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(path.with_suffix("")) from None
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
