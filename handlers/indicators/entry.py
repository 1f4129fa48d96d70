"""Entering an indicator value in /chitieu: from the picked indicator to the stored value.

pick → ratio: numerator then denominator; count: a whole number; yes/no: a button → a
reason when the value misses the target → review → confirm. Every typed answer is checked
and a wrong one explained; nothing is stored before confirming, and the service checks the
value again when it is.
"""

from __future__ import annotations

import re
from typing import Any

from bot.messages.cards import shorten
from bot.services import conversations
from bot.services.indicators import rules as service
from bot.services.indicators import values as indicator_values
from bot.services.indicators.rules import IndicatorRejected
from db.models import IndicatorKind
from handlers.answers import take_text
from handlers.indicators.listing import views
from handlers.indicators.wording import (
    STEPS,
    achieved,
    current_period,
    show_target,
    show_value,
    stale,
)
from handlers.turn import Turn

NUMBER_STEPS = ("num", "den", "count")
# Whole numbers, optionally grouped by thousands with "." "," or a space: 1500, 1.500, 1 500.
_WHOLE = re.compile(r"^\s*(\d{1,13}|\d{1,3}(?:[., ]\d{3})+)\s*$", re.ASCII)


def read_whole(text: str | None) -> int | None:
    """A whole number from 0 up to MAX_COUNT; None for anything else (signs, decimals, words)."""
    if text is None or len(text) > 32:
        return None
    match = _WHOLE.match(text)
    if match is None:
        return None
    value = int(re.sub(r"[., ]", "", match.group(1)))
    return value if value <= service.MAX_COUNT else None


async def pick(turn: Turn, indicator_id: int) -> None:
    """The picked indicator's card and the first question its kind asks."""
    indicator = await service.find_for_unit(turn.session, indicator_id, turn.identity.unit.id or 0)
    if indicator is None:
        stale(turn, "indicator of another unit")
        return
    view = next(v for v in await views(turn) if v.indicator_id == indicator_id)
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
        last=achieved(t, view.last),
    )
    if view.current.value is not None:
        card += "\n" + t._(
            "Already reported this period: {value}. A new value replaces it.",
            value=show_value(t, view.kind, view.current.value),
        )
    steps = {IndicatorKind.RATIO.value: "num", IndicatorKind.COUNT.value: "count"}
    step = steps.get(view.kind, "yesno")
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


def valued(turn: Turn, draft: dict[str, Any]) -> None:
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
    """The value, period, target and reason to check, with a button to confirm."""
    STEPS.go(turn, "confirm", draft)
    t, period = turn.t, current_period(turn)
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
            valued(turn, draft | {"denominator": number})
    else:
        valued(turn, draft | {"value": number})


def _reason(turn: Turn) -> None:
    """The typed reason for missing the target, checked, then the review."""
    t = turn.t
    no_words = t._("A reason is required when the target is missed: please write it in words.")
    reason = take_text(turn, service.MAX_REASON, no_words)
    if reason is not None:
        _review(turn, STEPS.draft(turn) | {"reason": reason})


async def submit(turn: Turn) -> None:
    """Store the confirmed value and say whether it meets the target."""
    draft = STEPS.draft(turn)
    try:
        done = await indicator_values.record(
            turn.session,
            turn.identity,
            int(draft["indicator_id"]),
            draft,
            period_key=current_period(turn).key,
            now=turn.now,
            actor_account=turn.who,
        )
    except IndicatorRejected as rejected:
        conversations.finish(turn.conversation, turn.now)
        stale(turn, f"indicator value rejected ({rejected.reason})")
        return
    conversations.finish(turn.conversation, turn.now)
    t, period = turn.t, current_period(turn)
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
