"""outbox holds: when a dispatcher last renewed its claim on a message

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 04:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add outboxmessage.claimed_at (empty for rows already there)."""
    with op.batch_alter_table("outboxmessage") as batch:
        batch.add_column(sa.Column("claimed_at", db.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    """Drop outboxmessage.claimed_at."""
    with op.batch_alter_table("outboxmessage") as batch:
        batch.drop_column("claimed_at")
