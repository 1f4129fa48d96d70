"""Who sees what on the dashboard, decided on the server for every page.

The permissions table (`Action.VIEW_DASHBOARD`) says who: the standing office and the
provincial leaders see the whole province; a head sees the own unit only (its assignments,
reports, blockers, indicators). Anyone else has no dashboard. A page outside a person's scope
is refused and written to the audit log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.people.permissions import Action, Scope, roles_that_may, scope_of
from bot.services.signin import Viewer

ACTION = Action.VIEW_DASHBOARD
# The roles whose links warm the province's figures (bot.services.people.permissions).
PROVINCE_ROLES = tuple(r for r in roles_that_may(ACTION) if scope_of(r, ACTION) is Scope.PROVINCE)


def may_open(role: str) -> bool:
    """Whether an official of this role has a dashboard at all."""
    return scope_of(role, ACTION) is not None


def sees_province(viewer: Viewer) -> bool:
    """Whether the viewer sees the whole province."""
    return scope_of(viewer.official.role, ACTION) is Scope.PROVINCE


def sees_unit(viewer: Viewer, unit_id: int) -> bool:
    """Whether the viewer may see this unit's pages."""
    scope = scope_of(viewer.official.role, ACTION)
    return scope is Scope.PROVINCE or (scope is Scope.UNIT and viewer.unit.id == unit_id)


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
