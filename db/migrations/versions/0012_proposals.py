"""proposals (đề xuất, kiến nghị) tracked to an answer, like blockers

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 08:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The proposal table; reports stored before keep their text in progressreport.proposal."""
    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("proposed_by", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("opened_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("answered_at", db.types.UTCDateTime(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["assignment_id"], ["assignment.id"]),
        sa.ForeignKeyConstraint(["report_id"], ["progressreport.id"]),
        sa.ForeignKeyConstraint(["proposed_by"], ["official.id"]),
        sa.ForeignKeyConstraint(["answered_by"], ["official.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_index("ix_proposal_assignment_id", ["assignment_id"], unique=False)


def downgrade() -> None:
    """Drop the proposal table."""
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index("ix_proposal_assignment_id")
    op.drop_table("proposal")
