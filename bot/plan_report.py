"""`roviec import FILE [--dry-run]`: the file imported (or tried), told line by line."""

from __future__ import annotations

from bot.app import App
from bot.services.plan.importing import Outcome, import_workbook


class _DryRun(Exception):
    """Raised inside the transaction so that a dry run writes nothing."""


async def import_file(app: App, data: bytes, dry_run: bool) -> list[str]:
    """Import the workbook in one transaction (rolled back for a dry run); what it did."""
    lines: list[str] = []
    try:
        async with app.db.transaction() as session:
            outcome = await import_workbook(session, data, now=app.clock())
            lines = describe(outcome)
            if dry_run:
                raise _DryRun
    except _DryRun:
        return ["thử (--dry-run), chưa ghi gì:", *lines]
    return lines


def describe(outcome: Outcome) -> list[str]:
    """What an import did, in the operator's words."""
    lines = []
    roster = outcome.roster
    if roster.units or roster.officials or roster.units_known or roster.officials_known:
        lines.append(
            f"đơn vị: thêm {len(roster.units)}, đã có {roster.units_known}; "
            f"cán bộ: thêm {len(roster.officials)}, đã có {roster.officials_known}"
        )
    if (done := outcome.plan) is not None:
        lines.append(
            f"đã nhập kế hoạch {done.plan_code}: {done.groups} nhóm, {done.tasks} nhiệm vụ, "
            f"{done.pilot_models} mô hình điểm, {done.lead_assignments} đơn vị chủ trì, "
            f"{done.support_assignments} đơn vị phối hợp, {done.indicators} chỉ tiêu"
        )
    if (revision := outcome.revision) is not None:
        lines.append(
            f"cập nhật kế hoạch {revision.plan_code}: thêm {len(revision.groups_added)} nhóm, "
            f"thêm {len(revision.tasks_added)} nhiệm vụ, "
            f"{len({c.task for c in revision.changes})} nhiệm vụ thay đổi, "
            f"{revision.unchanged} nhiệm vụ giữ nguyên"
        )
        lines += [f"  {change}" for change in revision.changes]
        lines += [f"  {code}: nhiệm vụ mới" for code in revision.tasks_added]
    return lines
