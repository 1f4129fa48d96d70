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


def refuse(session: AsyncSession, viewer: Viewer, now: datetime, what: str) -> None:
    """Write a page asked for outside the viewer's scope to the audit log."""
    audit.record(
        session,
        now=now,
        action="dashboard.refused",
        actor_official_id=viewer.official_id,
        actor_account="web",
        detail=f"role {viewer.official.role} of unit {viewer.unit.id}: {what}"[:500],
    )
