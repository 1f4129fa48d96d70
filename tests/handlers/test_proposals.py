"""/kiennghi through the fake Telegram: a proposal raised in a report is listed for the
standing office, answered, told to the proposer and the unit's head, and audited."""

from __future__ import annotations

from sqlmodel import col

from db.models import AuditLog, Proposal
from tests.fakes.telegram_people import FakePerson
from tests.harness import BotUnderTest

PROPOSAL = "Đề nghị Sở Tài chính bố trí kinh phí mua đầu đọc thẻ"


async def _report_with_proposal(bot: BotUnderTest, lan: FakePerson, proposal: str) -> None:
    """Lan reports 50% on NV-01 with no difficulty and this proposal."""
    await bot.say(lan, "/baocao NV-01")
    await bot.tap(lan, "Đang thực hiện")
    await bot.say(lan, "50")
    await bot.say(lan, "Đã triển khai tại 10/20 cơ sở")
    await bot.say(lan, "Không")
    await bot.say(lan, proposal)
    await bot.tap(lan, "Bỏ qua")
    await bot.tap(lan, "✅ Xác nhận")


async def test_a_proposal_is_listed_answered_and_the_proposer_and_head_are_told(
    bot: BotUnderTest,
) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    hung = await bot.registered(bot.province.health_head, 502)
    viet = await bot.registered(bot.province.standing, 601)
    await _report_with_proposal(bot, lan, PROPOSAL)
    [listing] = await bot.say(viet, "/kiennghi")
    assert "tổng số 1" in listing.text and PROPOSAL in listing.text
    assert "Sở Y tế" in listing.text and "[NV-01]" in listing.text
    assert listing.button_texts == ["✍️ Trả lời 1"]
    [prompt] = await bot.tap(viet, "✍️ Trả lời 1")
    assert PROPOSAL in prompt.text
    lan.mark()
    hung.mark()
    done, after = await bot.say(viet, "Sở Tài chính sẽ bố trí trong quý I/2027", 2)
    assert "Đã trả lời" in done.text and "2" in done.text
    assert "Không có đề xuất, kiến nghị nào" in after.text
    for person in (lan, hung):
        [told] = await person.wait_for_new(1)
        assert PROPOSAL in told.text and "quý I/2027" in told.text
    async with bot.app.db.transaction() as session:
        proposal = await session.get(Proposal, 1)
    assert proposal is not None
    assert proposal.answer == "Sở Tài chính sẽ bố trí trong quý I/2027"
    assert proposal.answered_by == bot.province.standing
    [audited] = await bot.audits("proposal.answered")
    assert audited.entity_id == proposal.id


async def test_no_at_the_proposal_question_tracks_nothing(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    viet = await bot.registered(bot.province.standing, 601)
    await _report_with_proposal(bot, lan, "Không có kiến nghị gì ạ")
    assert await bot.count(Proposal) == 0
    [listing] = await bot.say(viet, "/kiennghi")
    assert "Không có đề xuất, kiến nghị nào" in listing.text


async def test_a_unit_cannot_list_or_answer_proposals_and_is_audited(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    viet = await bot.registered(bot.province.standing, 601)
    await _report_with_proposal(bot, lan, PROPOSAL)
    [refusal] = await bot.say(lan, "/kiennghi")
    assert "cơ quan thường trực" in refusal.text and PROPOSAL not in refusal.text
    assert len(await bot.audits("proposals.refused")) == 1
    await bot.say(viet, "/kiennghi")
    data = viet.last.buttons[0][0].callback_data
    assert data is not None
    lan.mark()
    await lan.press_data(data, viet.last.message_id)
    await lan.wait_for_new(1)
    assert len(await bot.audits("proposals.refused")) == 2
    assert await bot.count(Proposal, col(Proposal.answered_at).is_not(None)) == 0
    assert await bot.count(AuditLog, AuditLog.action == "proposal.answered") == 0


async def test_a_proposal_answered_meanwhile_is_not_answered_twice(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    viet = await bot.registered(bot.province.standing, 601)
    await _report_with_proposal(bot, lan, PROPOSAL)
    await bot.say(viet, "/kiennghi")
    await bot.tap(viet, "✍️ Trả lời 1")
    async with bot.app.db.transaction() as session:
        proposal = await session.get(Proposal, 1)
        assert proposal is not None
        proposal.answered_at, proposal.answer = bot.clock(), "Đã trả lời bằng văn bản"
    [reply] = await bot.say(viet, "Trả lời lần hai")
    assert "đã được trả lời" in reply.text
    assert await bot.count(AuditLog, AuditLog.action == "proposal.answered") == 0
