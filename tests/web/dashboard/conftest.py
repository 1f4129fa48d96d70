"""roviec with a public URL, so that the web server (and the dashboard under /web) runs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conftest import test_settings
from tests.harness import BotUnderTest, FakeClock, free_port, running_bot
from tests.web.dashboard.demo import demo_province


@pytest.fixture
async def served(database_url: str, clock: FakeClock) -> AsyncIterator[BotUnderTest]:
    """The bot in webhook mode on a loopback port, with the small test province."""
    port = free_port()
    settings = test_settings(
        database_url, public_url=f"http://127.0.0.1:{port}", listen=f"127.0.0.1:{port}"
    )
    async with running_bot(settings, clock) as running:
        running.telegram.webhook_retry_seconds = 0.05
        yield running


@pytest.fixture
async def demo_served(database_url: str, clock: FakeClock) -> AsyncIterator[BotUnderTest]:
    """The bot in webhook mode with the demo province (83 units), as a province would run it."""
    port = free_port()
    settings = test_settings(
        database_url, public_url=f"http://127.0.0.1:{port}", listen=f"127.0.0.1:{port}"
    )
    async with running_bot(settings, clock, populate=demo_province) as running:
        running.telegram.webhook_retry_seconds = 0.05
        yield running
