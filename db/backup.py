"""Backing up and restoring a SQLite database while roviec runs (PostgreSQL: pg_dump).

A backup is SQLite's own online copy (`VACUUM INTO`): one read transaction, so it is a
consistent snapshot however many writes go on meanwhile, compacted, with no WAL to carry.
The copy is checked with `PRAGMA integrity_check` before it is called a backup. A restore
refuses while an instance holds the database (see `db.instance`) and checks the file first:
a restored database that is corrupt, or newer than this version of roviec, is worse than none.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from db.instance import instance_lock

POSTGRES_ADVICE = (
    "this database is PostgreSQL: back it up with pg_dump -Fc (and restore with pg_restore); "
    "see the README, Backups"
)


class BackupError(Exception):
    """A backup or restore that cannot be made, with the reason in one line."""


def sqlite_file(database_url: str) -> Path:
    """The database file of a SQLite URL; BackupError for any other database."""
    url = make_url(database_url)
    if not url.get_backend_name().startswith("sqlite"):
        raise BackupError(POSTGRES_ADVICE)
    if url.database in (None, "", ":memory:"):
        raise BackupError("an in-memory database cannot be backed up")
    return Path(url.database).resolve()


def back_up(database_url: str, target: Path) -> int:
    """Copy the live database to `target` (which must not exist) and check it; its size."""
    source = sqlite_file(database_url)
    if not source.exists():
        raise BackupError(f"there is no database at {source}")
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file")
    with closing(sqlite3.connect(source, timeout=30)) as connection:
        connection.execute("VACUUM INTO ?", (str(target),))
    problem = _problem_of(target, None)
    if problem is not None:
        target.unlink(missing_ok=True)
        raise BackupError(f"the copy failed its check: {problem}")
    return target.stat().st_size


def restore(database_url: str, backup: Path, known_revisions: set[str]) -> str:
    """Put `backup` in place of the database, unless roviec runs on it; the backup's revision."""
    target = sqlite_file(database_url)
    if not backup.is_file():
        raise BackupError(f"there is no backup file at {backup}")
    problem = _problem_of(backup, known_revisions)
    if problem is not None:
        raise BackupError(f"{backup} cannot be restored: {problem}")
    with instance_lock(database_url):  # AlreadyRunning while `roviec run` holds the file
        staging = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(backup, staging)
        with open(staging, "rb") as written:
            os.fsync(written.fileno())
        for leftover in ("-wal", "-shm"):  # the old database's log must not replay onto the new
            target.with_name(target.name + leftover).unlink(missing_ok=True)
        os.replace(staging, target)
    return _revision_of(target) or ""


def _problem_of(path: Path, known_revisions: set[str] | None) -> str | None:
    """Why the file is not a sound roviec database (None if it is)."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        return f"not a SQLite database ({error})"
    if verdict != "ok":
        return f"integrity check says {verdict}"
    revision = _revision_of(path)
    if revision is None:
        return "it is not a roviec database (no schema revision)"
    if known_revisions is not None and revision not in known_revisions:
        return f"its schema revision {revision} is unknown to this version of roviec"
    return None


def _revision_of(path: Path) -> str | None:
    """The Alembic revision recorded in a database file, if any."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None
