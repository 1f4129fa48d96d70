"""/chitieu (/indicators): report an indicator value for the current period.

list (target, last period, this period) → pick → ratio: numerator then denominator; count:
a whole number; yes/no: a button → a reason when the value misses the target → review →
confirm. Every step checks what it expects and says so; nothing is stored before confirming.
"""

from __future__ import annotations

import re
from typing import Any

from bot.channels.base import Choice
from bot.i18n import Translator
from bot.services import audit, conversations
from bot.services import indicators as service
from bot.services.indicators import Achievement, IndicatorRejected, IndicatorView
from bot.services.periods import Period, Regime, period_of
from db.models import IndicatorKind
from handlers.answers import read_text
from handlers.cards import shorten
from handlers.flow import Steps
from handlers.payloads import Payload
from handlers.turn import Turn

FLOW = "i"
NAME = "indicators"
STEPS = Steps(FLOW, NAME)
PAGE = 8
NUMBER_STEPS = ("num", "den", "count")
# Whole numbers, optionally grouped by thousands with "." "," or a space: 1500, 1.500, 1 500.
_WHOLE = re.compile(r"^\s*(\d{1,13}|\d{1,3}(?:[., ]\d{3})+)\s*$")


def read_whole(text: str | None) -> int | None:
    """A whole number from 0 up to MAX_COUNT; None for anything else (signs, decimals, words)."""
    if text is None or len(text) > 32:
        return None
    match = _WHOLE.match(text)
    if match is None:
        return None
    value = int(re.sub(r"[., ]", "", match.group(1)))
    return value if value <= service.MAX_COUNT else None


def _period(turn: Turn) -> Period:
    return period_of(Regime(turn.settings.period_regime), turn.today)


def _forbidden(turn: Turn, detail: str) -> None:
    """The wrong role: a clear answer and an audit entry."""
    assert turn.identity is not None
    audit.record(
        turn.session,
        now=turn.now,
        action="indicators.refused",
        actor_official_id=turn.identity.official.id,
        actor_account=turn.who,
        detail=f"{detail}: {turn.inbound.payload or turn.inbound.text!r}"[:500],
    )
    t = turn.t
    if turn.inbound.is_button:
        turn.button_notice = t._("You are not allowed to do this.")
    turn.say(
        t._(
            "Indicators are reported by the focal officers and the head of the unit "
            "responsible for them. Your role does not allow this."
        )
    )


def _stale(turn: Turn, reason: str) -> None:
    """A button from an earlier step or a forged one: refused, audited, and explained."""
    audit.record(
        turn.session,
        now=turn.now,
        action="button.refused",
        actor_official_id=turn.identity.official.id if turn.identity else None,
        actor_account=turn.who,
        detail=f"{reason}: {turn.inbound.payload!r}"[:500],
    )
    t = turn.t
    turn.button_notice = t._("This button is no longer valid.")
    turn.say(
        t._(
            "This button belongs to an earlier step and can no longer be used. "
            "Send /chitieu to report an indicator again."
        )
    )


def show_value(t: Translator, kind: str, value: float) -> str:
    """A value as people read it: a percentage, a number, or yes/no."""
    if kind == IndicatorKind.RATIO:
        return t.percent(value)
    if kind == IndicatorKind.YES_NO:
        return t._("yes") if value >= 0.5 else t._("no")
    return t.number(value)


def show_target(t: Translator, kind: str, target: float, direction: str) -> str:
    """A target with its direction, e.g. '≥ 70%', '≤ 3%', 'yes'."""
    if kind == IndicatorKind.YES_NO:
        return show_value(t, kind, target if direction == ">=" else 1 - target)
    sign = "≤" if direction == "<=" else "≥"
    return f"{sign} {show_value(t, kind, target)}"


def _achieved(t: Translator, found: Achievement) -> str:
    if found.value is None:
        return t._("not reported")
    mark = t._("✅ meets the target") if found.meets else t._("❌ misses the target")
    return f"{show_value(t, found.kind, found.value)} {mark}"


def _line(t: Translator, view: IndicatorView, index: int) -> str:
    return t._(
        "{index}. [{code}] {title}\n    Target {target} · last period: {last} · "
        "this period: {current}",
        index=index,
        code=view.code,
        title=view.title,
        target=show_target(t, view.kind, view.target, view.direction),
        last=_achieved(t, view.last),
        current=_achieved(t, view.current),
    )


async def begin(turn: Turn, _argument: str = "") -> None:
    """Show the unit's indicators for the current period."""
    assert turn.identity is not None
    if not service.may_report(turn.identity):
        _forbidden(turn, "command")
        return
    await _show_pick(turn, 0)


async def _views(turn: Turn) -> list[IndicatorView]:
    assert turn.identity is not None
    period = _period(turn)
    return await service.for_unit(
        turn.session, turn.identity.unit.id or 0, period.key, period.previous().key
    )


