"""Who may do what, and over which work: one table of role × action → scope.

Every service and handler asks this table (through `may` or `scope_of`) instead of comparing
roles itself, so a change of policy is one line here and the test of every cell
(tests/services/test_permissions.py) says what changed. A pair absent from the table is
refused.
"""

from __future__ import annotations

from enum import StrEnum

from db.models import Official, Role


class Action(StrEnum):
    """Something an official may ask roviec to do."""

    VIEW_TASKS = "tasks.view"  # /nhiemvu
    REPORT_PROGRESS = "report.file"  # /baocao
    REQUEST_EXTENSION = "extension.request"  # /giahan
    DECIDE_EXTENSION = "extension.decide"  # approve or refuse a request
    REVIEW_RESULTS = "review.decide"  # /xacnhan: confirm or return a result
    ASSIGN_TASKS = "task.assign"  # /giaoviec
    ISSUE_DIRECTIVES = "directive.issue"  # /chidao
    RECEIVE_DIRECTIVES = "directive.receive"  # be sent directives and acknowledge them
    REPORT_INDICATORS = "indicators.report"  # /chitieu
    WORK_BLOCKERS = "blockers.work"  # /vuongmac: see and resolve blockers
    FORWARD_BLOCKERS = "blockers.forward"  # pass a blocker to a provincial leader
    VIEW_RANKING = "ranking.view"  # /xephang
    EXPORT_TABLE = "table.export"  # /xuatbaocao
    VIEW_SUMMARY = "summary.view"  # /tonghop and /quahan
    VIEW_DASHBOARD = "dashboard.view"  # /web: the dashboard in the browser
    ANSWER_PROPOSALS = "proposals.answer"  # /kiennghi: see and answer proposals
    MANAGE_STAFF = "staff.manage"  # /canbo: take an official off the roster


class Scope(StrEnum):
    """Over which work an allowed action reaches."""

    UNIT = "unit"  # the official's own unit
    FORWARDED = "forwarded"  # what was forwarded to this official
    PROVINCE = "province"  # every unit


_ALL = tuple(Role)
_UNITS = (Role.FOCAL, Role.HEAD)

PERMISSIONS: dict[tuple[Role, Action], Scope] = {
    **{(role, Action.VIEW_TASKS): Scope.UNIT for role in _ALL},
    **{(role, Action.REPORT_PROGRESS): Scope.UNIT for role in _ALL},
    **{(role, Action.REQUEST_EXTENSION): Scope.UNIT for role in _UNITS},
    (Role.STANDING, Action.DECIDE_EXTENSION): Scope.PROVINCE,
    (Role.STANDING, Action.REVIEW_RESULTS): Scope.PROVINCE,
    (Role.STANDING, Action.ASSIGN_TASKS): Scope.PROVINCE,
    (Role.STANDING, Action.ISSUE_DIRECTIVES): Scope.PROVINCE,
    (Role.LEADER, Action.ISSUE_DIRECTIVES): Scope.PROVINCE,
    **{(role, Action.RECEIVE_DIRECTIVES): Scope.UNIT for role in _UNITS},
    **{(role, Action.REPORT_INDICATORS): Scope.UNIT for role in _UNITS},
    (Role.STANDING, Action.WORK_BLOCKERS): Scope.PROVINCE,
    (Role.LEADER, Action.WORK_BLOCKERS): Scope.FORWARDED,
    (Role.STANDING, Action.FORWARD_BLOCKERS): Scope.PROVINCE,
    (Role.STANDING, Action.ANSWER_PROPOSALS): Scope.PROVINCE,
    (Role.STANDING, Action.VIEW_RANKING): Scope.PROVINCE,
    (Role.LEADER, Action.VIEW_RANKING): Scope.PROVINCE,
    (Role.HEAD, Action.VIEW_RANKING): Scope.UNIT,
    (Role.STANDING, Action.EXPORT_TABLE): Scope.PROVINCE,
    (Role.LEADER, Action.EXPORT_TABLE): Scope.PROVINCE,
    **{(role, Action.VIEW_SUMMARY): Scope.UNIT for role in (*_UNITS, Role.ADMIN)},
    (Role.STANDING, Action.VIEW_SUMMARY): Scope.PROVINCE,
    (Role.LEADER, Action.VIEW_SUMMARY): Scope.PROVINCE,
    (Role.STANDING, Action.VIEW_DASHBOARD): Scope.PROVINCE,
    (Role.LEADER, Action.VIEW_DASHBOARD): Scope.PROVINCE,
    (Role.HEAD, Action.VIEW_DASHBOARD): Scope.UNIT,
    (Role.STANDING, Action.MANAGE_STAFF): Scope.PROVINCE,
}


def scope_of(role: Role | str, action: Action) -> Scope | None:
    """How far `action` reaches for `role`; None when it is refused."""
    try:
        return PERMISSIONS.get((Role(role), action))
    except ValueError:  # a role this version does not know: nothing is allowed
        return None


def may(official: Official, action: Action) -> bool:
    """Whether this official may do `action` at all (an inactive official may do nothing)."""
    return official.active and scope_of(official.role, action) is not None


def roles_that_may(action: Action) -> tuple[Role, ...]:
    """The roles allowed `action`, in the order of `Role` (for queries that pick people)."""
    return tuple(role for role in Role if (role, action) in PERMISSIONS)
