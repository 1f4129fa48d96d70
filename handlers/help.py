"""/trogiup (/help): what this person can do, by role."""

from __future__ import annotations

from bot.i18n import Translator
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
        t._("/trogiup — this help"),
    ]
    if role in (Role.FOCAL, Role.HEAD):
        lines.append(t._("/giahan — ask the standing office for a later deadline"))
    if role == Role.STANDING:
        lines.append(t._("/xacnhan — confirm or return results reported done"))
        lines.append(t._("/giaoviec — assign a new task to units"))
        lines.append(t._("Deadline extension requests come to you with buttons to decide."))
        lines.append(t._("/xetgiahan — extension requests waiting for your decision"))
    if role in (Role.STANDING, Role.LEADER):
        lines.append(t._("/chidao — send a directive to units and see who has received it"))
    if role in (Role.FOCAL, Role.HEAD):
        lines.append(t._("/chitieu — report your unit's indicators for this period"))
    if role == Role.STANDING:
        lines.append(t._("/vuongmac — open blockers: resolve them or forward them to a leader"))
        lines.append(t._("/kiennghi — proposals raised in reports: answer them"))
    if role == Role.LEADER:
        lines.append(t._("/vuongmac — blockers forwarded to you, to resolve"))
    if role in (Role.STANDING, Role.LEADER):
        lines.append(t._("/xephang — ranking of units by on-time work and reporting"))
    if role == Role.HEAD:
        lines.append(t._("/xephang — your unit's place in the ranking of units"))
    if role in (Role.STANDING, Role.LEADER):
        lines.append(t._("/xuatbaocao — the tracking table as an Excel file"))
    if role == Role.HEAD:
        lines += [
            "",
            t._(
                "As head of unit you are told when a report raises a difficulty "
                "or marks a task done."
            ),
        ]
    turn.say("\n".join(lines))