async def _show_pick(turn: Turn, page: int) -> None:
    assert turn.identity is not None
    t = turn.t
    views = await _views(turn)
    if not views:
        conversations.finish(turn.conversation, turn.now)  # type: ignore[arg-type]
        turn.show(t._("Your unit has no indicators to report."))
        return
    pages = (len(views) + PAGE - 1) // PAGE
    page = min(page, pages - 1)
    shown = views[page * PAGE : (page + 1) * PAGE]
    STEPS.go(turn, "pick", {"page": page})
    period = _period(turn)
    header = t._(
        "Indicators of {unit} — period {start} to {end}",
        unit=turn.identity.unit.name,
        start=t.short_date(period.start),
        end=t.short_date(period.end),
    )
    body = [_line(t, v, page * PAGE + i + 1) for i, v in enumerate(shown)]
    rows: list[tuple[Choice, ...]] = [
        (STEPS.button(turn, f"{v.code} · {shorten(v.title, 40)}", "pick", str(v.indicator_id)),)
        for v in shown
    ]
    nav = []
    if page > 0:
        nav.append(STEPS.button(turn, t._("◀ Previous"), "pp", str(page - 1)))
    if page + 1 < pages:
        nav.append(STEPS.button(turn, t._("Next ▶"), "pp", str(page + 1)))
    if nav:
        rows.append(tuple(nav))
    rows.append((STEPS.button(turn, t._("Cancel"), "x"),))
    footer = t._("Which indicator are you reporting? Choose one below.")
    turn.show("\n\n".join([header, *body, footer]), tuple(rows))


async def on_button(turn: Turn, payload: Payload) -> None:
    """A button of the indicators flow, re-authorised and re-checked against the current step."""
    assert turn.identity is not None and turn.conversation is not None
    if not service.may_report(turn.identity):
        _forbidden(turn, "button")
        return
    conversation = turn.conversation
    if conversation.flow != NAME or payload.version != conversation.version:
        _stale(turn, "stale indicators button")
        return
    step, action, argument = conversation.step, payload.action, payload.int_argument()
    if action == "x":
        cancel(turn)
    elif step == "pick" and action == "pick" and argument is not None:
        await _pick(turn, argument)
    elif step == "pick" and action == "pp" and argument is not None:
        await _show_pick(turn, argument)
    elif step == "yesno" and action in ("yes", "no"):
        _valued(turn, STEPS.draft(turn) | {"value": 1 if action == "yes" else 0})
    elif step == "confirm" and action == "ok":
        await _submit(turn)
    else:
        _stale(turn, "button does not fit the step")


async def _pick(turn: Turn, indicator_id: int) -> None:
    assert turn.identity is not None
    indicator = await service.find_for_unit(turn.session, indicator_id, turn.identity.unit.id or 0)
    if indicator is None:
        _stale(turn, "indicator of another unit")
        return
    view = next(v for v in await _views(turn) if v.indicator_id == indicator_id)
    t = turn.t
    draft = {
        "indicator_id": indicator_id,
        "code": view.code,
        "kind": view.kind,
        "target": view.target,
        "direction": view.direction,
    }
    card = t._(
        "[{code}] {title}\nTarget: {target}\nLast period: {last}",
        code=view.code,
        title=view.title,
        target=show_target(t, view.kind, view.target, view.direction),
        last=_achieved(t, view.last),
    )
    if view.current.value is not None:
        card += "\n" + t._(
            "Already reported this period: {value}. A new value replaces it.",
            value=show_value(t, view.kind, view.current.value),
        )
    step = {IndicatorKind.RATIO: "num", IndicatorKind.COUNT: "count"}.get(view.kind, "yesno")
    STEPS.go(turn, step, draft)
    # Buttons carry the new step's version, so they are made only after the move.
    cancel_row = (STEPS.button(turn, t._("Cancel"), "x"),)
    if view.kind == IndicatorKind.RATIO:
        question = t._(
            "Send the numerator: the number counted (a whole number, 0 or more), e.g. 720."
        )
        turn.show(card + "\n\n" + question, (cancel_row,))
    elif view.kind == IndicatorKind.COUNT:
        question = t._("Send the number reached this period (a whole number, 0 or more), e.g. 3.")
        turn.show(card + "\n\n" + question, (cancel_row,))
    else:
        question = t._("Has it been achieved this period?")
        yes_no = (STEPS.button(turn, t._("Yes"), "yes"), STEPS.button(turn, t._("No"), "no"))
        turn.show(card + "\n\n" + question, (yes_no, cancel_row))


def _valued(turn: Turn, draft: dict[str, Any]) -> None:
    """The value is known: ask a reason when it misses the target, else review it."""
    if draft["kind"] == IndicatorKind.RATIO:
        value = service.ratio_value(draft["numerator"], draft["denominator"])
    else:
        value = float(draft["value"])
    draft["computed"] = value
    if service.meets(value, float(draft["target"]), draft["direction"]):
        draft.pop("reason", None)
        _review(turn, draft)
        return
    STEPS.go(turn, "reason", draft)
    t = turn.t
    turn.say(
        t._(
            "{value} does not meet the target of {target}. Please give the reason "
            "(at most {limit} characters).",
            value=show_value(t, draft["kind"], value),
            target=show_target(t, draft["kind"], float(draft["target"]), draft["direction"]),
            limit=t.number(service.MAX_REASON),
        ),
        ((STEPS.button(turn, t._("Cancel"), "x"),),),
    )


