"""stand-ins: someone who receives an official's notices for a period

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 08:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create standin."""
    op.create_table(
        "standin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("stand_in_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("starts_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("ends_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["official_id"], ["official.id"]),
        sa.ForeignKeyConstraint(["stand_in_id"], ["official.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_standin_official_period", "standin", ["official_id", "starts_at", "ends_at"]
    )


def downgrade() -> None:
    """Drop standin."""
    op.drop_index("ix_standin_official_period", table_name="standin")
    op.drop_table("standin")
