"""Import a whole plan from the Excel template (`roviec import`), all or nothing.

The file is read and checked completely before anything is written: every problem is
collected with its sheet and row, in Vietnamese for the operator, and a file with any
problem imports nothing. A good file becomes the plan, its groups, its tasks and pilot
models with a lead and support assignments each, and its indicators, in the caller's one
transaction, with one "plan.imported" audit entry.

Reading the sheets is `plan_rows`, checking single cells `plan_fields`, checking each sheet
`plan_checks`, and writing the checked plan `plan_storage`. `import_rows` is everything after
reading, for rows built elsewhere: the demo province writes its plan through it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from io import BytesIO
from zipfile import BadZipFile

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.plan import checks as plan_checks
from bot.services.plan import storage as plan_storage
from bot.services.plan.rows import Checker, Issue, Row, read_sheet
from bot.services.plan.storage import Imported
from bot.services.plan.template import (
    GROUP_SHEET,
    INDICATOR_SHEET,
    PLAN_SHEET,
    SHEETS,
    TASK_SHEET,
)
from bot.services.workbook import normalized
from db.models import Unit

__all__ = ["Imported", "Issue", "PlanImportError", "Row", "import_plan", "import_rows"]


class PlanImportError(Exception):
    """The file has problems; nothing was imported."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(f"{len(issues)} lỗi")
        self.issues = issues


async def import_plan(
    session: AsyncSession, data: bytes, *, now: datetime, actor_account: str = "cli"
) -> Imported:
    """Check the whole file, then write the plan; raise PlanImportError listing every problem."""
    check = Checker()
    try:
        book = load_workbook(BytesIO(data), data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as error:
        raise PlanImportError(
            [Issue(None, None, f"không đọc được tệp Excel (.xlsx): {error}")]
        ) from None
    rows = {name: read_sheet(book, name, check) for name in SHEETS}
    return await import_rows(session, rows, now=now, actor_account=actor_account, check=check)


async def import_rows(
    session: AsyncSession,
    rows: Mapping[str, list[Row] | None],
    *,
    now: datetime,
    actor_account: str = "cli",
    check: Checker | None = None,
) -> Imported:
    """Check the sheets' rows, then write the plan; raise PlanImportError listing every problem.

    `rows` maps each sheet name to its rows (None: the sheet is missing). The workbook import
    passes what it read, with the checker holding the header problems; the demo passes rows
    it built from its data file, so both go through the same checks and storage.
    """
    check = Checker() if check is None else check
    units = {
        normalized(code): unit_id
        for code, unit_id in await session.execute(select(Unit.code, Unit.id))
    }
    plan = await plan_checks.plan(session, rows[PLAN_SHEET], check)
    groups = plan_checks.groups(rows[GROUP_SHEET], check)
    tasks = await plan_checks.tasks(session, rows[TASK_SHEET], set(groups), units, check)
    indicators = await plan_checks.indicators(session, rows[INDICATOR_SHEET], units, check)
    if check.issues:
        raise PlanImportError(check.issues)
    assert plan is not None
    return await plan_storage.write(session, plan, groups, tasks, indicators, now, actor_account)