def _review(turn: Turn, draft: dict[str, Any]) -> None:
    STEPS.go(turn, "confirm", draft)
    t, period = turn.t, _period(turn)
    value = show_value(t, draft["kind"], float(draft["computed"]))
    if draft["kind"] == IndicatorKind.RATIO:
        value = t._(
            "{value} ({numerator} of {denominator})",
            value=value,
            numerator=t.number(draft["numerator"]),
            denominator=t.number(draft["denominator"]),
        )
    lines = [
        t._("Please check the value of [{code}]:", code=draft["code"]),
        t._(
            "• Period: {start} to {end}",
            start=t.short_date(period.start),
            end=t.short_date(period.end),
        ),
        t._("• Value: {value}", value=value),
        t._(
            "• Target: {target}",
            target=show_target(t, draft["kind"], float(draft["target"]), draft["direction"]),
        ),
    ]
    if draft.get("reason"):
        lines.append(t._("• Reason: {reason}", reason=shorten(draft["reason"], 1500)))
    lines += ["", t._("Confirm to record it.")]
    rows = (
        (STEPS.button(turn, t._("✅ Confirm"), "ok"),),
        (STEPS.button(turn, t._("Cancel"), "x"),),
    )
    turn.say("\n".join(lines), rows)


async def on_answer(turn: Turn) -> None:
    """Typed text, read as the answer to the current step."""
    assert turn.conversation is not None
    step, inbound, t = turn.conversation.step, turn.inbound, turn.t
    if step not in (*NUMBER_STEPS, "reason"):
        turn.say(t._("Please choose one of the buttons above, or send /huy to cancel."))
        return
    if inbound.attachments:
        turn.say(t._("This step needs text, not a file. Please type your answer."))
        return
    if step == "reason":
        _reason(turn)
        return
    number = read_whole(inbound.text)
    if number is None:
        turn.say(
            t._(
                "Please send a whole number of 0 or more, digits only, e.g. 150 "
                "(no sign, no decimals, no words)."
            )
        )
        return
    draft = STEPS.draft(turn)
    if step == "num":
        STEPS.go(turn, "den", draft | {"numerator": number})
        turn.say(
            t._(
                "Numerator: {numerator}. Now send the denominator: the total it is counted "
                "out of (a whole number greater than 0, at least {numerator}).",
                numerator=t.number(number),
            )
        )
    elif step == "den":
        numerator = int(draft["numerator"])
        if number == 0:
            turn.say(t._("The denominator must be greater than 0. Please send it again."))
        elif number < numerator:
            turn.say(
                t._(
                    "The denominator ({denominator}) cannot be smaller than the numerator "
                    "({numerator}). Please send the denominator again, or /huy to start over.",
                    denominator=t.number(number),
                    numerator=t.number(numerator),
                )
            )
        else:
            _valued(turn, draft | {"denominator": number})
    else:
        _valued(turn, draft | {"value": number})


def _reason(turn: Turn) -> None:
    t, text = turn.t, turn.inbound.text
    answer = read_text(text, service.MAX_REASON)
    if answer.problem == "too_long":
        turn.say(
            t._(
                "That is {length} characters; please keep it within {limit}.",
                length=t.number(len((text or "").strip())),
                limit=t.number(service.MAX_REASON),
            )
        )
    elif answer.problem is not None:
        turn.say(t._("A reason is required when the target is missed: please write it in words."))
    else:
        _review(turn, STEPS.draft(turn) | {"reason": answer.value})


def cancel(turn: Turn) -> None:
    """Drop the draft; nothing was stored."""
    conversations.finish(turn.conversation, turn.now)  # type: ignore[arg-type]
    turn.show(turn.t._("Cancelled. Nothing was recorded."))


async def _submit(turn: Turn) -> None:
    assert turn.identity is not None and turn.conversation is not None
    draft = STEPS.draft(turn)
    try:
        done = await service.record(
            turn.session,
            turn.identity,
            int(draft["indicator_id"]),
            draft,
            period_key=_period(turn).key,
            now=turn.now,
            actor_account=turn.who,
        )
    except IndicatorRejected as rejected:
        conversations.finish(turn.conversation, turn.now)
        _stale(turn, f"indicator value rejected ({rejected.reason})")
        return
    conversations.finish(turn.conversation, turn.now)
    t, period = turn.t, _period(turn)
    mark = t._("✅ meets the target") if done.meets else t._("❌ misses the target")
    turn.show(
        t._(
            "Recorded for [{code}], period {start} to {end}: {value} {mark}. Thank you.",
            code=done.code,
            start=t.short_date(period.start),
            end=t.short_date(period.end),
            value=show_value(t, draft["kind"], done.value),
            mark=mark,
        )
    )
