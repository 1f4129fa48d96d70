"""choice menus: the numbered choices each chat without buttons was last shown

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 05:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create choicemenu."""
    op.create_table(
        "choicemenu",
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("chat_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("payloads", sa.JSON(), nullable=False),
        sa.Column("shown_at", db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "chat_key"),
    )


def downgrade() -> None:
    """Drop choicemenu."""
    op.drop_table("choicemenu")
