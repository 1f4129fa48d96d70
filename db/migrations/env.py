"""Alembic environment: migrations run on a connection handed over by `db.migrate`.

Run from the command line (`alembic -c db/alembic.ini …`, for writing new revisions) it
connects to ROVIEC_DATABASE_URL itself.
"""

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables on SQLModel.metadata)

target_metadata = SQLModel.metadata


def run_on(connection: Connection) -> None:
    """Run the migrations on one connection; batch mode so SQLite can alter tables."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_standalone() -> None:
    """Connect to the configured database and migrate it."""
    url = os.environ.get("ROVIEC_DATABASE_URL", "sqlite+aiosqlite:///roviec.db")
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(run_on)
        await connection.commit()
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    asyncio.run(run_standalone())
