"""The /baocao conversation through the fake Telegram: the happy path and bad input at each step."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import AuditLog, Blocker, ProgressReport
from tests.fakes.telegram_people import FakePerson
from tests.harness import BotUnderTest


async def _report_up_to(bot: BotUnderTest, person: FakePerson, step: str) -> None:
    """Walk the health focal officer's report on NV-01 up to `step`."""
    await bot.say(person, "/baocao")
    await bot.tap(person, "🔴 NV-01 · Khám chữa bệnh bằng thẻ Căn cước gắn …")
    if step == "status":
        return
    await bot.tap(person, "Đang thực hiện")
    if step == "progress":
        return
    await bot.say(person, "75")
    if step == "done_text":
        return
    await bot.say(person, "Đã triển khai tại 12/20 cơ sở khám chữa bệnh")
    if step == "difficulty":
        return
    await bot.tap(person, "Bỏ qua")
    if step == "proposal":
        return
    await bot.tap(person, "Bỏ qua")
    assert step == "evidence"


async def test_focal_officer_reports_75_percent_and_a_blocker_and_the_head_is_told(
    bot: BotUnderTest,
) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    hung = await bot.registered(bot.province.health_head, 502)
    await _report_up_to(bot, lan, "difficulty")
    await bot.say(lan, "Chưa có kinh phí mua đầu đọc thẻ")
    await bot.say(lan, "Đề nghị Sở Tài chính bố trí kinh phí")
    lan.mark()
    await lan.send_photo("bien-ban-1")
    [review] = await lan.wait_for_new(1)
    assert "75%" in review.text and "Chưa có kinh phí" in review.text
    hung.mark()
    [done] = await bot.tap(lan, "✅ Xác nhận")
    assert "NV-01" in done.text and "75%" in done.text
    [told] = await hung.wait_for_new(1)
    assert "Nguyễn Thị Lan" in told.text and "Chưa có kinh phí mua đầu đọc thẻ" in told.text
    assignment = await bot.assignment(bot.province.overdue)
    assert (assignment.status, assignment.progress) == ("in_progress", 75)
    assert await bot.count(ProgressReport, ProgressReport.assignment_id == assignment.id) == 1
    assert await bot.count(Blocker, Blocker.assignment_id == assignment.id) == 1
    async with bot.app.db.transaction() as session:
        report = await session.scalar(select(ProgressReport))
        assert report is not None
        assert report.evidence_kind == "photo" and report.evidence_file_id == "bien-ban-1"
        assert report.proposal == "Đề nghị Sở Tài chính bố trí kinh phí"


async def test_a_task_reported_done_is_told_to_the_head_with_progress_100(
    bot: BotUnderTest,
) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    hung = await bot.registered(bot.province.health_head, 502)
    await _report_up_to(bot, lan, "status")
    await bot.tap(lan, "Hoàn thành")
    await bot.say(lan, "Đã triển khai tại toàn bộ 20 cơ sở")
    await bot.tap(lan, "Bỏ qua")
    await bot.tap(lan, "Bỏ qua")
    lan.mark()
    await lan.send_document("bao-cao-ket-qua", "Bao_cao_NV01.pdf")
    [review] = await lan.wait_for_new(1)
    assert "Bao_cao_NV01.pdf" in review.text
    hung.mark()
    await bot.tap(lan, "✅ Xác nhận")
    [told] = await hung.wait_for_new(1)
    assert "100%" in told.text
    assignment = await bot.assignment(bot.province.overdue)
    assert (assignment.status, assignment.progress) == ("done", 100)
    assert assignment.done_on == bot.clock().date()


