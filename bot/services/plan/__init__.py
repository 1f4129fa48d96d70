"""A whole plan from the Excel template (`roviec template`, `roviec import`), all or nothing."""

from __future__ import annotations

from bot.services.plan.importing import PlanImportError, import_plan, import_rows
from bot.services.plan.rows import Row
from bot.services.plan.template import (
    COLUMNS,
    GROUP_SHEET,
    INDICATOR_SHEET,
    PLAN_SHEET,
    SHEETS,
    TASK_SHEET,
    UNIT_SHEET,
    template_units,
)

__all__ = [
    "COLUMNS",
    "GROUP_SHEET",
    "INDICATOR_SHEET",
    "PLAN_SHEET",
    "SHEETS",
    "TASK_SHEET",
    "UNIT_SHEET",
    "PlanImportError",
    "Row",
    "import_plan",
    "import_rows",
    "template_units",
]
