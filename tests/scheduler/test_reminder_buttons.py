"""A reminder reaches the focal officer with buttons that open the right flow."""

from __future__ import annotations

from db.models import AuditLog
from tests.harness import BotUnderTest


async def _reminded(bot: BotUnderTest):
    lan = await bot.registered(bot.province.health_focal, 501)
    lan.mark()
    queued = await bot.app.ticker().run("reminders", bot.clock())
    assert queued == 1
    bot.app.dispatcher.wake()
    [reminder] = await lan.wait_for_new(1)
    return lan, reminder


async def test_the_reminder_says_what_and_when_with_three_buttons(bot: BotUnderTest) -> None:
    _lan, reminder = await _reminded(bot)
    assert "NV-02" in reminder.text and "còn 3 ngày" in reminder.text
    assert reminder.button_texts == ["Cập nhật tiến độ", "Đã hoàn thành", "Xin gia hạn"]


async def test_update_progress_opens_the_card_below_the_reminder(bot: BotUnderTest) -> None:
    lan, reminder = await _reminded(bot)
    [card] = await bot.tap(lan, "Cập nhật tiến độ")
    assert card.message_id != reminder.message_id and "Cấp sổ sức khỏe điện tử" in card.text
    await bot.tap(lan, "Đang thực hiện")
    [question] = await bot.say(lan, "80")
    assert "2.000" in question.text


async def test_done_goes_straight_to_what_was_done(bot: BotUnderTest) -> None:
    lan, _reminder = await _reminded(bot)
    _card, question = await bot.tap(lan, "Đã hoàn thành", replies=2)
    assert "2.000" in question.text


async def test_extension_asks_for_the_new_deadline(bot: BotUnderTest) -> None:
    lan, _reminder = await _reminded(bot)
    [reply] = await bot.tap(lan, "Xin gia hạn")
    assert "NV-02" in reply.text and "Hủy" in reply.button_texts


async def test_a_forged_reminder_button_for_another_unit_is_refused(bot: BotUnderTest) -> None:
    lan, reminder = await _reminded(bot)
    for data in (
        f"r:0:open:{bot.province.education_task}",
        f"g:0:ext:{bot.province.education_task}",
    ):
        lan.mark()
        await lan.press_data(data, reminder.message_id)
        [reply] = await lan.wait_for_new(1)
        assert "Thu học phí" not in reply.text
    assert await bot.count(AuditLog, AuditLog.action == "button.refused") == 2
