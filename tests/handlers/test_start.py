"""Strangers, invitations and /trogiup through the fake Telegram."""

from __future__ import annotations

from sqlalchemy import select

from db.models import ChatAccount, Conversation, InboxUpdate
from tests.harness import BotUnderTest


async def test_a_stranger_gets_a_polite_refusal_and_nothing_else(bot: BotUnderTest) -> None:
    stranger = bot.telegram.person(900, "Người lạ")
    for text in ["/nhiemvu", "/baocao", "xin chào", "/start"]:
        [reply] = await bot.say(stranger, text)
        assert "chưa được đăng ký" in reply.text
        assert reply.buttons == []
    stranger.mark()
    await stranger.press_data("r:1:pick:1", stranger.last.message_id)
    [reply] = await stranger.wait_for_new(1)
    assert "chưa được đăng ký" in reply.text
    assert await bot.count(ChatAccount) == 0
    assert await bot.count(Conversation) == 0
    assert "NV-01" not in "".join(m.text or "" for m in stranger.messages)


async def test_a_wrong_code_binds_nothing(bot: BotUnderTest) -> None:
    stranger = bot.telegram.person(900, "Người lạ")
    [reply] = await bot.say(stranger, "/start abcdefghijklmnopqrstuvwxyz")
    assert "không hợp lệ" in reply.text
    assert await bot.count(ChatAccount) == 0


async def test_an_invitation_works_once(bot: BotUnderTest) -> None:
    code = await bot.invite(bot.province.health_focal)
    lan = bot.telegram.person(501, "Lan")
    [welcome] = await bot.say(lan, f"/start {code}")
    assert "Nguyễn Thị Lan" in welcome.text and "Sở Y tế" in welcome.text
    thief = bot.telegram.person(666, "Kẻ gian")
    [refused] = await bot.say(thief, f"/start {code}")
    assert "không hợp lệ" in refused.text
    [still] = await bot.say(thief, "/nhiemvu")
    assert "chưa được đăng ký" in still.text


async def test_an_expired_invitation_is_refused(bot: BotUnderTest) -> None:
    code = await bot.invite(bot.province.health_focal)
    bot.clock.advance(hours=73)
    lan = bot.telegram.person(501, "Lan")
    [reply] = await bot.say(lan, f"/start {code}")
    assert "không hợp lệ" in reply.text


async def test_repeated_wrong_codes_lock_the_account_out_for_a_while(bot: BotUnderTest) -> None:
    guesser = bot.telegram.person(900, "Đoán mò")
    for attempt in range(5):
        await bot.say(guesser, f"/start wrong-code-{attempt:02d}-aaaaaaaaaaaa")
    code = await bot.invite(bot.province.health_focal)
    [locked] = await bot.say(guesser, f"/start {code}")
    assert "15" in locked.text
    bot.clock.advance(minutes=16)
    [welcome] = await bot.say(guesser, f"/start {code}")
    assert "Nguyễn Thị Lan" in welcome.text


async def test_help_depends_on_the_role(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    hung = await bot.registered(bot.province.health_head, 502)
    [focal_help] = await bot.say(lan, "/trogiup")
    [head_help] = await bot.say(hung, "/help")
    assert "/baocao" in focal_help.text and "/nhiemvu" in focal_help.text
    assert head_help.text != focal_help.text


async def test_english_speakers_are_answered_in_english(bot: BotUnderTest) -> None:
    tuan = await bot.registered(bot.province.education_focal, 503, language="en")
    [reply] = await bot.say(tuan, "/help")
    assert "/report" in reply.text or "report" in reply.text.lower()
    assert "Đồng chí" not in reply.text


async def test_the_default_menu_is_a_strangers_in_vietnamese_and_english(
    bot: BotUnderTest,
) -> None:
    await bot.telegram.wait_until(lambda: "en" in bot.telegram.commands)
    for language in ("", "vi", "en"):
        assert [c["command"] for c in bot.telegram.commands[language]] == ["start", "trogiup"]
    assert bot.telegram.commands[""] == bot.telegram.commands["vi"]
    assert bot.telegram.commands["en"][1]["description"] == "Help"


async def test_every_update_is_marked_processed(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    await bot.say(lan, "/nhiemvu")
    await bot.settled()
    async with bot.app.db.transaction() as session:
        rows = (await session.scalars(select(InboxUpdate))).all()
    assert rows and all(r.processed_at is not None for r in rows)


async def test_no_invitation_code_is_kept_in_the_stored_updates(bot: BotUnderTest) -> None:
    used = await bot.invite(bot.province.health_focal)
    bare = await bot.invite(bot.province.health_head)
    wrong = "abcdefghijklmnopqrstuv"
    [welcome] = await bot.say(bot.telegram.person(501, "Lan"), f"/start {used}")
    assert "Nguyễn Thị Lan" in welcome.text
    [bound] = await bot.say(bot.telegram.person(502, "Hùng"), bare)  # pasted from the letter
    assert "Sở Y tế" in bound.text
    [refused] = await bot.say(bot.telegram.person(900, "Người lạ"), f"/start {wrong}")
    assert "không hợp lệ" in refused.text
    await bot.settled()
    async with bot.app.db.transaction() as session:
        stored = str([row.payload for row in await session.scalars(select(InboxUpdate))])
    assert "/start" in stored
    for code in (used, bare, wrong):
        assert code not in stored
