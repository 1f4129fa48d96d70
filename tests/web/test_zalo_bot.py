"""A focal officer on Zalo (Zalo Bot Platform): registers and works with roviec as on Telegram."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conftest import test_settings
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
