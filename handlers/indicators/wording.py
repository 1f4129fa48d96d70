"""What the /chitieu (indicators) flow says everywhere, and the flow's letter and name.

How a value, a target and a period's achievement read (a percentage, a number, yes/no;
≥ or ≤), the current reporting period, and the two refusals: a role that may not report
and a button that no longer fits. The list is in `handlers.indicators.listing`, entering a
value in `handlers.indicators.entry`.
"""

from __future__ import annotations

from bot.i18n import Translator
from bot.messages.payloads import Flow
from bot.services.dates.periods import Period, Regime, period_of
from bot.services.indicators.achievement import Achievement
from db.models import IndicatorKind
from handlers.flow import Steps
from handlers.turn import Turn

FLOW = Flow.INDICATORS
NAME = "indicators"
STEPS = Steps(FLOW, NAME)


def current_period(turn: Turn) -> Period:
    """The reporting period today falls in, by the configured regime."""
    return period_of(Regime(turn.settings.period_regime), turn.today)


def forbidden(turn: Turn, detail: str) -> None:
    """The wrong role: a clear answer and an audit entry."""
    explanation = turn.t._(
        "Indicators are reported by the focal officers and the head of the unit "
        "responsible for them. Your role does not allow this."
    )
    turn.refuse_role("indicators.refused", detail, explanation)


def stale(turn: Turn, reason: str) -> None:
    """A button from an earlier step or a forged one: refused, audited, and explained."""
    explanation = turn.t._(
        "This button belongs to an earlier step and can no longer be used. "
        "Send /chitieu to report an indicator again."
    )
    turn.refuse_button(reason, explanation)


def show_value(t: Translator, kind: str, value: float) -> str:
    """A value as people read it: a percentage, a number, or yes/no."""
    if kind == IndicatorKind.RATIO:
        return t.percent(value)
    if kind == IndicatorKind.YES_NO:
        return t._("yes") if value >= 0.5 else t._("no")
    return t.number(value)


def show_target(t: Translator, kind: str, target: float, direction: str) -> str:
    """A target with its direction, e.g. '≥ 70%', '≤ 3%'; a yes/no target is 'achieved'."""
    if kind == IndicatorKind.YES_NO:
        return t._("achieved")
    sign = "≤" if direction == "<=" else "≥"
    return f"{sign} {show_value(t, kind, target)}"


def achieved(t: Translator, found: Achievement) -> str:
    """A period's value with whether it meets the target, or that nothing was reported."""
    if found.value is None:
        return t._("not reported")
    if found.kind == IndicatorKind.YES_NO:  # nothing to compare: achieved or not yet
        return t._("achieved ✅") if found.meets else t._("not achieved ❌")
    mark = t._("✅ meets the target") if found.meets else t._("❌ misses the target")
    return f"{show_value(t, found.kind, found.value)} {mark}"
