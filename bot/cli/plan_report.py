"""`roviec import FILE [--dry-run]`: the file imported (or tried), told line by line."""

from __future__ import annotations

from bot.app import App
from bot.i18n import Translator
from bot.services.plan.importing import Outcome, import_workbook


class _DryRun(Exception):
    """Raised inside the transaction so that a dry run writes nothing."""


async def import_file(app: App, data: bytes, dry_run: bool, t: Translator) -> list[str]:
    """Import the workbook in one transaction (rolled back for a dry run); what it did."""
    lines: list[str] = []
    try:
        async with app.db.transaction() as session:
            outcome = await import_workbook(session, data, now=app.clock())
            lines = describe(outcome, t)
            if dry_run:
                raise _DryRun
    except _DryRun:
        return [t._("a trial (--dry-run), nothing written:"), *lines]
    return lines


def describe(outcome: Outcome, t: Translator) -> list[str]:
    """What an import did, in the operator's words."""
    lines = []
    roster = outcome.roster
    if roster.units or roster.officials or roster.units_known or roster.officials_known:
        lines.append(
            t._(
                "units: {units} added, {units_known} known already; officials: {officials} "
                "added, {officials_known} known already",
                units=len(roster.units),
                units_known=roster.units_known,
                officials=len(roster.officials),
                officials_known=roster.officials_known,
            )
        )
    if (done := outcome.plan) is not None:
        lines.append(
            t._(
                "plan {plan} imported: {groups} groups, {tasks} tasks, {models} pilot models, "
                "{leads} lead units, {supports} supporting units, {indicators} indicators",
                plan=done.plan_code,
                groups=done.groups,
                tasks=done.tasks,
                models=done.pilot_models,
                leads=done.lead_assignments,
                supports=done.support_assignments,
                indicators=done.indicators,
            )
        )
    if (revision := outcome.revision) is not None:
        lines.append(
            t._(
                "plan {plan} updated: {groups} groups added, {added} tasks added, {changed} "
                "tasks changed, {unchanged} tasks unchanged",
                plan=revision.plan_code,
                groups=len(revision.groups_added),
                added=len(revision.tasks_added),
                changed=len({c.task for c in revision.changes}),
                unchanged=revision.unchanged,
            )
        )
        lines += [f"  {change}" for change in revision.changes]
        lines += ["  " + t._("{code}: a new task", code=code) for code in revision.tasks_added]
    return lines
