"""/healthz answers what `roviec health` prints, for a monitor: 200 when all is well."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import update

from bot.channels.base import Outbound
from bot.services import outbox
from db.models import OutboxMessage, OutboxState
from tests.conftest import test_settings
from tests.harness import FakeClock
from tests.oa_harness import OAUnderTest, running_oa


@pytest.fixture
async def oa(database_url: str, clock: FakeClock) -> AsyncIterator[OAUnderTest]:
    """roviec serving the fake OA, so its web server listens."""
    async with running_oa(test_settings(database_url), clock) as running:
        yield running


async def _healthz(oa: OAUnderTest) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.get(f"{oa.app.settings.public_url}/healthz")


async def test_a_healthy_deployment_answers_200_with_its_figures(oa: OAUnderTest) -> None:
    lan = await oa.follower("Lan", oa.province.health_focal)
    await oa.say(lan, "/nhiemvu")

    answer = await _healthz(oa)

    body = answer.json()
    assert answer.status_code == 200 and body["ok"] is True and body["problems"] == []
    assert body["schema"] == body["schema_head"] and "zalo_oa" in body["last_update"]
    assert body["instances"] and body["inbox_backlog"] == 0
    assert "digest" in body["next_firings"]
    assert "Lan" not in answer.text and lan.user_id not in answer.text  # no personal data


async def test_a_dead_message_makes_it_answer_503_with_the_problem(oa: OAUnderTest) -> None:
    async with oa.app.db.transaction() as session:
        await outbox.enqueue(
            session,
            dedupe_key="test:dead",
            channel="zalo_oa",
            chat_key="nobody",
            message=Outbound("x"),
            now=oa.clock(),
        )
    async with oa.app.db.transaction() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.dedupe_key == "test:dead")
            .values(state=OutboxState.DEAD, last_error="refused")
        )

    answer = await _healthz(oa)

    assert answer.status_code == 503
    assert answer.json()["ok"] is False and answer.json()["problems"]
