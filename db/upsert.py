"""INSERT … ON CONFLICT (do nothing, or update) for the two dialects roviec runs on."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel


def insert_ignoring_duplicates(
    session: AsyncSession, model: type[SQLModel], rows: list[dict[str, Any]], unique: list[str]
) -> Any:
    """An INSERT statement that skips rows colliding on the `unique` columns."""
    dialect = session.get_bind().dialect.name
    # SQLModel's metaclass sets __table__ on table models only, so the type does not declare it.
    table = model.__table__  # type: ignore[attr-defined]
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    return insert.values(rows).on_conflict_do_nothing(index_elements=unique)


async def insert_new(
    session: AsyncSession, model: type[SQLModel], rows: list[dict[str, Any]], unique: list[str]
) -> int:
    """Insert the rows that collide with none on the `unique` columns; how many were new.

    The rows go as parameters of one statement, which SQLAlchemy compiles once and caches:
    an INSERT with the rows in its VALUES is compiled anew on every call (a few per cent of
    the CPU when handling updates). The rows must all have the same keys.
    """
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    table = model.__table__  # type: ignore[attr-defined]
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    statement = insert.on_conflict_do_nothing(index_elements=unique).returning(
        *table.primary_key.columns
    )
    # RETURNING gives the rows inserted (a skipped one returns nothing) on both dialects,
    # where the rowcount of a statement run for many parameter sets is not reliable.
    # One row goes as one parameter set: many go through insertmanyvalues, a little dearer.
    parameters: Any = rows[0] if len(rows) == 1 else rows
    return len((await session.execute(statement, parameters)).all())


def upsert(
    session: AsyncSession,
    model: type[SQLModel],
    rows: list[dict[str, Any]],
    unique: list[str],
    update: list[str],
) -> Any:
    """An INSERT statement that, on a collision on `unique`, sets the `update` columns."""
    dialect = session.get_bind().dialect.name
    table = model.__table__  # type: ignore[attr-defined]
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    statement = insert.values(rows)
    return statement.on_conflict_do_update(
        index_elements=unique, set_={name: statement.excluded[name] for name in update}
    )
