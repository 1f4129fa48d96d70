"""/nhiemvu (/tasks): the unit's assignments, overdue first, then by deadline, paged."""

from __future__ import annotations

from bot.channels.base import Choice
from bot.messages import cards
from bot.messages.payloads import Payload
from bot.services.tasks import assignments
from handlers.turn import Turn

FLOW = "t"


async def show(turn: Turn, page: int = 0) -> None:
    """Show one page of the unit's assignments with buttons to move between pages."""
    size = turn.settings.page_size
    views, total = await assignments.list_for_unit(
        turn.session, turn.identity.unit.id or 0, turn.today, offset=page * size, limit=size
    )
    t = turn.t
    if total == 0:
        turn.show(t._("Your unit has no assignments yet."))
        return
    pages = (total + size - 1) // size
    if not views:
        turn.refuse_button("page out of range")
        return
    header = t._(
        "Tasks of {unit} — page {page}/{pages} ({total} in all)",
        unit=turn.identity.unit.name,
        page=page + 1,
        pages=pages,
        total=t.number(total),
    )
    body = [cards.line(t, v, page * size + i + 1, turn.today) for i, v in enumerate(views)]
    nav: list[Choice] = []
    if page > 0:
        nav.append(Choice(t._("◀ Previous"), Payload(FLOW, 0, "page", str(page - 1)).encode()))
    if page + 1 < pages:
        nav.append(Choice(t._("Next ▶"), Payload(FLOW, 0, "page", str(page + 1)).encode()))
    footer = t._("Send /baocao to report progress on one of them.")
    turn.show("\n\n".join([header, *body, footer]), (tuple(nav),) if nav else ())


async def on_button(turn: Turn, payload: Payload) -> None:
    """Page buttons carry only a page number; the unit is always the sender's own."""
    page = payload.int_argument()
    if payload.action != "page" or page is None:
        turn.refuse_button("unknown tasks button")
        return
    await show(turn, page)
