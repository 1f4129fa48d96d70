"""command menus: which menu each chat shows on its platform, and which must be set again

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 14:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create commandmenu."""
    op.create_table(
        "commandmenu",
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("chat_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("shown", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("due", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("retry_at", db.types.UTCDateTime(), nullable=True),
        sa.Column("updated_at", db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "chat_key"),
    )
    op.create_index("ix_commandmenu_due", "commandmenu", ["channel", "due"])


def downgrade() -> None:
    """Drop commandmenu."""
    op.drop_index("ix_commandmenu_due", table_name="commandmenu")
    op.drop_table("commandmenu")
