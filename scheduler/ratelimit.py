"""Telegram's flood limits, kept on our side so that the Bot API does not have to answer 429.

Three sliding windows: the whole bot (25 messages a second by default), each chat (one a
second) and each group chat (20 a minute; Telegram gives group chats negative ids). The
bot-wide limit belongs to the deployment: with several instances alive, each keeps its
share (`RateLimiter.share`), so together they keep the whole. A chat's messages go out
from one dispatcher at a time (see bot.services.outbox.due), so its own windows hold.

A send occupies its windows from the moment it starts until a full window after Telegram
answered it. Telegram counts a message somewhere between those two moments, and we
cannot know where; counting from the answer is the one way to be sure that no window ever
holds too many, whatever the network delay. It costs one round trip per window's worth
of messages (about 2 % at a 20 ms round trip).

The clock and the sleep are injectable, and `time_scale` says how many real seconds one of
Telegram's seconds lasts, so tests and benchmarks can run Telegram's timing faster.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.config import Settings

PRUNE_EVERY = 1000  # answers between sweeps that forget chats gone quiet


@dataclass(frozen=True)
class Limits:
    """How fast one bot may send; rates are in Telegram's seconds, scaled by `time_scale`."""

    overall_per_second: float = 25.0
    per_chat_per_second: float = 1.0
    per_group_per_minute: float = 20.0
    time_scale: float = 1.0

    @classmethod
    def from_settings(cls, settings: Settings, time_scale: float = 1.0) -> Limits:
        """The limits an operator configured."""
        return cls(
            overall_per_second=settings.rate_overall_per_second,
            per_chat_per_second=settings.rate_per_chat_per_second,
            per_group_per_minute=settings.rate_per_group_per_minute,
            time_scale=time_scale,
        )


class Window:
    """At most `capacity` sends in any `span` seconds, each counted until `span` after its end."""

    def __init__(self, capacity: int, span: float) -> None:
        self.capacity, self.span = capacity, span
        self.ends: deque[float] = deque()  # when recent sends were answered, oldest first
        self.open = 0  # sends not answered yet

    @classmethod
    def per(cls, rate: float, period: float, time_scale: float) -> Window:
        """A window for `rate` sends per `period` (below one per period: a longer span).

        Never a span shorter than `period`: 12 sends in 0.96 s would let 24 into some second.
        """
        capacity = max(1, math.floor(rate))
        return cls(capacity, max(period, capacity / rate * period) * time_scale)

    def wait(self, moment: float) -> float | None:
        """Seconds until one more send fits: 0 if it fits now, None until a send is answered."""
        while self.ends and moment - self.ends[0] >= self.span:
            self.ends.popleft()
        if len(self.ends) + self.open < self.capacity:
            return 0.0
        if self.ends:
            return self.span - (moment - self.ends[0])
        return None

    def begin(self) -> None:
        """A send starts."""
        self.open += 1

    def end(self, moment: float) -> None:
        """A send was answered at `moment`."""
        self.open = max(0, self.open - 1)
        self.ends.append(moment)

    def busy(self, moment: float) -> int:
        """Sends that still count: unanswered, or answered within the last span."""
        return self.open + sum(1 for end in self.ends if moment - end < self.span)


