"""What a scheduled job is: a name, when it fires, and what it does as of an instant.

Jobs are idempotent: they derive what is due from the database as of `now` and queue
messages with dedupe keys, so a second run, or a catch-up run after downtime, sends
nothing twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from apscheduler.triggers.cron import CronTrigger

from bot.config import Settings
from bot.services.dates.calendar import WorkCalendar
from db.engine import Database


@dataclass(frozen=True)
class JobContext:
    """What every job may use.

    A job computes what is due as of the `now` it is given, and queues its messages to go
    at `clock()`: the same instant when it fires on schedule, the real present when an
    operator runs it as of another instant (`roviec jobs run NAME --now T`), so that its
    messages neither wait until T nor hold up every later reply to those chats.
    """

    db: Database
    settings: Settings
    calendar: WorkCalendar
    clock: Callable[[], datetime]


JobFunction = Callable[[JobContext, datetime], Awaitable[int]]


@dataclass(frozen=True)
class Job:
    """A named job with its schedule; `run` returns how many new messages it queued."""

    name: str
    trigger: CronTrigger
    run: JobFunction
    description: str
