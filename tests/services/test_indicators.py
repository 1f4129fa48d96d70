"""Indicators as data: the latest value per period, direction-aware achievement, recording."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import event, select

from bot import demo
from bot import demo_province as seed
from bot.services.indicators import achievement as indicator_achievement
from bot.services.indicators.achievement import achievement
from bot.services.indicators.rules import IndicatorRejected, meets, ratio_value
from bot.services.indicators.values import record
from bot.services.people.identity import Identity
from db.engine import Database
from db.migrate import upgrade
from db.models import AuditLog, ChatAccount, Indicator, IndicatorValue, Official, Unit
from tests.province import build_province

NOW = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await upgrade(database)
    yield database
    await database.dispose()


async def _setup(db: Database) -> dict[str, int]:
    """Three indicators of Sở Y tế and one of Sở GD&ĐT, with values over two periods."""
    async with db.transaction() as session:
        province = await build_province(session, NOW)
        units = dict((await session.execute(select(Unit.code, Unit.id))).all())
        rows = {
            "CT-01": Indicator(
                code="CT-01", title="Tỷ lệ", kind="ratio", unit_id=units["SYT"], target=70.0
            ),
            "CT-02": Indicator(
                code="CT-02",
                title="Quá hạn",
                kind="ratio",
                unit_id=units["SYT"],
                target=3.0,
                direction="<=",
            ),
            "CT-03": Indicator(
                code="CT-03", title="KIOSK", kind="count", unit_id=units["SYT"], target=2.0
            ),
            "CT-04": Indicator(
                code="CT-04", title="Có/không", kind="yes_no", unit_id=units["SGDDT"], target=1.0
            ),
        }
        session.add_all(rows.values())
        await session.flush()
        ids = {code: row.id or 0 for code, row in rows.items()}

        def value(code: str, period: str, v: float, minutes: int) -> IndicatorValue:
            return IndicatorValue(
                indicator_id=ids[code],
                period_key=period,
                value=v,
                official_id=province.health_focal,
                created_at=NOW + timedelta(minutes=minutes),
            )

        session.add_all(
            [
                value("CT-01", "2026-M11", 65.0, 0),
                value("CT-01", "2026-M12", 60.0, 1),
                value("CT-01", "2026-M12", 72.0, 2),  # the newer one counts
                value("CT-02", "2026-M12", 3.0, 3),  # exactly at a ≤ target: met
                value("CT-03", "2026-M12", 1.0, 4),
            ]
        )
        return ids | {"health_focal": province.health_focal, "syt": units["SYT"]}


async def test_achievement_takes_the_newest_value_and_knows_the_direction(db: Database) -> None:
    ids = await _setup(db)
    async with db.read() as session:
        found = {a.code: a for a in await achievement(session, "2026-M12")}
        only_health = await achievement(session, "2026-M12", ids["syt"])
    assert (found["CT-01"].value, found["CT-01"].meets) == (72.0, True)
    assert (found["CT-02"].value, found["CT-02"].meets) == (3.0, True)
    assert (found["CT-03"].value, found["CT-03"].meets) == (1.0, False)
    assert (found["CT-04"].value, found["CT-04"].meets) == (None, None)
    assert found["CT-01"].unit_name == "Sở Y tế" and found["CT-01"].period_key == "2026-M12"
    assert [a.code for a in only_health] == ["CT-01", "CT-02", "CT-03"]


async def test_achievement_is_two_queries_whatever_the_number_of_indicators(
    db: Database,
) -> None:
    await _setup(db)
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with db.read() as session:
            await achievement(session, "2026-M12")
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2


async def _identity(db: Database, official_id: int) -> Identity:
    async with db.read() as session:
        official = await session.get(Official, official_id)
        assert official is not None
        unit = await session.get(Unit, official.unit_id)
        assert unit is not None
    account = ChatAccount(
        channel="test", user_key="1", chat_key="1", official_id=official_id, bound_at=NOW
    )
    return Identity(account, official, unit)


async def test_record_checks_the_draft_again_and_audits(db: Database) -> None:
    ids = await _setup(db)
    lan = await _identity(db, ids["health_focal"])
    bad_drafts = [
        (ids["CT-01"], {"numerator": 8, "denominator": 5}),
        (ids["CT-01"], {"numerator": 0, "denominator": 0}),
        (ids["CT-01"], {"numerator": "7", "denominator": 10}),
        (ids["CT-03"], {"value": -3}),
        (ids["CT-03"], {"value": 0}),  # misses the target of 2, without a reason
        (ids["CT-04"], {"value": 1}),  # another unit's indicator
    ]
    for indicator_id, draft in bad_drafts:
        async with db.transaction() as session:
            with pytest.raises(IndicatorRejected):
                await record(session, lan, indicator_id, draft, period_key="2026-M12", now=NOW)
    async with db.transaction() as session:
        done = await record(
            session,
            lan,
            ids["CT-01"],
            {"numerator": 57, "denominator": 100, "reason": "  Thiếu máy đọc thẻ  "},
            period_key="2026-M12",
            now=NOW,
        )
    assert (done.value, done.meets) == (57.0, False)
    async with db.read() as session:
        stored = await session.get(IndicatorValue, done.value_id)
        entry = await session.scalar(
            select(AuditLog).where(AuditLog.action == "indicator.reported")
        )
    assert stored is not None and stored.reason == "Thiếu máy đọc thẻ"
    assert (stored.numerator, stored.denominator) == (57, 100)
    assert entry is not None and entry.before == {"period": "2026-M12", "value": 72.0}
    assert entry.after is not None and entry.after["value"] == 57.0


@given(
    numerator=st.integers(0, 10**6),
    extra=st.integers(0, 10**6),
    target=st.integers(0, 100),
)
def test_a_ratio_exactly_at_its_target_meets_it(numerator: int, extra: int, target: int) -> None:
    denominator = numerator + extra
    if denominator == 0:
        return
    value = ratio_value(numerator, denominator)
    assert 0 <= value <= 100
    assert meets(value, value, ">=") and meets(value, value, "<=")
    assert meets(ratio_value(target, 100), target, ">=")
    assert meets(value, target, ">=") == (numerator * 100 >= target * denominator)


async def test_the_demo_creates_the_seed_indicators_with_values(db: Database) -> None:
    async with db.transaction() as session:
        await demo.load(session, now=NOW, today=date(2026, 11, 16))
    async with db.read() as session:
        codes = set(await session.scalars(select(Indicator.code)))
        last = await indicator_achievement.achievement(session, "2026-M11")
        current = await indicator_achievement.achievement(session, "2026-M12")
    assert codes == {s.code for s in seed.province().indicators}
    assert all(a.value is not None for a in last)
    assert any(a.meets is False and a.reason for a in last)
    assert any(a.meets for a in last)
    assert 0 < sum(a.value is not None for a in current) < len(current)
