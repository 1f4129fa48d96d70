"""The unit's indicators as /chitieu lists them: a paged list to pick the one to report.

Each indicator shows its target, last period's and this period's values, with a button to
pick it; more than a page of them gets previous/next buttons. A unit without indicators
is told so and the conversation ends.
"""

from __future__ import annotations

from bot.channels.base import Choice
from bot.i18n import Translator
from bot.messages.cards import shorten
from bot.services import conversations
from bot.services.indicators.achievement import IndicatorView, for_unit
from handlers.choices import count_pages, page_through
from handlers.indicators.wording import STEPS, achieved, current_period, show_target
from handlers.turn import Turn

PAGE = 8


def _line(t: Translator, view: IndicatorView, index: int) -> str:
    """One indicator of the list: code, title, target, last and this period's values."""
    return t._(
        "{index}. [{code}] {title}\n    Target {target} · last period: {last} · "
        "this period: {current}",
        index=index,
        code=view.code,
        title=view.title,
        target=show_target(t, view.kind, view.target, view.direction),
        last=achieved(t, view.last),
        current=achieved(t, view.current),
    )


async def views(turn: Turn) -> list[IndicatorView]:
    """The person's unit's indicators with last period's and this period's values."""
    assert turn.identity is not None
    period = current_period(turn)
    return await for_unit(
        turn.session, turn.identity.unit.id or 0, period.key, period.previous().key
    )


async def show_pick(turn: Turn, page: int) -> None:
    """One page of the unit's indicators, each with a button to pick it."""
    assert turn.identity is not None
    t = turn.t
    found = await views(turn)
    if not found:
        conversations.finish(turn.conversation, turn.now)  # type: ignore[arg-type]
        turn.show(t._("Your unit has no indicators to report."))
        return
    pages = count_pages(len(found), PAGE)
    page = min(page, pages - 1)
    shown = found[page * PAGE : (page + 1) * PAGE]
    STEPS.go(turn, "pick", {"page": page})
    period = current_period(turn)
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
    rows += page_through(t, page, pages, STEPS.press(turn, "pp"))
    rows.append((STEPS.button(turn, t._("Cancel"), "x"),))
    footer = t._("Which indicator are you reporting? Choose one below.")
    turn.show("\n\n".join([header, *body, footer]), tuple(rows))