async def test_a_report_without_blocker_or_completion_does_not_disturb_the_head(
    bot: BotUnderTest,
) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    hung = await bot.registered(bot.province.health_head, 502)
    await _report_up_to(bot, lan, "evidence")
    await bot.tap(lan, "Bỏ qua")
    await bot.tap(lan, "✅ Xác nhận")
    await bot.settled()
    assert len(hung.messages) == 1  # only the welcome


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
@pytest.mark.parametrize(
    "answer",
    ["bảy mươi lăm", "150", "150 %", "-5", "75.5", "   ", "👍", "7" * 5000],
    ids=["words", "150", "150-percent", "negative", "decimal", "blank", "emoji", "5000-chars"],
)
async def test_progress_step_refuses_what_is_not_a_whole_number_from_0_to_100(
    bot: BotUnderTest, answer: str
) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    await _report_up_to(bot, lan, "progress")
    before = await bot.state(lan)
    [reply] = await bot.say(lan, answer)
    assert "0" in reply.text and "100" in reply.text
    assert await bot.state(lan) == before
    assert await bot.count(ProgressReport) == 0


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
async def test_progress_step_refuses_a_photo(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    await _report_up_to(bot, lan, "progress")
    before = await bot.state(lan)
    lan.mark()
    await lan.send_photo()
    [reply] = await lan.wait_for_new(1)
    assert reply.text
    assert await bot.state(lan) == before


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
@pytest.mark.parametrize("answer", ["   ", "👍🙏🎉", "x" * 5000], ids=["blank", "emoji", "5000"])
async def test_what_was_done_must_be_words_within_the_limit(bot: BotUnderTest, answer: str) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    await _report_up_to(bot, lan, "done_text")
    before = await bot.state(lan)
    [reply] = await bot.say(lan, answer)
    assert reply.text
    if len(answer) == 5000:
        assert "5.000" in reply.text and "2.000" in reply.text
    assert await bot.state(lan) == before


async def test_a_2000_character_answer_in_every_field_still_fits_one_telegram_message(
    bot: BotUnderTest,
) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    await _report_up_to(bot, lan, "done_text")
    await bot.say(lan, "Đã làm " + "a" * 1990)
    await bot.say(lan, "Khó khăn " + "b" * 1990)
    await bot.say(lan, "Đề xuất " + "c" * 1990)
    [review] = await bot.tap(lan, "Bỏ qua")
    assert len(review.text) <= 4096 and "✅ Xác nhận" in review.button_texts


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
async def test_evidence_step_explains_when_text_is_sent_instead_of_a_file(
    bot: BotUnderTest,
) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    await _report_up_to(bot, lan, "evidence")
    before = await bot.state(lan)
    [reply] = await bot.say(lan, "ảnh đây")
    assert "Bỏ qua" in reply.text
    assert await bot.state(lan) == before


async def test_huy_cancels_at_any_step_and_nothing_is_recorded(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    for step in ("status", "progress", "done_text", "difficulty", "proposal", "evidence"):
        await _report_up_to(bot, lan, step)
        await bot.say(lan, "/huy")
        assert (await bot.state(lan))[0] is None
    assert await bot.count(ProgressReport) == 0
    assert (await bot.assignment(bot.province.overdue)).progress == 0


async def test_a_button_from_an_old_message_is_refused_and_audited(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    await _report_up_to(bot, lan, "progress")
    before = await bot.state(lan)
    card = next(m for m in lan.messages if "Hoàn thành" in m.button_texts)
    lan.mark()
    await lan.press("Hoàn thành", card)
    [reply] = await lan.wait_for_new(1)
    assert "/baocao" in reply.text
    assert await bot.state(lan) == before
    assert await bot.count(AuditLog, AuditLog.action == "button.refused") == 1
    await bot.settled()
    assert lan.callback_answers[-1].get("text")


async def test_another_persons_button_is_refused(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    tuan = await bot.registered(bot.province.education_focal, 503)
    await _report_up_to(bot, lan, "status")
    card = lan.last
    data = card.buttons[0][0].callback_data
    assert data is not None
    tuan.mark()
    await tuan.press_data(data, card.message_id)
    await tuan.wait_for_new(1)
    assert await bot.count(AuditLog, AuditLog.action == "button.refused") == 1
    assert (await bot.assignment(bot.province.overdue)).status == "not_started"


async def test_a_forged_payload_for_another_units_assignment_is_refused(
    bot: BotUnderTest,
) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    await bot.say(lan, "/baocao")
    _step, version = await bot.state(lan)
    lan.mark()
    await lan.press_data(f"r:{version}:pick:{bot.province.education_task}", lan.last.message_id)
    await lan.wait_for_new(1)
    assert (await bot.state(lan))[0] == "pick"
    async with bot.app.db.transaction() as session:
        refused = (
            await session.scalars(
                select(AuditLog.detail).where(AuditLog.action == "button.refused")
            )
        ).all()
    assert any("another unit" in (detail or "") for detail in refused)


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
@pytest.mark.parametrize("data", ["xyz", "r:1:pick:../../etc", "t:0:page:-1", "r:99999:ok"])
async def test_garbage_button_data_is_refused_and_audited(bot: BotUnderTest, data: str) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    await bot.say(lan, "/baocao")
    lan.mark()
    await lan.press_data(data, lan.last.message_id)
    await lan.wait_for_new(1)
    assert await bot.count(AuditLog, AuditLog.action == "button.refused") == 1
    assert await bot.count(ProgressReport) == 0


async def test_a_task_code_after_the_command_opens_its_card_directly(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    [card] = await bot.say(lan, "/baocao NV-02")
    assert "Cấp sổ sức khỏe điện tử" in card.text and "Hoàn thành" in card.button_texts


async def test_another_units_task_code_is_not_opened(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    [reply] = await bot.say(lan, "/baocao NV-03")
    assert "Thu học phí" not in reply.text


async def test_typed_text_is_kept_clean_and_a_broken_emoji_blocks_nothing(
    bot: BotUnderTest,
) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    await _report_up_to(bot, lan, "done_text")
    # A right-to-left override and half an emoji, as a damaged paste can carry them.
    await bot.say(lan, "Đã triển khai\u202e 12/20 cơ sở \ud83d")
    await bot.tap(lan, "Bỏ qua")
    await bot.tap(lan, "Bỏ qua")
    lan.mark()
    await lan.send_photo("bien-ban-2")
    [review] = await lan.wait_for_new(1)
    assert "Đã triển khai 12/20 cơ sở \ufffd" in review.text
    [done] = await bot.tap(lan, "✅ Xác nhận")
    assert "NV-01" in done.text
    async with bot.app.db.transaction() as session:
        report = await session.scalar(select(ProgressReport))
        assert report is not None and report.done_text == "Đã triển khai 12/20 cơ sở \ufffd"


@pytest.mark.parametrize(
    ("difficulty", "proposal"),
    [("Không", "không có"), ("Chưa có.", "Bỏ qua"), ("ko", "0"), ("KHÔNG CÓ GÌ Ạ", "none")],
    ids=["khong", "chua-co", "ko", "upper"],
)
async def test_typing_no_at_the_optional_questions_opens_no_blocker_and_alerts_nobody(
    bot: BotUnderTest, difficulty: str, proposal: str
) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    hung = await bot.registered(bot.province.health_head, 502)
    await _report_up_to(bot, lan, "status")
    await bot.tap(lan, "Hoàn thành")
    await bot.say(lan, "Đã triển khai tại toàn bộ 20 cơ sở")
    [asked] = await bot.say(lan, difficulty)
    assert "đề xuất" in asked.text.lower()  # the next question, not a repeat
    await bot.say(lan, proposal)
    [review] = await bot.tap(lan, "Bỏ qua")
    assert review.text.count("(không có)") == 3
    hung.mark()
    await bot.tap(lan, "✅ Xác nhận")
    [told] = await hung.wait_for_new(1)
    assert "100%" in told.text and "⚠️" not in told.text and difficulty not in told.text
    assert await bot.count(Blocker) == 0
    async with bot.app.db.transaction() as session:
        report = await session.scalar(select(ProgressReport))
        assert report is not None and (report.difficulty, report.proposal) == (None, None)
