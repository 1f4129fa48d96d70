"""A whole plan, a revision of one, and the units and officials to add, from the Excel
template (`roviec template`, `roviec import`), all or nothing."""

from __future__ import annotations

from bot.services.plan.importing import (
    Outcome,
    PlanImportError,
    import_plan,
    import_rows,
    import_workbook,
)
from bot.services.plan.revision import Change, Revision
from bot.services.plan.rows import Row
from bot.services.plan.staff import Roster
from bot.services.plan.template import (
    COLUMNS,
    GROUP_SHEET,
    INDICATOR_SHEET,
    NEW_UNIT_SHEET,
    PLAN_SHEET,
    SHEETS,
    STAFF_SHEET,
    STAFF_SHEETS,
    TASK_SHEET,
    UNIT_SHEET,
    template_units,
)

__all__ = [
    "COLUMNS",
    "GROUP_SHEET",
    "INDICATOR_SHEET",
    "NEW_UNIT_SHEET",
    "PLAN_SHEET",
    "SHEETS",
    "STAFF_SHEET",
    "STAFF_SHEETS",
    "TASK_SHEET",
    "UNIT_SHEET",
    "Change",
    "Outcome",
    "PlanImportError",
    "Revision",
    "Roster",
    "Row",
    "import_plan",
    "import_rows",
    "import_workbook",
    "template_units",
]
