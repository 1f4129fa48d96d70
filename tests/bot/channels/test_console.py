"""The console channel: choices as a numbered list, a number maps back to the choice."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.app import chat_console, open_app
from bot.channels.base import Choice, Outbound
from bot.channels.console import ConsoleChannel
from bot.services.people import accounts
from db.models import ChatAccount, ProgressReport
from tests.conftest import test_settings
from tests.harness import FakeClock
from tests.province import build_province


async def test_choices_are_numbered_and_a_line_is_kept_as_typed() -> None:
    printed: list[str] = []
    console = ConsoleChannel(write=printed.append)
    await console.deliver(
        "local", Outbound("Chọn", ((Choice("Có", "r:1:ok"), Choice("Không", "r:1:x")),))
    )
    assert "  2. Không" in printed[0]
    # The processor maps "2" to the choice shown last (bot.services.choices), not the console.
    assert console.receive("2", 7).payload == {"update_key": 7, "user": "local", "text": "2"}
    assert console.receive("@bien_ban.pdf", 9).payload["file"] == "bien_ban.pdf"


async def test_a_whole_report_in_the_console_with_numbers_only(
    sqlite_url: str, clock: FakeClock, capsys
) -> None:
    app = await open_app(test_settings(sqlite_url), clock)
    async with app.db.transaction() as session:
        province = await build_province(session, clock())
        code = await accounts.issue_invitation(
            session, province.health_focal, clock(), timedelta(hours=1)
        )
    typed = iter(
        [
            "/baocao\n",
            "1\n",
            "1\n",
            "60\n",
            "Đã tập huấn cán bộ\n",
            "1\n",
            "1\n",
            "@anh_tap_huan.jpg\n",
            "1\n",
            "",
        ]
    )
    await chat_console(app, lines=lambda: next(typed), first=[f"/start {code}"])
    await app.db.dispose()
    out = capsys.readouterr().out
    assert "Nguyễn Thị Lan" in out and "1. " in out
    async with app.db.transaction() as session:
        report = await session.get(ProgressReport, 1)
    assert report is not None and report.progress == 60 and report.evidence_kind == "photo"


async def test_each_official_signed_in_at_the_console_keeps_an_account_of_their_own(
    sqlite_url: str, clock: FakeClock, capsys
) -> None:
    app = await open_app(test_settings(sqlite_url), clock)
    async with app.db.transaction() as session:
        province = await build_province(session, clock())
        codes = {
            official: await accounts.issue_invitation(
                session, official, clock(), timedelta(hours=1)
            )
            for official in (province.health_focal, province.health_head)
        }
    for official, code in codes.items():
        await chat_console(
            app, lines=lambda: "", first=[f"/start {code}"], user_key=f"official-{official}"
        )
    async with app.db.read() as session:
        bound = {(a.user_key, a.official_id) for a in await session.scalars(select(ChatAccount))}
    await app.db.dispose()
    assert bound == {(f"official-{o}", o) for o in codes}
    out = capsys.readouterr().out
    assert "Nguyễn Thị Lan" in out and "đã được đăng ký" not in out


async def test_after_a_wrong_date_the_skip_offered_before_can_still_be_chosen(
    sqlite_url: str, clock: FakeClock, capsys
) -> None:
    app = await open_app(test_settings(sqlite_url), clock)
    async with app.db.transaction() as session:
        province = await build_province(session, clock())
        code = await accounts.issue_invitation(
            session, province.standing, clock(), timedelta(hours=1)
        )
    typed = iter(
        [
            "/chidao\n",
            "Rà soát, làm sạch dữ liệu dân cư trên địa bàn\n",
            "Bỏ qua\n",  # no attachment
            "1\n",  # every unit
            "mai\n",  # not a date: told so, without choices
            "Bỏ qua\n",  # the Skip of the question before still answers it
            "1\n",  # send
            "/chidao\n",  # lists the directive just sent above its question
            "1\n",  # a number at the text step is that directive, not a text
            "",
        ]
    )
    await chat_console(app, lines=lambda: next(typed), first=[f"/start {code}"])
    await app.db.dispose()
    out = capsys.readouterr().out
    refusal = out.index("không phải là ngày")
    assert "Rà soát, làm sạch dữ liệu dân cư" in out[refusal:]  # the draft, to review and send
    again = out.rindex("Các chỉ đạo gần đây")
    assert "📊 CĐ-2026-001: đã gửi đến" in out[again:]
    assert "kiểm tra lại nội dung chỉ đạo" not in out[again:]
