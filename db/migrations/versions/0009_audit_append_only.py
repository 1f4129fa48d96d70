"""the audit log is append-only: the database refuses UPDATE and DELETE on it

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 21:40:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFUSAL = "auditlog is append-only"


def upgrade() -> None:
    """Triggers that abort any UPDATE or DELETE of an audit entry."""
    if _postgres():
        op.execute(
            "CREATE FUNCTION auditlog_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$"
        )
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER auditlog_no_{event.lower()} BEFORE {event} ON auditlog "
                "FOR EACH ROW EXECUTE FUNCTION auditlog_refuse_change()"
            )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER auditlog_no_{event.lower()} BEFORE {event} ON auditlog "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        )


def downgrade() -> None:
    """Drop the triggers."""
    for event in ("update", "delete"):
        on_table = " ON auditlog" if _postgres() else ""
        op.execute(f"DROP TRIGGER auditlog_no_{event}{on_table}")
    if _postgres():
        op.execute("DROP FUNCTION auditlog_refuse_change()")


def _postgres() -> bool:
    """Whether the migration runs against PostgreSQL."""
    return op.get_bind().dialect.name == "postgresql"
