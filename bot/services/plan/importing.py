"""Import a plan, and the units and officials to add, from the Excel template, all or nothing.

The file is read and checked completely before anything is written: every problem is
collected with its sheet and row, in Vietnamese for the operator, and a file with any
problem imports nothing. A good file becomes the plan, its groups, its tasks and pilot
models with a lead and support assignments each, and its indicators, in the caller's one
transaction, with one "plan.imported" audit entry. A file whose plan the database has
already revises it (`plan_revision`): its tasks are updated by code. The roster sheets
("Đơn vị", "Cán bộ", optional) add units and officials first (`plan_staff`), so that the
plan may give work to a unit added by the same file; a file may hold only them.

Reading the sheets is `plan_rows`, checking single cells `plan_fields`, checking each sheet
`plan_checks`, and writing the checked plan `plan_storage`. `import_rows` is everything after
reading, for rows built elsewhere: the demo province writes its plan through it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from zipfile import BadZipFile

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.plan import checks as plan_checks
from bot.services.plan import revision as plan_revision
from bot.services.plan import staff as plan_staff
from bot.services.plan import storage as plan_storage
from bot.services.plan.revision import Revision
from bot.services.plan.rows import Checker, Issue, Row, read_sheet
from bot.services.plan.staff import Roster
from bot.services.plan.storage import Imported
from bot.services.plan.template import (
    GROUP_SHEET,
    INDICATOR_SHEET,
    NEW_UNIT_SHEET,
    PLAN_SHEET,
    SHEETS,
    STAFF_SHEET,
    STAFF_SHEETS,
    TASK_SHEET,
)
from bot.services.workbook import normalized
from db.models import Unit

__all__ = [
    "Imported",
    "Issue",
    "Outcome",
    "PlanImportError",
    "Row",
    "import_plan",
    "import_rows",
    "import_workbook",
]


class PlanImportError(Exception):
    """The file has problems; nothing was imported."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(f"{len(issues)} lỗi")
        self.issues = issues


@dataclass(frozen=True)
class Outcome:
    """What a file did: a new plan, or the revision of one it had, and the roster added."""

    plan: Imported | None = None
    revision: Revision | None = None
    roster: Roster = field(default_factory=Roster)


async def import_plan(
    session: AsyncSession, data: bytes, *, now: datetime, actor_account: str = "cli"
) -> Imported:
    """Check the whole file, then write a new plan; raise PlanImportError listing every
    problem (a plan the database has already is revised by `import_workbook` instead)."""
    outcome = await import_workbook(session, data, now=now, actor_account=actor_account)
    if outcome.plan is None:
        raise PlanImportError([Issue(PLAN_SHEET, None, "kế hoạch đã có trong cơ sở dữ liệu")])
    return outcome.plan


async def import_workbook(
    session: AsyncSession, data: bytes, *, now: datetime, actor_account: str = "cli"
) -> Outcome:
    """Check the whole file, then write it; raise PlanImportError listing every problem."""
    check = Checker()
    try:
        book = load_workbook(BytesIO(data), data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as error:
        raise PlanImportError(
            [Issue(None, None, f"không đọc được tệp Excel (.xlsx): {error}")]
        ) from None
    present = set(book.sheetnames)
    roster_only = not present & set(SHEETS) and bool(present & set(STAFF_SHEETS))
    names = [n for n in STAFF_SHEETS if n in present] + ([] if roster_only else list(SHEETS))
    rows = {name: read_sheet(book, name, check) for name in names}
    return await import_rows(session, rows, now=now, actor_account=actor_account, check=check)


async def import_rows(
    session: AsyncSession,
    rows: Mapping[str, list[Row] | None],
    *,
    now: datetime,
    actor_account: str = "cli",
    check: Checker | None = None,
) -> Outcome:
    """Check the sheets' rows, then write them; raise PlanImportError listing every problem.

    `rows` maps each sheet name to its rows (None: the sheet is missing; a roster sheet may
    be left out, and a file of roster sheets only has no plan). The workbook import passes
    what it read, with the checker holding the header problems; the demo passes rows it
    built from its data file, so both go through the same checks and storage.
    """
    check = Checker() if check is None else check
    units = await _unit_ids(session)
    roster = await plan_staff.check(
        session, rows.get(NEW_UNIT_SHEET), rows.get(STAFF_SHEET), units, check
    )
    planned = {**units, **{normalized(u.code): 0 for u in roster.units}}
    if PLAN_SHEET not in rows:
        if check.issues:
            raise PlanImportError(check.issues)
        await plan_staff.write(session, roster, units, now, actor_account)
        return Outcome(roster=roster)
    plan = await plan_checks.plan(session, rows[PLAN_SHEET], check)
    known = plan[2] if plan else None
    groups = plan_checks.groups(rows[GROUP_SHEET], check)
    tasks = await plan_checks.tasks(session, rows[TASK_SHEET], set(groups), planned, check, known)
    indicators = await plan_checks.indicators(session, rows[INDICATOR_SHEET], planned, check, known)
    if check.issues:
        raise PlanImportError(check.issues)
    assert plan is not None
    if roster.units or roster.officials:
        # The plan may name units the file adds: check it again with their ids.
        await plan_staff.write(session, roster, units, now, actor_account)
        tasks = await plan_checks.tasks(session, rows[TASK_SHEET], set(groups), units, check, known)
        indicators = await plan_checks.indicators(
            session, rows[INDICATOR_SHEET], units, check, known
        )
        if check.issues:
            raise PlanImportError(check.issues)
    if known is None:
        written = await plan_storage.write(
            session, (plan[0], plan[1]), groups, tasks, indicators, now, actor_account
        )
        return Outcome(plan=written, roster=roster)
    return Outcome(
        revision=await _revise(
            session, known, plan[0], groups, tasks, indicators, check, now, actor_account
        ),
        roster=roster,
    )


async def _unit_ids(session: AsyncSession) -> dict[str, int]:
    """Normalized unit code → id."""
    return {
        normalized(code): unit_id
        for code, unit_id in await session.execute(select(col(Unit.code), col(Unit.id)))
    }


async def _revise(
    session: AsyncSession,
    plan_id: int,
    plan_code: str,
    groups: dict[str, str],
    tasks: list[plan_checks.TaskRow],
    indicators: list[plan_checks.IndicatorRow],
    check: Checker,
    now: datetime,
    actor_account: str = "cli",
) -> Revision:
    """Update the plan's tasks by code and add what is new, once every change is allowed."""
    revision, updates, new = await plan_revision.compare(
        session, plan_id, plan_code, groups, tasks, check
    )
    if check.issues:
        raise PlanImportError(check.issues)
    await plan_revision.apply(session, updates, now=now, actor_account=actor_account)
    await plan_storage.add(session, plan_id, groups, new, indicators)
    audit.record(
        session,
        now=now,
        action="plan.revised",
        actor_account=actor_account,
        entity="plan",
        entity_id=plan_id,
        after={
            "groups_added": revision.groups_added,
            "tasks_added": revision.tasks_added,
            "tasks_changed": len(updates),
            "indicators_added": len(indicators),
        },
    )
    return revision
