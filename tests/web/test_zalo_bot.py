"""A focal officer on Zalo (Zalo Bot Platform): registers and works with roviec as on Telegram."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from db.models import Blocker, ProgressReport
from tests.conftest import test_settings
from tests.fakes.zalo_bot_people import BotMessage, ZaloBotPerson
from tests.harness import FakeClock, ZaloBotUnderTest, free_port, running_zalo_bot


@pytest.fixture(params=["polling", "webhook"])
async def zalo(
    request: pytest.FixtureRequest, database_url: str, clock: FakeClock
) -> AsyncIterator[ZaloBotUnderTest]:
    """roviec on the fake Zalo bot, polling getUpdates or called at its webhook."""
    overrides: dict[str, object] = {}
    if request.param == "webhook":
        port = free_port()
        overrides = {"public_url": f"http://127.0.0.1:{port}", "listen": f"127.0.0.1:{port}"}
    async with running_zalo_bot(test_settings(database_url, **overrides), clock) as running:
        yield running


async def test_a_focal_officer_registers_with_the_code_and_sees_the_tasks(
    zalo: ZaloBotUnderTest,
) -> None:
    lan = zalo.zalo.person("Lan")
    code = await zalo.invite(zalo.province.health_focal)

    [welcome] = await zalo.say(lan, f"/start {code}")
    [tasks] = await zalo.say(lan, "/nhiemvu")

    assert "Nguyễn Thị Lan" in (welcome.text or "")
    assert "NV-01" in (tasks.text or "")
    assert await zalo.count_accounts() == 1


async def test_a_stranger_gets_a_polite_refusal_and_nothing_else(zalo: ZaloBotUnderTest) -> None:
    stranger = zalo.zalo.person("Ai đó")

    [refusal] = await zalo.say(stranger, "/nhiemvu")

    assert "NV-01" not in (refusal.text or "")
    assert "mã mời" in (refusal.text or "").lower() or "chưa" in (refusal.text or "").lower()


async def test_the_code_typed_on_its_own_binds_the_account(zalo: ZaloBotUnderTest) -> None:
    hung = zalo.zalo.person("Hùng")
    code = await zalo.invite(zalo.province.health_head)

    [welcome] = await zalo.say(hung, f"  {code} ")

    assert "Trần Văn Hùng" in (welcome.text or "")
    assert await zalo.count_accounts() == 1


async def test_a_report_is_filed_on_zalo_with_numbers_and_typed_data(
    zalo: ZaloBotUnderTest,
) -> None:
    lan = zalo.zalo.person("Lan")
    await zalo.say(lan, await zalo.invite(zalo.province.health_focal))

    [pick] = await zalo.say(lan, "/baocao")
    number = _number_of(pick.text or "", "NV-01")
    [status] = await zalo.say(lan, f"{number}.")
    [progress] = await zalo.say(lan, _number_of(status.text or "", "Đang thực hiện"))
    # "1" is a percentage here, never the choice numbered 1 (Hủy).
    await zalo.say(lan, "1")
    [difficulty] = await zalo.say(lan, "Đã tập huấn cán bộ tại 3 cơ sở")
    [proposal] = await zalo.say(lan, "bỏ qua")
    [evidence] = await zalo.say(lan, "Bỏ qua")
    [review] = await zalo.say(lan, "Bỏ qua")
    await zalo.say(lan, _number_of(review.text or "", "Xác nhận"))

    assert "phần trăm" in (progress.text or "")
    async with zalo.app.db.transaction() as session:
        report = await session.scalar(select(ProgressReport))
    assert report is not None and report.progress == 1
    assert report.done_text == "Đã tập huấn cán bộ tại 3 cơ sở"
    assert "1." in (difficulty.text or "") and proposal.text and evidence.text


async def test_at_the_optional_questions_1_is_skip_and_0_or_khong_mean_none(
    zalo: ZaloBotUnderTest,
) -> None:
    lan = zalo.zalo.person("Lan")
    await zalo.say(lan, await zalo.invite(zalo.province.health_focal))
    [pick] = await zalo.say(lan, "/baocao")
    [status] = await zalo.say(lan, _number_of(pick.text or "", "NV-01"))
    await zalo.say(lan, _number_of(status.text or "", "Đang thực hiện"))
    await zalo.say(lan, "40")
    [difficulty] = await zalo.say(lan, "Đã tập huấn cán bộ tại 3 cơ sở")
    assert _number_of(difficulty.text or "", "Bỏ qua") == "1"
    await zalo.say(lan, "1")  # the choice numbered 1: Bỏ qua
    await zalo.say(lan, "0")  # none
    [review] = await zalo.say(lan, "Không")  # no evidence either
    assert (review.text or "").count("(không có)") == 3
    await zalo.say(lan, _number_of(review.text or "", "Xác nhận"))
    async with zalo.app.db.transaction() as session:
        report = await session.scalar(select(ProgressReport))
        blockers = await session.scalar(select(func.count()).select_from(Blocker))
    assert report is not None and (report.difficulty, report.proposal) == (None, None)
    assert blockers == 0


async def test_an_answer_that_matches_no_choice_changes_nothing(zalo: ZaloBotUnderTest) -> None:
    lan = zalo.zalo.person("Lan")
    await zalo.say(lan, await zalo.invite(zalo.province.health_focal))
    await zalo.say(lan, "/baocao")

    [again] = await zalo.say(lan, "9")

    assert "NV-01" in (again.text or "") or "chọn" in (again.text or "").lower()
    async with zalo.app.db.transaction() as session:
        assert await session.scalar(select(ProgressReport)) is None


def _number_of(text: str, label: str) -> str:
    """The number the bot put before the choice whose label contains `label`."""
    for line in text.splitlines():
        number, _, rest = line.strip().partition(". ")
        if number.isdecimal() and label in rest:
            return number
    raise AssertionError(f"no choice {label!r} in:\n{text}")


async def _report_up_to_evidence(zalo: ZaloBotUnderTest, lan: ZaloBotPerson) -> BotMessage:
    """Lan registers and walks /baocao up to the evidence step; the evidence question."""
    await zalo.say(lan, await zalo.invite(zalo.province.health_focal))
    [pick] = await zalo.say(lan, "/baocao")
    [status] = await zalo.say(lan, _number_of(pick.text or "", "NV-01"))
    await zalo.say(lan, _number_of(status.text or "", "Đang thực hiện"))
    await zalo.say(lan, "40")
    await zalo.say(lan, "Đã tập huấn cán bộ")
    await zalo.say(lan, "Bỏ qua")
    [evidence] = await zalo.say(lan, "Bỏ qua")
    return evidence


async def test_the_number_of_skip_skips_the_evidence(zalo: ZaloBotUnderTest) -> None:
    lan = zalo.zalo.person("Lan")
    evidence = await _report_up_to_evidence(zalo, lan)

    # The step takes a file, never typed data: the number is the choice it stands for.
    [review] = await zalo.say(lan, _number_of(evidence.text or "", "Bỏ qua"))
    await zalo.say(lan, _number_of(review.text or "", "Xác nhận"))

    async with zalo.app.db.transaction() as session:
        report = await session.scalar(select(ProgressReport))
    assert report is not None and report.progress == 40 and report.evidence_kind is None


async def test_a_photo_captioned_with_a_number_is_the_evidence(zalo: ZaloBotUnderTest) -> None:
    lan = zalo.zalo.person("Lan")
    await _report_up_to_evidence(zalo, lan)

    before = len(lan.messages)
    await lan.send_photo("https://cdn.zalo.example/p/bien-ban.jpg", "1")
    await zalo.zalo.wait_until(lambda: len(lan.messages) > before, timeout=10)
    [review] = lan.messages[before:]
    await zalo.say(lan, _number_of(review.text or "", "Xác nhận"))

    async with zalo.app.db.transaction() as session:
        report = await session.scalar(select(ProgressReport))
    assert report is not None and report.evidence_kind == "photo"


async def test_the_number_of_skip_skips_a_directives_attachment(zalo: ZaloBotUnderTest) -> None:
    viet = zalo.zalo.person("Việt")
    await zalo.say(viet, await zalo.invite(zalo.province.standing))
    await zalo.say(viet, "/chidao")
    [attachment] = await zalo.say(viet, "Các đơn vị báo cáo kết quả triển khai Đề án 06.")

    [target] = await zalo.say(viet, _number_of(attachment.text or "", "Bỏ qua"))

    assert "Tất cả đơn vị" in (target.text or ""), target.text
