"""/nhiemvu (/tasks): the unit's assignments, overdue first, then by deadline, paged."""

from __future__ import annotations

from bot.messages import cards
from bot.messages.payloads import Flow, Payload
from bot.services.tasks import assignments
from handlers.choices import count_pages, page_through, stateless
from handlers.turn import Turn

FLOW = Flow.TASKS


async def show(turn: Turn, page: int = 0) -> None:
    """Show one page of the unit's assignments with buttons to move between pages."""
    assert turn.identity is not None
    size = turn.settings.page_size
    views, total = await assignments.list_for_unit(
        turn.session, turn.identity.unit.id or 0, turn.today, offset=page * size, limit=size
    )
    t = turn.t
    if total == 0:
        turn.show(t._("Your unit has no assignments yet."))
        return
    pages = count_pages(total, size)
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
    footer = t._("Send /baocao to report progress on one of them.")
    nav = page_through(t, page, pages, stateless(FLOW, "page"))
    turn.show("\n\n".join([header, *body, footer]), nav)


async def on_button(turn: Turn, payload: Payload) -> None:
    """Page buttons carry only a page number; the unit is always the sender's own."""
    page = payload.int_argument()
    if payload.action != "page" or page is None:
        turn.refuse_button("unknown tasks button")
        return
    await show(turn, page)
