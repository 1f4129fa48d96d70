"""one open extension request per assignment

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 04:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("decision IS NULL")


def upgrade() -> None:
    """A partial unique index: at most one undecided request per assignment."""
    op.create_index(
        "uq_extensionrequest_open",
        "extensionrequest",
        ["assignment_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    """Drop the index."""
    op.drop_index("uq_extensionrequest_open", table_name="extensionrequest")
