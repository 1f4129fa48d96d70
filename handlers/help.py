"""/trogiup (/help): what this person can do, by role."""

from __future__ import annotations

from bot.i18n import Translator
from bot.services.people.permissions import Action, Scope, may, scope_of
from db.models import Role
from handlers.turn import Turn


def role_name(t: Translator, role: str) -> str:
    """A role as people say it."""
    names = {
        Role.FOCAL: t._("focal officer"),
        Role.HEAD: t._("head of unit"),
        Role.STANDING: t._("standing office"),
        Role.LEADER: t._("provincial leader"),
        Role.ADMIN: t._("administrator"),
    }
    return names.get(Role(role), role)


async def handle(turn: Turn) -> None:
    """List the commands that make sense for this role."""
    t = turn.t
    role = turn.identity.official.role
    lines = [
        t._(
            "You are registered as {role} of {unit}.",
            role=role_name(t, role),
            unit=turn.identity.unit.name,
        ),
        "",
        t._("/nhiemvu — your unit's tasks, overdue first"),
        t._("/baocao — report progress on a task, step by step"),
        t._("/huy — cancel what you are doing"),
        t._("/kenh — where reminders and notices go, if you use both Telegram and Zalo"),
        t._("/ngonngu — the bot's language: Vietnamese or English"),
        t._("/trogiup — this help"),
    ]
    official = turn.identity.official

    def allowed(action: Action) -> bool:
        return may(official, action)

    if allowed(Action.REQUEST_EXTENSION):
        lines.append(t._("/giahan — ask the standing office for a later deadline"))
    if allowed(Action.REVIEW_RESULTS):
        lines.append(t._("/xacnhan — confirm or return results reported done"))
    if allowed(Action.ASSIGN_TASKS):
        lines.append(t._("/giaoviec — assign a new task to units"))
    if allowed(Action.DECIDE_EXTENSION):
        lines.append(t._("Deadline extension requests come to you with buttons to decide."))
        lines.append(t._("/xetgiahan — extension requests waiting for your decision"))
    if allowed(Action.ISSUE_DIRECTIVES):
        lines.append(t._("/chidao — send a directive to units and see who has received it"))
    if allowed(Action.REPORT_INDICATORS):
        lines.append(t._("/chitieu — report your unit's indicators for this period"))
    blockers = scope_of(role, Action.WORK_BLOCKERS)
    if blockers is Scope.PROVINCE:
        lines.append(t._("/vuongmac — open blockers: resolve them or forward them to a leader"))
        lines.append(t._("/kiennghi — proposals raised in reports: answer them"))
    elif blockers is Scope.FORWARDED:
        lines.append(t._("/vuongmac — blockers forwarded to you, to resolve"))
    ranking = scope_of(role, Action.VIEW_RANKING)
    if ranking is Scope.PROVINCE:
        lines.append(t._("/xephang — ranking of units by on-time work and reporting"))
    elif ranking is Scope.UNIT:
        lines.append(t._("/xephang — your unit's place in the ranking of units"))
    summaries = scope_of(role, Action.VIEW_SUMMARY)
    if summaries is Scope.PROVINCE:
        lines.append(t._("/tonghop — how the province stands; choose a unit to see it"))
    elif summaries is Scope.UNIT:
        lines.append(t._("/tonghop — how your unit stands: figures, rank, what waits"))
    if summaries is not None:
        lines.append(t._("/quahan — what is overdue, longest first, and who answers for it"))
    if allowed(Action.EXPORT_TABLE):
        lines.append(t._("/xuatbaocao — the tracking table as an Excel file"))
    if role in (Role.STANDING, Role.LEADER):
        lines.append(t._("/web — the province dashboard in the browser (a one-time link)"))
    if role == Role.HEAD:
        lines.append(t._("/web — your unit's dashboard in the browser (a one-time link)"))
    if allowed(Action.MANAGE_STAFF):
        lines.append(t._("/canbo — take an official who left off the roster"))
    if role == Role.HEAD:
        lines += [
            "",
            t._(
                "As head of unit you are told when a report raises a difficulty "
                "or marks a task done."
            ),
        ]
    turn.say("\n".join(lines))
