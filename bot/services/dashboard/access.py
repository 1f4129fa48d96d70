"""Who sees what on the dashboard, decided on the server for every page.

The standing office and the provincial leaders see the whole province; a head sees the
own unit only (its assignments, reports, blockers, indicators). Anyone else has no
dashboard. A page outside a person's scope is refused and written to the audit log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.signin import Viewer
from db.models import Role

PROVINCE_ROLES = (Role.STANDING, Role.LEADER)
UNIT_ROLES = (Role.HEAD,)


class NotAllowed(Exception):
    """The page is outside the viewer's scope (already written to the audit log)."""


def may_open(role: str) -> bool:
    """Whether an official of this role has a dashboard at all."""
    return role in PROVINCE_ROLES or role in UNIT_ROLES


def sees_province(viewer: Viewer) -> bool:
    """Whether the viewer sees the whole province."""
    return viewer.official.role in PROVINCE_ROLES


def sees_unit(viewer: Viewer, unit_id: int) -> bool:
    """Whether the viewer may see this unit's pages."""
    if sees_province(viewer):
        return True
    return viewer.official.role in UNIT_ROLES and viewer.unit.id == unit_id


def refuse(session: AsyncSession, viewer: Viewer, now: datetime, what: str) -> NotAllowed:
    """Audit a page outside the viewer's scope; return the exception to raise."""
    audit.record(
        session,
        now=now,
        action="dashboard.refused",
        actor_official_id=viewer.official_id,
        actor_account="web",
        detail=f"role {viewer.official.role} of unit {viewer.unit.id}: {what}"[:500],
    )
    return NotAllowed(what)


def require_province(session: AsyncSession, viewer: Viewer, now: datetime, what: str) -> None:
    """Refuse (and audit) unless the viewer sees the province."""
    if not sees_province(viewer):
        raise refuse(session, viewer, now, what)


def require_unit(
    session: AsyncSession, viewer: Viewer, unit_id: int, now: datetime, what: str
) -> None:
    """Refuse (and audit) unless the viewer may see this unit."""
    if not sees_unit(viewer, unit_id):
        raise refuse(session, viewer, now, what)
