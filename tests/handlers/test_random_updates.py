"""Random sequences of updates: nothing raises, and the database stays consistent."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from bot.app import App, open_app
from bot.services import inbox
from db.models import Assignment, InboxUpdate, Official, OutboxMessage, ProgressReport
from tests.conftest import test_settings
from tests.harness import FakeClock
from tests.province import bind_account, build_province
from tests.recording import RecordingChannel

PEOPLE = ["lan", "hung", "stranger"]

texts = st.one_of(
    st.sampled_from(
        [
            "/baocao",
            "/report",
            "/nhiemvu",
            "/tasks",
            "/huy",
            "/trogiup",
            "/start",
            "/start bad",
            "/baocao NV-01",
            "/baocao NV-03",
            "/unknown",
            "75",
            "0",
            "100",
            "150",
            "-1",
            "abc",
            "👍",
            "",
            "   ",
            "Đã triển khai xong",
        ]
    ),
    st.text(max_size=50),
    st.integers(min_value=0, max_value=200).map(str),
    st.just("x" * 5000),
)
forged = st.one_of(
    st.builds(
        lambda flow, version, action, arg: f"{flow}:{version}:{action}:{arg}",
        st.sampled_from(["r", "t", "zz"]),
        st.integers(0, 40),
        st.sampled_from(["pick", "pp", "st", "skip", "ok", "x", "page"]),
        st.sampled_from(["1", "2", "3", "4", "done", "in_progress", "maintained", "0", "999999"]),
    ),
    st.text(max_size=70),
)
updates = st.lists(
    st.tuples(
        st.sampled_from(PEOPLE),
        st.one_of(
            texts.map(lambda t: {"text": t}),
            st.integers(0, 6).map(lambda i: {"tap": i}),  # a button the bot really showed
            st.integers(0, 6).map(lambda i: {"tap": i}),
            forged.map(lambda b: {"button": b, "message_id": 1}),
            st.just({"files": [["photo", "p1"]]}),
            st.just({"files": [["document", "d1"]], "text": "biên bản"}),
        ),
    ),
    min_size=1,
    max_size=25,
)


class World:
    """One database and app shared by all examples; state accumulates on purpose."""

    def __init__(self, app: App, channel: RecordingChannel) -> None:
        self.app, self.channel = app, channel
        self.next_update = 1

    def shown_choices(self, person: str) -> list[str]:
        """Payloads of the last message with buttons sent to this person."""
        for chat, message in reversed(self.channel.sent):
            if chat == person and message.choices:
                return [c.payload for row in message.choices for c in row]
        return []

    async def feed(self, person: str, action: dict[str, Any]) -> None:
        """Store one update in the inbox and let the bot handle and deliver it."""
        if "tap" in action:
            choices = self.shown_choices(person)
            if not choices:
                return
            action = {"button": choices[action["tap"] % len(choices)], "message_id": 1}
        payload = {"user": person, "update": self.next_update, **action}
        self.next_update += 1
        app = self.app
        async with app.db.transaction() as session:
            await inbox.store(
                session,
                self.channel.name,
                [inbox.Received(payload["update"], person, payload)],
                app.clock(),
            )
        await app.processor.drain()
        await app.dispatcher.drain()


async def _open_world(url: str) -> World:
    clock = FakeClock(datetime(2026, 11, 16, 2, 0, tzinfo=UTC))
    app = await open_app(test_settings(url), clock)
    channel = RecordingChannel()
    app.channels[channel.name] = channel
    async with app.db.transaction() as session:
        province = await build_province(session, clock())
        for person, official in [("lan", province.health_focal), ("hung", province.health_head)]:
            await bind_account(session, official, person, clock(), channel=channel.name)
    return World(app, channel)


async def _check_integrity(world: World) -> None:
    async with world.app.db.transaction() as session:
        assert (await session.execute(text("PRAGMA integrity_check"))).scalar() == "ok"
        assert (await session.execute(text("PRAGMA foreign_key_check"))).all() == []
        failed = (
            await session.scalars(select(InboxUpdate.error).where(InboxUpdate.error.is_not(None)))
        ).all()
        assert failed == [], f"unhandled exceptions: {failed[:3]}"
        assert (
            await session.scalar(
                select(func.count())
                .select_from(InboxUpdate)
                .where(InboxUpdate.processed_at.is_(None))
            )
            == 0
        )
        unsent = (
            await session.execute(
                select(OutboxMessage.state, OutboxMessage.last_error).where(
                    OutboxMessage.state != "sent"
                )
            )
        ).all()
        assert unsent == [], f"undelivered: {unsent[:3]}"
        bad = await session.scalar(
            select(func.count())
            .select_from(Assignment)
            .where((Assignment.progress < 0) | (Assignment.progress > 100))
        )
        assert bad == 0
        # Every report was made by an official of the unit that owns the assignment.
        foreign = await session.scalar(
            select(func.count())
            .select_from(ProgressReport)
            .join(Assignment, Assignment.id == ProgressReport.assignment_id)
            .join(Official, Official.id == ProgressReport.official_id)
            .where(Official.unit_id != Assignment.unit_id)
        )
        assert foreign == 0
    stranger_saw = [m.text for chat, m in world.channel.sent if chat == "stranger"]
    assert all("NV-" not in message for message in stranger_saw)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, Any]]:
    """An event loop and a world living across hypothesis examples."""
    loop = asyncio.new_event_loop()
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('random') / 'roviec.db'}"
    built = loop.run_until_complete(_open_world(url))
    yield built, loop
    loop.run_until_complete(built.app.db.dispose())
    loop.close()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=updates)
def test_random_updates_never_break_the_bot(
    world: tuple[World, asyncio.AbstractEventLoop], sequence: list[tuple[str, dict[str, Any]]]
) -> None:
    built, loop = world

    async def run() -> None:
        for person, action in sequence:
            await built.feed(person, action)
        await _check_integrity(built)

    loop.run_until_complete(run())
