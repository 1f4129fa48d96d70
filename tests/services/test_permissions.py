"""Every cell of the permissions table: what each role may do and how far it reaches.

The grid below is the policy written out by hand, independently of the table in
bot/services/people/permissions.py: a change to either fails a cell here. Each cell is then
checked where it is enforced: in the service gate that handlers and services call, and, for
every command, by the bot itself (a refusal is answered and audited as `*.refused`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.services import proposals
from bot.services.directives.issuing import RECIPIENT_ROLES, may_issue
from bot.services.extensions.rules import may_decide, may_request
from bot.services.indicators.rules import may_report
from bot.services.people import Identity, directory
from bot.services.people.permissions import PERMISSIONS, Action, Scope, may, scope_of
from bot.services.reports.review import may_review
from bot.services.tasks.assigning import may_assign
from db.models import AuditLog, ChatAccount, Official, Role, Unit
from tests.harness import BotUnderTest

# unit: the own unit · fwd: what was forwarded to them · prov: every unit · -: refused
GRID = """
action             focal  head   standing  leader  admin
tasks.view         unit   unit   unit      unit    unit
report.file        unit   unit   unit      unit    unit
extension.request  unit   unit   -         -       -
extension.decide   -      -      prov      -       -
review.decide      -      -      prov      -       -
task.assign        -      -      prov      -       -
directive.issue    -      -      prov      prov    -
directive.receive  unit   unit   -         -       -
indicators.report  unit   unit   -         -       -
blockers.work      -      -      prov      fwd     -
blockers.forward   -      -      prov      -       -
ranking.view       -      unit   prov      prov    -
table.export       -      -      prov      prov    -
summary.view       unit   unit   prov      prov    unit
dashboard.view     -      unit   prov      prov    -
proposals.answer   -      -      prov      -       -
staff.manage       -      -      prov      -       -
"""
WORDS = {"unit": Scope.UNIT, "fwd": Scope.FORWARDED, "prov": Scope.PROVINCE, "-": None}


def _grid() -> dict[tuple[Role, Action], Scope | None]:
    """The hand-written policy as cells."""
    header, *rows = [line.split() for line in GRID.strip().splitlines()]
    roles = [Role(name) for name in header[1:]]
    return {
        (role, Action(row[0])): WORDS[word]
        for row in rows
        for role, word in zip(roles, row[1:], strict=True)
    }


CELLS = sorted(_grid().items(), key=lambda cell: (cell[0][1].value, cell[0][0].value))


def test_the_grid_names_every_action_and_every_role() -> None:
    assert {action for _, action in _grid()} == set(Action)
    assert {role for role, _ in _grid()} == set(Role)
    assert set(PERMISSIONS) <= set(_grid())


def _identity(role: Role, active: bool = True) -> Identity:
    """An official of `role` in a unit, as the processor identifies them."""
    unit = Unit(id=1, code="SYT", name="Sở Y tế", kind="department")
    official = Official(id=7, name="Cán bộ", role=role, unit_id=1, active=active)
    account = ChatAccount(id=1, channel="telegram", chat_key="1", user_key="1", official_id=7)
    return Identity(account=account, official=official, unit=unit)


GATES: dict[Action, Callable[[Identity], bool]] = {
    Action.REQUEST_EXTENSION: may_request,
    Action.DECIDE_EXTENSION: may_decide,
    Action.REVIEW_RESULTS: may_review,
    Action.ASSIGN_TASKS: lambda identity: may_assign(identity.official),
    Action.ISSUE_DIRECTIVES: lambda identity: may_issue(identity.official),
    Action.RECEIVE_DIRECTIVES: lambda identity: identity.official.role in RECIPIENT_ROLES,
    Action.REPORT_INDICATORS: may_report,
    Action.ANSWER_PROPOSALS: proposals.may_list,
}


@pytest.mark.parametrize(
    ("role", "action", "expected"),
    [(role, action, scope) for (role, action), scope in CELLS],
    ids=[f"{action}-{role}" for (role, action), _ in CELLS],
)
def test_a_cell(role: Role, action: Action, expected: Scope | None) -> None:
    identity = _identity(role)

    assert scope_of(role, action) is expected
    assert may(identity.official, action) is (expected is not None)
    if action in GATES:  # the gate the services call agrees with the table
        assert GATES[action](identity) is (expected is not None)
    assert not may(_identity(role, active=False).official, action)  # inactive: nothing


def test_a_role_this_version_does_not_know_may_do_nothing() -> None:
    assert all(scope_of("auditor", action) is None for action in Action)


COMMANDS = {
    Action.VIEW_TASKS: "/nhiemvu",
    Action.REPORT_PROGRESS: "/baocao",
    Action.REQUEST_EXTENSION: "/giahan",
    Action.DECIDE_EXTENSION: "/xetgiahan",
    Action.REVIEW_RESULTS: "/xacnhan",
    Action.ASSIGN_TASKS: "/giaoviec",
    Action.ISSUE_DIRECTIVES: "/chidao",
    Action.REPORT_INDICATORS: "/chitieu",
    Action.WORK_BLOCKERS: "/vuongmac",
    Action.VIEW_RANKING: "/xephang",
    Action.EXPORT_TABLE: "/xuatbaocao",
    Action.VIEW_SUMMARY: "/tonghop",
    Action.VIEW_DASHBOARD: "/web",
    Action.ANSWER_PROPOSALS: "/kiennghi",
    Action.MANAGE_STAFF: "/canbo",
}


async def _official_of(bot: BotUnderTest, role: Role) -> int:
    """An official of `role`: the province's own, or one added (leader, admin)."""
    p = bot.province
    known = {Role.FOCAL: p.health_focal, Role.HEAD: p.health_head, Role.STANDING: p.standing}
    if role in known:
        return known[role]
    unit = "UBND" if role is Role.LEADER else "CA"
    async with bot.app.db.transaction() as session:
        added = await directory.add_official(
            session,
            name="Lê Hồng Sơn",
            role=role,
            unit_code=unit,
            title="",
            now=datetime(2026, 11, 16, tzinfo=UTC),
        )
    return added.id or 0


@pytest.mark.parametrize("role", list(Role))
async def test_each_command_is_refused_or_served_as_the_grid_says(
    bot: BotUnderTest, role: Role
) -> None:
    person = await bot.registered(await _official_of(bot, role), 950)
    grid = _grid()

    served: dict[Action, bool] = {}
    for action, command in COMMANDS.items():
        before = await _refusals(bot)
        await bot.say(person, command)
        served[action] = await _refusals(bot) == before
        await bot.say(person, "/huy")  # leave whatever the command opened

    expected = {action: grid[(role, action)] is not None for action in COMMANDS}
    assert served == expected


async def _refusals(bot: BotUnderTest) -> int:
    """Refusals audited so far."""
    async with bot.app.db.read() as session:
        actions = await session.scalars(select(AuditLog.action))
        return sum(1 for action in actions if action.endswith(".refused"))
