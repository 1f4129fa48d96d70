"""/canbo (/staff): the standing office takes an official who left off the roster."""

from __future__ import annotations

import pytest

from db.models import AuditLog, ChatAccount, Official
from tests.harness import BotUnderTest


async def test_the_standing_office_takes_someone_off_the_roster(bot: BotUnderTest) -> None:
    viet = await bot.registered(bot.province.standing, 509)
    lan = await bot.registered(bot.province.health_focal, 501)
    [units] = await bot.say(viet, "/canbo")
    assert units.text == "Thay đổi danh sách cán bộ: Đồng chí chọn đơn vị."
    assert "Sở Y tế" in units.button_texts
    [people] = await bot.tap(viet, "Sở Y tế")
    assert people.text == "Đồng chí chọn cán bộ."
    label = next(b for b in people.button_texts if b.startswith("Nguyễn Thị Lan — "))
    [card] = await bot.tap(viet, label)
    assert card.text.startswith("Nguyễn Thị Lan — ") and card.text.endswith("Sở Y tế")
    [question] = await bot.tap(viet, "Cho thôi tham gia (đã rời Tổ công tác)")
    assert "Đồng chí xác nhận cho cán bộ này thôi tham gia Tổ công tác?" in question.text
    [done] = await bot.tap(viet, "Xác nhận")
    assert done.text == (
        "Đã cho Nguyễn Thị Lan thôi tham gia Tổ công tác; 0 nhiệm vụ được chuyển về cán bộ "
        "đầu mối của Sở Y tế."
    )
    assert await bot.count(Official, Official.id == bot.province.health_focal, Official.active) == 0
    assert await bot.count(ChatAccount, ChatAccount.official_id == bot.province.health_focal) == 0
    [entry] = await bot.audits("official.deactivated")
    assert entry.actor_official_id == bot.province.standing
    [refusal] = await bot.say(lan, "/nhiemvu")
    assert "chưa được đăng ký" in refusal.text
    # The same button again: she is no longer on the roster.
    viet.mark()
    await viet.press_data(f"m:0:ok:{bot.province.health_focal}", done.message_id)
    [stale] = await viet.wait_for_new(1)
    assert stale.text == "Cán bộ này không còn trong danh sách Tổ công tác."


@pytest.mark.sqlite_only
async def test_oneself_and_forged_buttons_are_refused(bot: BotUnderTest) -> None:
    viet = await bot.registered(bot.province.standing, 509)
    [units] = await bot.say(viet, "/staff")
    for data in (f"m:0:ok:{bot.province.standing}", "m:0:ok:x", "m:0:zz:1"):
        viet.mark()
        await viet.press_data(data, units.message_id)
        await viet.wait_for_new(1)
    assert await bot.count(Official, Official.active) == 6
    assert await bot.count(AuditLog, AuditLog.action == "button.refused") == 3


async def test_a_focal_officer_is_refused(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    [refused] = await bot.say(lan, "/canbo")
    assert refused.text == (
        "Chỉ cơ quan thường trực mới được thay đổi danh sách cán bộ của Tổ công tác."
    )
    assert await bot.count(AuditLog, AuditLog.action == "staff.refused") == 1
