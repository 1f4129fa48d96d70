"""stored files for links; the account an official used last and the channel they chose

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 21:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create storedfile; add chataccount.last_seen_at and official.notify_channel."""
    op.create_table(
        "storedfile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", db.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_storedfile_sha256", "storedfile", ["sha256"])
    with op.batch_alter_table("chataccount") as batch:
        batch.add_column(sa.Column("last_seen_at", db.types.UTCDateTime(), nullable=True))
    with op.batch_alter_table("official") as batch:
        batch.add_column(
            sa.Column("notify_channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("official") as batch:
        batch.drop_column("notify_channel")
    with op.batch_alter_table("chataccount") as batch:
        batch.drop_column("last_seen_at")
    op.drop_index("ix_storedfile_sha256", table_name="storedfile")
    op.drop_table("storedfile")
