"""`roviec run` as real processes that a test starts, kills and stops.

`python -m bot.cli run` spends one to two seconds importing before it serves (more on a
loaded two-core CI box): too long for a test that starts an instance fifty times. So the
instances are forked from multiprocessing's forkserver, which has imported roviec once;
each is then a process of its own that runs `bot.cli.main(["run"])`, exactly what the
`roviec` console script runs, with its settings in its environment. SIGKILL ends it at
once, wherever it is; SIGTERM asks for the clean stop of `roviec run`.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import sys
from dataclasses import dataclass
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from pathlib import Path

from tests.fakes.telegram_api import FakeTelegram

# What the forkserver imports once, so that a forked instance starts in milliseconds.
# "__main__" (pytest's script, which runs nothing when imported) spares each instance
# running it again as multiprocessing otherwise does in every child.
PRELOAD = [
    "__main__",
    "bot.cli",
    "bot.app",
    "bot.channels.telegram",
    "bot.web.server",
    "scheduler.dispatcher",
    "handlers.router",
    "db.migrate",
    "alembic.command",
    "asyncpg",
    "aiosqlite",
]
_context: ForkServerContext | None = None


def _forkserver() -> ForkServerContext:
    """This process's forkserver context, its imports set before it first starts."""
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(PRELOAD)
    return _context


def telegram_env(telegram: FakeTelegram, database_url: str, **settings: str) -> dict[str, str]:
    """The environment of an instance serving `telegram` on `database_url`: ROVIEC_ settings
    named in lower case without the prefix (listen="127.0.0.1:8081")."""
    env = {
        "ROVIEC_TELEGRAM_TOKEN": "123456:FAULT-TEST",
        "ROVIEC_TELEGRAM_API_URL": telegram.base_url,
        "ROVIEC_TELEGRAM_FILE_URL": telegram.base_file_url,
        "ROVIEC_DATABASE_URL": database_url,
        "ROVIEC_POLL_TIMEOUT_SECONDS": "1",
    }
    env.update({f"ROVIEC_{name.upper()}": value for name, value in settings.items()})
    return env


def _run(env: dict[str, str], log: str) -> None:
    """In the forked process: take the environment and the log file, then `roviec run`."""
    os.environ.update(env)
    with open(log, "ab") as file:  # a descriptor to put in place of 1 and 2
        os.dup2(file.fileno(), 1)
        os.dup2(file.fileno(), 2)
    from bot.cli import main

    sys.exit(main(["run"]))


@dataclass
class Instance:
    """One running `roviec run` process."""

    process: BaseProcess
    log: Path

    @property
    def pid(self) -> int:
        """The process id."""
        assert self.process.pid is not None
        return self.process.pid

    def alive(self) -> bool:
        """Whether the process still runs."""
        return self.process.is_alive()

    async def kill(self) -> None:
        """SIGKILL, and wait until the process is gone."""
        os.kill(self.pid, signal.SIGKILL)
        await self._gone(10)

    async def stop(self, seconds: float = 20) -> int | None:
        """SIGTERM (a clean stop), and wait; the exit code (None if it did not stop)."""
        if self.alive():
            os.kill(self.pid, signal.SIGTERM)
        await self._gone(seconds)
        return self.process.exitcode

    def tail(self, characters: int = 3000) -> str:
        """The end of the instance's log, for a failure's message."""
        return self.log.read_text(errors="replace")[-characters:] if self.log.exists() else ""

    async def _gone(self, seconds: float) -> None:
        """Wait (serving the test's event loop meanwhile) until the process has exited."""
        for _ in range(int(seconds / 0.01)):
            if not self.alive():
                self.process.join()
                return
            await asyncio.sleep(0.01)


def start_instance(env: dict[str, str], log: Path) -> Instance:
    """Fork a `roviec run` with this environment, logging to `log`."""
    process = _forkserver().Process(target=_run, args=(env, str(log)), daemon=True)
    process.start()
    return Instance(process, log)
