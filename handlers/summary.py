"""/tonghop (/summary): how the unit or the province stands, on demand.

Focal officers and heads see their unit; the standing office and leaders see the province
and may choose a unit (a paged list of buttons). Every press is authorised again: a unit's
summary is shown only to someone whose scope reaches that unit.
"""

from __future__ import annotations

from bot.channels.base import Choice
from bot.messages.payloads import STATELESS, Flow, Payload
from bot.messages.summaries import render_summary
from bot.services.people.permissions import Action, Scope, scope_of
from bot.services.summaries import summarize, units_with_work
from handlers.choices import count_pages, page_through, stateless
from handlers.turn import Turn

FLOW = Flow.SUMMARY
UNITS_PER_PAGE = 8


def reach(turn: Turn) -> Scope | None:
    """How far this person's summaries reach (None: not at all)."""
    return scope_of(turn.identity.official.role, Action.VIEW_SUMMARY)


def refuse(turn: Turn, detail: str) -> None:
    """Not for this role: say so and audit it."""
    turn.refuse_role(
        "summary.refused",
        detail,
        turn.t._("Summaries are for the officials of a unit, the standing office and leaders."),
    )


async def show(turn: Turn, _argument: str = "") -> None:
    """The own unit's summary, or the province's with a way to choose a unit."""
    scope = reach(turn)
    if scope is None:
        refuse(turn, "command")
        return
    if scope is Scope.PROVINCE:
        await _show(turn, None)
    else:
        await _show(turn, turn.identity.unit.id)


async def on_button(turn: Turn, payload: Payload) -> None:
    """A unit's summary, a page of units to choose from, or the province again."""
    scope = reach(turn)
    if scope is None:
        refuse(turn, "button")
        return
    number = payload.int_argument()
    if number is None or payload.action not in ("unit", "units", "all"):
        turn.refuse_button("unknown summary button")
        return
    if scope is not Scope.PROVINCE and (
        payload.action != "unit" or number != turn.identity.unit.id
    ):
        turn.refuse_button("summary of another unit")
        return
    if payload.action == "unit":
        await _show(turn, number)
    elif payload.action == "units":
        await _choose_unit(turn, number)
    else:
        await _show(turn, None)


async def _show(turn: Turn, unit_id: int | None) -> None:
    """Render one summary with its buttons."""
    t = turn.t
    summary = await summarize(turn.session, turn.today, turn.settings, unit_id)
    row: list[Choice] = []
    if summary.overdue.total:
        target = 0 if unit_id is None else unit_id
        row.append(
            Payload(Flow.OVERDUE, STATELESS, "page", f"{target}_0").choice(t._("🔴 Overdue"))
        )
    if reach(turn) is Scope.PROVINCE:
        row.append(Payload(FLOW, STATELESS, "units", "0").choice(t._("Choose a unit")))
        if unit_id is not None:
            row.append(Payload(FLOW, STATELESS, "all", "0").choice(t._("The province")))
    turn.show(render_summary(t, summary), (tuple(row),) if row else ())


async def _choose_unit(turn: Turn, page: int) -> None:
    """A page of units to choose one from."""
    t = turn.t
    units, total = await units_with_work(turn.session, page, UNITS_PER_PAGE)
    pages = max(1, count_pages(total, UNITS_PER_PAGE))
    if page >= pages:
        turn.refuse_button("summary unit page out of range")
        return
    rows = [(Payload(FLOW, STATELESS, "unit", str(unit.id)).choice(unit.name),) for unit in units]
    nav = page_through(t, page, pages, stateless(FLOW, "units"))
    header = t._("Choose a unit — page {page}/{pages}", page=page + 1, pages=pages)
    turn.show(header, (*rows, *nav))
