"""what recipients answer to a directive (phản hồi)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 08:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create directivereply."""
    op.create_table(
        "directivereply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("attachment_kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column(
            "attachment_file_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True
        ),
        sa.Column("attachment_name", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("created_at", db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["directive_id"], ["directive.id"]),
        sa.ForeignKeyConstraint(["receipt_id"], ["directivereceipt.id"]),
        sa.ForeignKeyConstraint(["official_id"], ["official.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_directivereply_directive_id", "directivereply", ["directive_id"])


def downgrade() -> None:
    """Drop it again."""
    op.drop_index("ix_directivereply_directive_id", table_name="directivereply")
    op.drop_table("directivereply")
