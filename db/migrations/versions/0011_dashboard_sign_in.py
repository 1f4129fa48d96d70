"""the dashboard's one-time links and browser sessions; an index on an audit entity

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 08:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create weblink and websession; index auditlog by entity."""
    op.create_table(
        "weblink",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("used_at", db.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["official_id"], ["official.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_weblink_official_id", "weblink", ["official_id"])
    op.create_table(
        "websession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("ended_at", db.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["link_id"], ["weblink.id"]),
        sa.ForeignKeyConstraint(["official_id"], ["official.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_websession_official_id", "websession", ["official_id"])
    op.create_index("ix_auditlog_entity", "auditlog", ["entity", "entity_id"])


def downgrade() -> None:
    """Drop them again."""
    op.drop_index("ix_auditlog_entity", table_name="auditlog")
    op.drop_index("ix_websession_official_id", table_name="websession")
    op.drop_table("websession")
    op.drop_index("ix_weblink_official_id", table_name="weblink")
    op.drop_table("weblink")
