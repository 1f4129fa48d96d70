"""The dispatcher's own flood limits, on a clock the test moves (nothing sleeps for real)."""

from __future__ import annotations

import asyncio
import re

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.base import Choice, Outbound, split_text, text_length
from scheduler.ratelimit import Limits, RateLimiter


class SteppingClock:
    """Monotonic time that moves only when someone sleeps or the test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def limiter(clock: SteppingClock, **limits: float) -> RateLimiter:
    return RateLimiter(Limits(**limits), clock=clock, sleep=clock.sleep)


async def send(limiter: RateLimiter, clock: SteppingClock, chat: str, answer: float = 0.0) -> float:
    """One message: wait for a turn, then Telegram answers after `answer` seconds."""
    await limiter.acquire(chat)
    started = clock()
    clock.now += answer
    limiter.release(chat)
    return started


async def test_a_reminder_to_sixty_people_goes_out_at_twenty_five_a_second() -> None:
    clock = SteppingClock()
    bot = limiter(clock)
    starts = [await send(bot, clock, str(1000 + n)) for n in range(60)]
    assert max(sum(1 for s in starts if t <= s < t + 1) for t in starts) <= 25
    assert (starts[24], starts[25], starts[50]) == (0, 1, 2)  # as fast as the window allows


async def test_one_chat_gets_a_message_a_second_counted_from_telegrams_answer() -> None:
    clock = SteppingClock()
    bot = limiter(clock)
    first = await send(bot, clock, "501", answer=0.3)
    second = await send(bot, clock, "501")
    assert second - first >= 1.3


async def test_a_group_chat_gets_twenty_messages_a_minute() -> None:
    clock = SteppingClock()
    bot = limiter(clock)
    starts = [await send(bot, clock, "-100200") for _ in range(21)]
    assert starts[19] < 20  # one a second while the minute has room
    assert starts[20] - starts[0] >= 60


async def test_waiting_chats_do_not_hold_up_the_others() -> None:
    clock = SteppingClock()
    bot = limiter(clock)
    await send(bot, clock, "501")
    other = await send(bot, clock, "502")  # 501 must wait a second; 502 need not
    assert other < 0.5


async def test_a_flood_wait_pauses_every_chat() -> None:
    clock = SteppingClock()
    bot = limiter(clock)
    await send(bot, clock, "501")
    assert bot.is_flood("501", 30)  # this chat had nothing else: the whole bot was too fast
    bot.pause(30)
    assert await send(bot, clock, "777") >= 30


async def test_a_429_in_a_busy_group_is_that_groups_own() -> None:
    clock = SteppingClock()
    bot = limiter(clock)
    for _ in range(3):
        await send(bot, clock, "-100200")
    assert not bot.is_flood("-100200", 40)
    assert bot.is_flood("-100300", 40)  # a group we had not written to: the whole bot


async def test_answers_to_a_person_do_not_wait_for_the_chats_second() -> None:
    clock = SteppingClock()
    bot = limiter(clock)
    await send(bot, clock, "501")
    await bot.acquire("501", reply=True)  # the person pressed a button: answer at once
    assert clock() < 0.2
    bot.release("501")
    reminder = await send(bot, clock, "501")  # but what the bot sends unasked still waits
    assert reminder >= 1.0


async def test_answers_in_a_group_still_keep_the_groups_limits() -> None:
    clock = SteppingClock()
    bot = limiter(clock)
    await send(bot, clock, "-100200")
    await bot.acquire("-100200", reply=True)
    assert clock() >= 1.0


async def test_the_time_scale_makes_telegrams_second_shorter() -> None:
    clock = SteppingClock()
    bot = limiter(clock, time_scale=0.01)
    first = await send(bot, clock, "501")
    second = await send(bot, clock, "501")
    assert 0.01 <= second - first < 0.02
    assert bot.scaled(30) == 0.3


async def test_a_send_without_an_answer_yet_keeps_its_place_in_the_window() -> None:
    clock = SteppingClock()
    bot = limiter(clock, overall_per_second=2)
    await bot.acquire("1")
    await bot.acquire("2")  # two sends in flight fill the window of two
    third = asyncio.create_task(bot.acquire("3"))
    await asyncio.sleep(0.01)
    assert not third.done()  # however long it waits, only an answer makes room
    clock.now += 0.2
    bot.release("1")
    await third
    assert clock() >= 0.2 + 1.0  # a full window after that answer


def test_a_long_text_is_cut_at_paragraphs_first() -> None:
    text = "A" * 1000 + "\n\n" + "B" * 1000 + "\n" + "C" * 3000
    assert split_text(text, 4096) == ["A" * 1000, "B" * 1000 + "\n" + "C" * 3000]
    text = "A" * 3000 + "\n" + "B" * 3000
    assert split_text(text, 4096) == ["A" * 3000, "B" * 3000]


def test_a_text_without_breaks_is_cut_hard_and_emoji_count_twice() -> None:
    text = "😀" * 3000  # 6000 UTF-16 units
    pieces = split_text(text, 4096)
    assert [text_length(p) for p in pieces] == [4096, 1904]
    assert "".join(pieces) == text


def test_buttons_go_on_the_last_part_and_an_edit_on_the_first() -> None:
    message = Outbound("x" * 5000, choices=((Choice("OK", "ok"),),), edit_message_id=7)
    first, last = message.split(4096)
    assert (first.edit_message_id, first.choices) == (7, ())
    assert (last.edit_message_id, last.choices) == (None, message.choices)
    assert Outbound("ngắn").split(4096) == (Outbound("ngắn"),)


@given(
    st.lists(
        st.text(alphabet=st.sampled_from("ab ạ😀\n"), min_size=0, max_size=60),
        min_size=1,
        max_size=40,
    ),
    st.integers(min_value=8, max_value=120),
)
def test_no_part_is_too_long_or_empty_and_nothing_but_breaks_is_lost(
    chunks: list[str], limit: int
) -> None:
    text = "\n\n".join(chunks)
    pieces = split_text(text, limit)
    assert all(text_length(p) <= limit for p in pieces)
    if text.strip():
        assert all(p.strip() for p in pieces)
    assert re.sub(r"\s", "", "".join(pieces)) == re.sub(r"\s", "", text)


async def test_two_instances_each_keep_half_of_the_bot_wide_limit() -> None:
    clock = SteppingClock()
    bot = limiter(clock)
    bot.share(2)  # another instance sends for the same bot meanwhile
    starts = [await send(bot, clock, str(2000 + n)) for n in range(50)]
    busiest = max(sum(1 for s in starts if t <= s < t + 1) for t in starts)
    assert busiest <= 13  # 25 / 2 a second, rounded to whole sends
    assert starts[-1] >= 3.5  # 50 sends at 12.5 a second take four seconds
    bot.share(1)  # the other instance is gone: the whole limit again
    later = [await send(bot, clock, str(3000 + n)) for n in range(50)]
    assert max(sum(1 for s in later if t <= s < t + 1) for t in later) == 25
