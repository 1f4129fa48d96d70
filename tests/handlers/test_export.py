"""/xuatbaocao (/export) through the fake Telegram: the workbook arrives as a document."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from bot.services.people import directory
from db.models import AuditLog
from tests.harness import BotUnderTest


async def test_the_standing_office_receives_the_workbook_as_a_document(bot: BotUnderTest) -> None:
    viet = await bot.registered(bot.province.standing, 601, language="en")
    [sent] = await bot.say(viet, "/xuatbaocao")
    assert sent.kind == "document" and sent.upload is not None
    assert sent.file_name == "bao-cao-de-an-06-2026-11-16.xlsx"
    assert sent.text == (
        "Tracking table of Đề án 06 as of 16/11/2026: 0/3 tasks done, 0/1 pilot models done, "
        "0 awaiting confirmation; 4 assignments to units."
    )
    book = load_workbook(BytesIO(sent.upload.data))
    assert book.sheetnames == ["Theo dõi", "Tổng hợp"]
    codes = sorted(row[1] for row in book["Theo dõi"].iter_rows(min_row=5, values_only=True))
    assert codes == ["MH-01", "NV-01", "NV-02", "NV-03"]
    assert book["Tổng hợp"]["B5"].value == "0/3 nhiệm vụ hoàn thành (đã xác nhận), đạt 0%"
    async with bot.app.db.transaction() as session:
        entry = await session.scalar(select(AuditLog).where(AuditLog.action == "export.created"))
        assert entry is not None
        assert entry.actor_official_id == bot.province.standing
        assert entry.actor_account == "telegram:601"


async def test_a_leader_may_ask_for_a_period_by_its_english_alias(bot: BotUnderTest) -> None:
    async with bot.app.db.transaction() as session:
        leader = await directory.add_official(
            session, name="Lê Hồng Vinh", role="leader", unit_code="UBND", title="", now=bot.clock()
        )
    vinh = await bot.registered(leader.id or 0, 602, language="en")
    [sent] = await bot.say(vinh, "/export quy")
    assert sent.kind == "document" and sent.upload is not None
    assert sent.text.endswith("Reports and completions counted from 15/09/2026 to 14/12/2026.")
    sheet = load_workbook(BytesIO(sent.upload.data))["Theo dõi"]
    assert "kỳ báo cáo quý 4/2026" in sheet["A2"].value
    [wrong] = await bot.say(vinh, "/export weekly")
    assert wrong.kind == "text" and "/xuatbaocao thang" in wrong.text


async def test_a_focal_officer_is_refused_and_the_attempt_is_audited(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501, language="en")
    [refused] = await bot.say(lan, "/xuatbaocao")
    assert refused.kind == "text" and refused.upload is None
    assert refused.text.startswith("Only the standing office and the provincial leaders")
    assert await bot.count(AuditLog, AuditLog.action == "export.created") == 0
    async with bot.app.db.transaction() as session:
        entry = await session.scalar(select(AuditLog).where(AuditLog.action == "export.refused"))
        assert entry is not None
        assert entry.actor_official_id == bot.province.health_focal
        assert entry.actor_account == "telegram:501"
