"""The Vietnamese words of the tracking workbook: statuses, roles, kinds, timing, periods.

The workbook is a fixed Vietnamese report format, so these words do not follow the reader's
chat language; both sheets write them.
"""

from __future__ import annotations

from bot.services.dates.periods import Period, Regime
from bot.services.dates.timing import Timing
from bot.services.figures import State
from db.models import AssignmentRole, IndicatorKind, Review, Status, TaskKind

STATUS_WORDS = {
    Status.NOT_STARTED: "chưa thực hiện",
    Status.IN_PROGRESS: "đang thực hiện",
    Status.DONE: "hoàn thành",
    Status.MAINTAINED: "đang duy trì",
}
STATE_WORDS = {
    State.DONE: "hoàn thành",
    State.CLAIMED: "chờ xác nhận",
    State.IN_PROGRESS: "đang thực hiện",
    State.NOT_STARTED: "chưa thực hiện",
    State.MAINTAINED: "đang duy trì",
}
CONFIRMATION_NOTE = (
    "“Hoàn thành” chỉ tính kết quả đã được cơ quan thường trực xác nhận; "
    "“chờ xác nhận” là kết quả đơn vị đã báo hoàn thành nhưng chưa được xác nhận."
)
ROLE_WORDS = {AssignmentRole.LEAD: "chủ trì", AssignmentRole.SUPPORT: "phối hợp"}
KIND_WORDS = {TaskKind.TASK: "nhiệm vụ", TaskKind.PILOT_MODEL: "mô hình điểm"}
REVIEW_WORDS = {
    Review.PENDING: "chờ xác nhận",
    Review.CONFIRMED: "đã xác nhận",
    Review.RETURNED: "đã trả lại",
}
INDICATOR_KIND_WORDS = {
    IndicatorKind.RATIO: "tỷ lệ (%)",
    IndicatorKind.COUNT: "số lượng",
    IndicatorKind.YES_NO: "đạt/chưa đạt",
}
PERIOD_WORDS = {
    Regime.MONTH: "tháng",
    Regime.QUARTER: "quý",
    Regime.HALF_YEAR: "6 tháng",
    Regime.YEAR: "năm",
}


def timing_words(timing: Timing, late: int) -> str:
    """Timing as the tracking table writes it."""
    if timing is Timing.OVERDUE:
        return f"quá hạn {late} ngày"
    return {
        Timing.ON_TIME: "trong hạn",
        Timing.DONE_ON_TIME: "hoàn thành đúng hạn",
        Timing.DONE_LATE: "hoàn thành quá hạn",
    }[timing]


def headline(done: int, total: int) -> str:
    """E.g. '71/83 nhiệm vụ hoàn thành (đã xác nhận), đạt 86%' (rounded half up)."""
    share = (200 * done + total) // (2 * total) if total else 0
    return f"{done}/{total} nhiệm vụ hoàn thành (đã xác nhận), đạt {share}%"


def period_words(period: Period) -> str:
    """E.g. 'kỳ báo cáo tháng 11/2026 (15/10/2026 – 14/11/2026)'."""
    name = PERIOD_WORDS[period.regime]
    if period.regime is Regime.MONTH:
        name += f" {period.index:02d}/{period.year}"
    elif period.regime is not Regime.YEAR:
        name += f" {period.index}/{period.year}"
    else:
        name += f" {period.year}"
    span = f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}"
    return f"kỳ báo cáo {name} ({span})"


def assessment(direction: str, target: float, value: float | None) -> str:
    """'đạt' / 'chưa đạt' against the target, or 'chưa có số liệu'."""
    if value is None:
        return "chưa có số liệu"
    met = value <= target if direction == "<=" else value >= target
    return "đạt" if met else "chưa đạt"


def indicator_value(kind: str, value: float | None) -> float | str | None:
    """A value as the sheet writes it: a yes/no indicator reads "đạt" / "chưa đạt"."""
    if value is None or kind != IndicatorKind.YES_NO:
        return value
    return "đạt" if value >= 1 else "chưa đạt"
