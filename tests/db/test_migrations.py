"""Migrations: from an empty database to the schema the models describe, on both databases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pprint import pformat

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import SQLModel

import db.models  # noqa: F401  (the tables on SQLModel.metadata)
from db.engine import Database
from db.migrate import alembic_config, current_revision, upgrade


@pytest.fixture
async def empty(empty_database_url: str) -> AsyncIterator[Database]:
    db = Database(empty_database_url)
    yield db
    await db.dispose()


async def table_names(db: Database) -> set[str]:
    async with db.engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


def head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_an_empty_database_has_no_revision(empty: Database) -> None:
    assert await current_revision(empty) is None


async def test_upgrade_creates_every_table_of_the_models(empty: Database) -> None:
    await upgrade(empty)

    assert set(SQLModel.metadata.tables) <= await table_names(empty)


async def test_upgrade_twice_is_harmless(empty: Database) -> None:
    await upgrade(empty)
    tables = await table_names(empty)

    await upgrade(empty)

    assert await table_names(empty) == tables
    assert await current_revision(empty) == head()


async def test_the_database_is_at_the_newest_revision(empty: Database) -> None:
    await upgrade(empty)

    assert head() is not None
    assert await current_revision(empty) == head()


async def test_the_migrated_schema_matches_the_models(empty: Database) -> None:
    await upgrade(empty)

    async with empty.engine.connect() as connection:
        diff = await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}),
                SQLModel.metadata,
            )
        )

    assert diff == [], "the migrations and db/models/ differ:\n" + pformat(diff)
