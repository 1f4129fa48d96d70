"""Recipients answer a directive with text or a file; the sender hears at once, reads the
replies by unit, and /chidao lists recent directives with their counts."""

from __future__ import annotations

from db.models import AuditLog, DirectiveReceipt, DirectiveReply
from tests.handlers.test_directive import (
    FOCAL_HEALTH,
    STANDING,
    _compose_up_to,
    _people,
    _send,
)
from tests.harness import BotUnderTest


async def _sent(bot: BotUnderTest):
    """A directive from the standing office to every unit, delivered."""
    people = await _people(bot)
    viet, lan = people[STANDING], people[FOCAL_HEALTH]
    await _compose_up_to(bot, viet, "confirm")
    lan.mark()
    _done, status = await _send(bot, viet)
    [directive] = await lan.wait_for_new(1)
    return viet, lan, directive, status


async def test_a_focal_officer_replies_and_the_sender_is_told_at_once(bot: BotUnderTest) -> None:
    viet, lan, _directive, _status = await _sent(bot)

    [prompt] = await bot.tap(lan, "✍️ Reply", replies=1)
    viet.mark()
    [thanks] = await bot.say(lan, "Sở Y tế đã triển khai tại 12 cơ sở khám chữa bệnh.")
    [notice] = await viet.wait_for_new(1)

    assert "CĐ-2026-001" in prompt.text and "Cancel" in prompt.button_texts
    assert "Your response to CĐ-2026-001 was sent" in thanks.text
    assert notice.text.startswith("📨 Sở Y tế (Nguyễn Thị Lan) replied to directive CĐ-2026-001:")
    assert "12 cơ sở khám chữa bệnh" in notice.text
    assert await bot.count(DirectiveReply) == 1
    # Replying shows it was received.
    assert await bot.count(DirectiveReceipt, DirectiveReceipt.acknowledged_at.is_not(None)) == 1
    assert await bot.count(AuditLog, AuditLog.action == "directive.replied") == 1


async def test_the_sender_reads_the_replies_by_unit(bot: BotUnderTest) -> None:
    viet, lan, _directive, _status = await _sent(bot)
    await bot.tap(lan, "✍️ Reply")
    await bot.say(lan, "Đã giao phòng Nghiệp vụ Y theo dõi.")
    await bot.settled()

    [replies] = await bot.tap(viet, "📨 Replies")

    assert "CĐ-2026-001: replies from 1 unit:" in replies.text
    assert "🏢 Sở Y tế" in replies.text and "Nguyễn Thị Lan" in replies.text
    assert "phòng Nghiệp vụ Y" in replies.text


async def test_a_reply_with_a_document_reaches_the_sender_as_the_file(bot: BotUnderTest) -> None:
    viet, lan, _directive, _status = await _sent(bot)
    await bot.tap(lan, "✍️ Reply")
    viet.mark()
    lan.mark()

    await lan.send_document("doc-bao-cao", "BaoCao_SYT.pdf")
    [thanks] = await lan.wait_for_new(1)
    notice, file = await viet.wait_for_new(2)

    assert "was sent" in thanks.text
    assert "📎 with a file: BaoCao_SYT.pdf" in notice.text
    assert file.file_id == "doc-bao-cao"


async def test_someone_not_a_recipient_cannot_reply(bot: BotUnderTest) -> None:
    viet, _lan, directive, _status = await _sent(bot)
    viet.mark()

    await viet.press_data("a:0:reply:1", directive.message_id)
    [refusal] = await viet.wait_for_new(1)

    assert "not a recipient" in refusal.text
    assert await bot.count(AuditLog, AuditLog.action == "directive.refused") == 1


async def test_an_empty_reply_is_asked_again_and_cancel_records_nothing(
    bot: BotUnderTest,
) -> None:
    _viet, lan, _directive, _status = await _sent(bot)
    await bot.tap(lan, "✍️ Reply")

    [again] = await bot.say(lan, "   ")
    [cancelled] = await bot.tap(lan, "Cancel")

    assert "Please write your response" in again.text
    assert "Nothing was recorded" in cancelled.text
    assert await bot.count(DirectiveReply) == 0


async def test_chidao_lists_recent_directives_with_their_counts(bot: BotUnderTest) -> None:
    viet, lan, _directive, _status = await _sent(bot)
    await bot.tap(lan, "✍️ Reply")
    await bot.say(lan, "Đã nhận và triển khai.")
    await bot.settled()
    await bot.app.ticker().run("directives", bot.clock())
    await bot.settled()

    [prompt] = await bot.say(viet, "/chidao")
    [status] = await bot.tap(viet, "📊 CĐ-2026-001")

    assert "Recent directives:" in prompt.text
    assert "• CĐ-2026-001: delivered" in prompt.text and "units that replied: 1" in prompt.text
    assert "Write the text of the directive" in prompt.text
    assert status.text.startswith("📊 CĐ-2026-001: delivered")
    assert status.button_texts == ["Who has not acknowledged", "📨 Replies"]
