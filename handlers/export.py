"""/xuatbaocao (/export): the province's tracking workbook, sent as an Excel document."""

from __future__ import annotations

from bot.channels.base import Outbound
from bot.services.dates.periods import Regime
from bot.services.export import workbook as export
from handlers.turn import Turn

# What a person may type after the command to ask for a reporting period.
PERIODS: dict[str, Regime] = {
    "month": Regime.MONTH,
    "thang": Regime.MONTH,
    "tháng": Regime.MONTH,
    "quarter": Regime.QUARTER,
    "quy": Regime.QUARTER,
    "quý": Regime.QUARTER,
    "half_year": Regime.HALF_YEAR,
    "6thang": Regime.HALF_YEAR,
    "6tháng": Regime.HALF_YEAR,
    "year": Regime.YEAR,
    "nam": Regime.YEAR,
    "năm": Regime.YEAR,
}


async def handle(turn: Turn, argument: str) -> None:
    """Check the role, build the workbook for the asked period, send it with a short caption."""
    t = turn.t
    key = "".join(argument.split()).lower()
    if key and key not in PERIODS:
        turn.say(
            t._(
                "Send /xuatbaocao for the tracking table as of today, or add a reporting period: "
                "/xuatbaocao thang, /xuatbaocao quy, /xuatbaocao 6thang or /xuatbaocao nam."
            )
        )
        return
    try:
        result = await export.export_for(
            turn.session,
            turn.identity,
            now=turn.now,
            today=turn.today,
            zone=turn.settings.zone,
            regime=PERIODS.get(key),
            actor_account=turn.who,
        )
    except export.ExportRefused:
        turn.say(
            t._(
                "Only the standing office and the provincial leaders can export the tracking "
                "table. Send /nhiemvu to see your unit's tasks."
            )
        )
        return
    caption = t._(
        "Tracking table of Đề án 06 as of {date}: {tasks_done}/{tasks} tasks done, "
        "{pilots_done}/{pilots} pilot models done, {claimed} awaiting confirmation; "
        "{rows} assignments to units.",
        date=t.short_date(turn.today),
        tasks_done=t.number(result.tasks_done),
        tasks=t.number(result.tasks_total),
        pilots_done=t.number(result.pilots_done),
        pilots=t.number(result.pilots_total),
        claimed=t.number(result.claimed),
        rows=t.number(result.assignments),
    )
    if result.period is not None:
        caption += "\n" + t._(
            "Reports and completions counted from {start} to {end}.",
            start=t.short_date(result.period.start),
            end=t.short_date(result.period.end),
        )
    turn.replies.append(Outbound(text=caption, document=result.data, document_name=result.filename))
