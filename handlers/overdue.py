"""/quahan (/overdue): what is overdue, longest first, with days late and who answers.

Focal officers and heads see their unit; the standing office and leaders the province, or
one unit chosen from /tonghop. Pages are stateless buttons (`<unit>_<page>`, unit 0 for the
province), authorised again on every press.
"""

from __future__ import annotations

from bot.channels.base import Choice
from bot.messages.payloads import STATELESS, Flow, Payload
from bot.messages.summaries import render_overdue
from bot.services.digests.overdue import overdue_page
from bot.services.people.permissions import Scope
from db.models import Unit
from handlers.choices import count_pages, page_through
from handlers.summary import reach, refuse
from handlers.turn import Turn

FLOW = Flow.OVERDUE
PER_PAGE = 10


async def show(turn: Turn, _argument: str = "") -> None:
    """The first page of the own unit's, or the province's, overdue work."""
    scope = reach(turn)
    if scope is None:
        refuse(turn, "command")
        return
    await _page(turn, None if scope is Scope.PROVINCE else turn.identity.unit.id, 0)


async def on_button(turn: Turn, payload: Payload) -> None:
    """Another page; a unit outside the person's scope is refused."""
    scope = reach(turn)
    if scope is None:
        refuse(turn, "button")
        return
    unit_part, _, page_part = (payload.argument or "").partition("_")
    if payload.action != "page" or not (unit_part.isdecimal() and page_part.isdecimal()):
        turn.refuse_button("unknown overdue button")
        return
    unit_id, page = int(unit_part) or None, int(page_part)
    if scope is not Scope.PROVINCE and unit_id != turn.identity.unit.id:
        turn.refuse_button("overdue of another unit")
        return
    await _page(turn, unit_id, page)


async def _page(turn: Turn, unit_id: int | None, page: int) -> None:
    """Render one page with its pager."""
    t = turn.t
    overdue = await overdue_page(
        turn.session, turn.today, unit_id=unit_id, page=page, size=PER_PAGE
    )
    pages = max(1, count_pages(overdue.total, PER_PAGE))
    if page >= pages:
        turn.refuse_button("overdue page out of range")
        return
    unit = await turn.session.get(Unit, unit_id) if unit_id is not None else None
    scope = unit.name if unit is not None else t._("the province")
    target = unit_id or 0

    def press(label: str, number: int) -> Choice:
        return Payload(FLOW, STATELESS, "page", f"{target}_{number}").choice(label)

    nav = page_through(t, page, pages, press)
    text = render_overdue(t, overdue, scope, page, pages, province=unit_id is None)
    turn.show(text, nav)
