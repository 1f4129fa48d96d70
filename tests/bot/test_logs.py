"""A whole working session logged at DEBUG: no token anywhere, no personal data at INFO+."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot import logs
from db.models import Official
from scheduler.deadlines import send_overdue
from tests.conftest import test_settings
from tests.fakes.zalo_bot_api import TOKEN as ZALO_TOKEN
from tests.harness import BotUnderTest, FakeClock, running_zalo_bot

TELEGRAM_TOKEN = "123456:TEST-TOKEN"  # tests.conftest.test_settings
PHONE = "0912 345 678"
CITIZEN_ID = "001203004567"
PERSONAL = re.compile(r"0912\s?345\s?678|001203004567")
pytestmark = pytest.mark.sqlite_only  # what is logged does not depend on the database


class Captured:
    """Every line logged while the session runs, with its level."""

    def __init__(self) -> None:
        self.stream = io.StringIO()

    def lines(self, at_least: int = logging.DEBUG) -> list[str]:
        levels = logging.getLevelNamesMapping()
        found = []
        for line in self.stream.getvalue().splitlines():
            level = line.split(" ", 1)[0]
            if levels.get(level, logging.NOTSET) >= at_least:
                found.append(line)
        return found


@pytest.fixture
def captured() -> Iterator[Captured]:
    """Root and every library at DEBUG into one stream, as `roviec run` would write them."""
    capture = Captured()
    handler = logging.StreamHandler(capture.stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    libraries = [logging.getLogger(name) for name in ("httpx", "httpcore", "telegram")]
    saved = [root.level, *(lib.level for lib in libraries)]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for library in libraries:
        library.setLevel(logging.DEBUG)
    logs.guard_tokens()
    try:
        yield capture
    finally:
        root.removeHandler(handler)
        root.setLevel(saved[0])
        for library, level in zip(libraries, saved[1:], strict=True):
            library.setLevel(level)


async def _names(bot_db: object) -> list[str]:
    async with bot_db.transaction() as session:  # type: ignore[attr-defined]
        return list(await session.scalars(select(Official.name)))


async def test_a_telegram_session_logs_no_token_and_no_personal_data(
    captured: Captured, bot: BotUnderTest
) -> None:
    lan = await bot.registered(bot.province.health_focal, 7_700_501)
    await bot.registered(bot.province.health_head, 7_700_502)
    await bot.say(lan, "/baocao")
    await bot.tap(lan, "🔴 NV-01 · Khám chữa bệnh bằng thẻ Căn cước gắn …")
    await bot.tap(lan, "Đang thực hiện")
    await bot.say(lan, "60")
    await bot.say(lan, f"Đã làm việc với ông Nguyễn Văn A, SĐT {PHONE}, CCCD {CITIZEN_ID}")
    await bot.say(lan, f"Thiếu đầu đọc thẻ; liên hệ {PHONE}")
    await bot.tap(lan, "Bỏ qua")
    await bot.tap(lan, "Bỏ qua")
    await bot.tap(lan, "✅ Xác nhận")
    await send_overdue(bot.app.job_context(), bot.clock())
    await bot.settled()

    everything = captured.lines()
    assert any("sendMessage" in line for line in everything)  # httpx really logged requests
    assert not [line for line in everything if TELEGRAM_TOKEN in line]
    loud = captured.lines(logging.INFO)
    names = await _names(bot.app.db)
    assert names
    for line in loud:
        assert not PERSONAL.search(line), line
        assert "7700501" not in line and "7700502" not in line, line
        assert not [name for name in names if name in line], line


async def test_a_zalo_session_logs_no_token(
    captured: Captured, database_url: str, clock: FakeClock
) -> None:
    async with running_zalo_bot(test_settings(database_url), clock) as zalo:
        lan = zalo.zalo.person("Lan")
        await zalo.say(lan, f"/start {await zalo.invite(zalo.province.health_focal)}")
        await zalo.say(lan, f"/nhiemvu {PHONE}")
        names = await _names(zalo.app.db)
    everything = captured.lines()
    assert any("sendMessage" in line for line in everything)
    secret = ZALO_TOKEN.split(":", 1)[1]
    assert not [line for line in everything if secret in line]
    for line in captured.lines(logging.INFO):
        assert not PERSONAL.search(line), line
        assert lan.user_id not in line, line
        assert not [name for name in names if name in line], line


async def test_json_lines_name_the_update_from_handling_to_delivery(bot: BotUnderTest) -> None:
    stream = io.StringIO()
    handler = logs.handler_for("json", stream)
    watched = [logging.getLogger(name) for name in ("bot.processor", "httpx")]
    saved = [logger.level for logger in watched]
    for logger in watched:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        lan = await bot.registered(bot.province.health_focal, 7_700_501)
        lan.mark()
        await lan.send("/nhiemvu")
        await lan.wait_for_new(1)
        await bot.settled()
    finally:
        for logger, level in zip(watched, saved, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert entries and all({"at", "level", "logger", "message"} <= set(e) for e in entries)
    handled = [e for e in entries if e["message"].startswith("handled: 1 reply")]
    assert handled and all(e["update"].startswith("telegram:") for e in handled)
    last = handled[-1]["update"]
    sends = [e for e in entries if e.get("update") == last and "sendMessage" in e["message"]]
    assert sends, "the reply's delivery is logged under the update it answers"
