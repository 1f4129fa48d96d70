"""Numbered choices: what a chat was last shown, and reading "2", "2." or a label back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services import choices
from bot.services.choices import Menu
from db.engine import Database
from db.migrate import upgrade

MENU = Menu(("Đang thực hiện", "✅ Đã hoàn thành", "Hủy"), ("r:3:st:in", "r:3:st:done", "r:3:x"))
NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("answer", ["2", "2.", " 2 ", "2 .", "đã hoàn thành", "✅ Đã hoàn thành"])
def test_a_number_or_the_label_picks_the_choice(answer: str) -> None:
    assert choices.pick(MENU, answer, numbers_are_data=False) == "r:3:st:done"


@pytest.mark.parametrize("answer", ["0", "4", "-1", "٢", "²", "hai", "", "Đã"])
def test_anything_else_picks_nothing(answer: str) -> None:
    assert choices.pick(MENU, answer, numbers_are_data=False) is None


def test_where_the_step_reads_a_number_a_number_is_data_but_a_label_still_picks() -> None:
    assert choices.pick(MENU, "1", numbers_are_data=True) is None
    assert choices.pick(MENU, "75", numbers_are_data=True) is None
    assert choices.pick(MENU, "hủy", numbers_are_data=True) == "r:3:x"


@given(
    st.integers(min_value=1, max_value=3),
    st.sampled_from(["", " ", "  "]),
    st.sampled_from(["", ".", " ", ". ", " ."]),
)
def test_every_shown_number_maps_to_its_own_payload(number: int, before: str, after: str) -> None:
    answer = f"{before}{number}{after}"
    assert choices.pick(MENU, answer, numbers_are_data=False) == MENU.payloads[number - 1]


async def test_the_last_menu_shown_is_kept_and_a_message_without_choices_clears_it(
    database_url: str,
) -> None:
    db = Database(database_url)
    await upgrade(db)
    try:
        async with db.transaction() as session:
            await choices.remember(session, "zalo_bot", "abc", MENU, NOW)
        async with db.transaction() as session:
            assert await choices.last_shown(session, "zalo_bot", "abc") == MENU
            assert await choices.last_shown(session, "zalo_bot", "other") is None
            await choices.remember(session, "zalo_bot", "abc", Menu((), ()), NOW)
        async with db.transaction() as session:
            assert await choices.last_shown(session, "zalo_bot", "abc") is None
    finally:
        await db.dispose()