class RateLimiter:
    """Makes each send wait until it keeps every limit; one per channel that has limits."""

    def __init__(
        self,
        limits: Limits,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.limits = limits
        self._clock, self._sleep = clock, sleep
        self._overall = Window.per(limits.overall_per_second, 1.0, limits.time_scale)
        self._chats: dict[str, tuple[Window, ...]] = {}
        self._turn = asyncio.Lock()  # first come, first served for the bot-wide window
        self._answered = asyncio.Event()
        self._paused_until = 0.0
        self._answers = 0
        self.instances = 1  # how many instances share the bot-wide limit

    def share(self, instances: int) -> None:
        """Keep 1/`instances` of the bot-wide limit, so that the instances together keep it."""
        instances = max(1, instances)
        if instances == self.instances:
            return
        rate = self.limits.overall_per_second / instances
        shared = Window.per(rate, 1.0, self.limits.time_scale)
        shared.ends, shared.open = self._overall.ends, self._overall.open  # sends under way
        self._overall, self.instances = shared, instances

    def scaled(self, seconds: float) -> float:
        """Real seconds for this many of Telegram's seconds."""
        return seconds * self.limits.time_scale

    async def acquire(self, chat_key: str, *, reply: bool = False) -> None:
        """Wait until one more message to this chat keeps every limit, and count it as started.

        A `reply` (an answer to what the person just did, in a private chat) still counts in
        the chat's window but does not wait for it: a person cannot make the bot answer faster
        than they act, Telegram tolerates such short bursts, and making a person wait a second
        for each answer would make every conversation feel slow. Group chats always wait.
        """
        windows = self._windows(chat_key)
        own = windows if not reply or _is_group(chat_key) else ()
        while True:
            # Wait for the chat's own windows without holding up other chats.
            if await self._waited(_longest(own, self._clock())):
                continue
            async with self._turn:
                while True:
                    now = self._clock()
                    overall = self._overall.wait(now)
                    pause = self._paused_until - now
                    if not await self._waited(None if overall is None else max(pause, overall)):
                        break
                if _longest(own, now) != 0:
                    continue  # another send to this chat got in while we waited
                self._overall.begin()
                for window in windows:
                    window.begin()
                return

    def release(self, chat_key: str) -> None:
        """The send to this chat has been answered (or has failed): count it from now."""
        now = self._clock()
        self._overall.end(now)
        for window in self._windows(chat_key):
            window.end(now)
        self._answered.set()
        self._answered = asyncio.Event()
        self._answers += 1
        if self._answers % PRUNE_EVERY == 0:
            self._prune(now)

    def pause(self, seconds: float) -> None:
        """Start nothing at all for this many of Telegram's seconds (a flood wait)."""
        self._paused_until = max(self._paused_until, self._clock() + self.scaled(seconds))

    def is_flood(self, chat_key: str, retry_after: float) -> bool:
        """Whether a 429 for this chat throttles the whole bot rather than just this chat.

        It is the chat's own limit if we had sent to the chat shortly before this message;
        otherwise the bot as a whole went too fast.
        """
        now = self._clock()
        return not any(w.busy(now) > 1 for w in self._chats.get(chat_key, ()))

    async def _waited(self, wait: float | None) -> bool:
        """Sleep `wait` seconds, or until the next answer if None; whether there was a wait."""
        if wait is None:
            await self._answered.wait()
            return True
        if wait > 0:
            await self._sleep(wait)
            return True
        return False

    def _windows(self, chat_key: str) -> tuple[Window, ...]:
        windows = self._chats.get(chat_key)
        if windows is None:
            scale = self.limits.time_scale
            windows = (Window.per(self.limits.per_chat_per_second, 1.0, scale),)
            if _is_group(chat_key):
                windows += (Window.per(self.limits.per_group_per_minute, 60.0, scale),)
            self._chats[chat_key] = windows
        return windows

    def _prune(self, now: float) -> None:
        """Forget chats whose windows are empty again, so memory follows the active chats."""
        for key in [key for key, windows in self._chats.items() if _quiet(windows, now)]:
            del self._chats[key]


def _is_group(chat_key: str) -> bool:
    """Whether a Telegram chat is a group, supergroup or channel (they have negative ids)."""
    return chat_key.startswith("-")


def _longest(windows: tuple[Window, ...], moment: float) -> float | None:
    """The longest of the windows' waits (None: until an answer comes)."""
    waits = [window.wait(moment) for window in windows]
    return None if None in waits else max((w for w in waits if w is not None), default=0.0)


def _quiet(windows: tuple[Window, ...], moment: float) -> bool:
    """Whether none of these windows counts a send any more."""
    return all(window.busy(moment) == 0 for window in windows)
