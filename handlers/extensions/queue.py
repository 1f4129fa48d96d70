"""The standing office's list of extension requests awaiting a decision (/xetgiahan).

How many wait and, five a page, oldest first, which: the unit, the task, the deadline asked,
who asked and since when in working days, the reason; each with "Approve" and "Refuse",
which decide as the buttons on the request itself do (`handlers.extensions.decision`).
"""

from __future__ import annotations

from bot.channels.base import Choice
from bot.messages.payloads import STATELESS, Payload
from bot.messages.queues import request_line
from bot.services import waiting
from bot.services.dates.calendar import WorkCalendar
from bot.services.extensions import rules as extensions
from handlers.choices import count_pages, page_through
from handlers.extensions import decision as extension_decision
from handlers.extensions.wording import FLOW, STEPS, refuse_role
from handlers.turn import Turn

PAGE = 5


async def begin(turn: Turn, _argument: str = "") -> None:
    """Show the first page of the requests awaiting a decision (standing office only)."""
    if not extensions.may_decide(turn.identity):
        refuse_role(turn, "queue", deciding=True)
        return
    await show_queue(turn, 0, in_place=False)


async def show_queue(turn: Turn, page: int, *, in_place: bool = True) -> None:
    """One page of the requests awaiting a decision, with their buttons."""
    t = turn.t
    found, total = await waiting.requests(
        turn.session,
        turn.today,
        WorkCalendar.from_settings(turn.settings),
        turn.settings.zone,
        offset=page * PAGE,
        limit=PAGE,
    )
    render = turn.show if in_place else turn.say
    if total == 0:
        STEPS.finish(turn)
        render(t._("No extension requests are waiting for a decision."))
        return
    pages = count_pages(total, PAGE)
    if not found:  # the queue shrank under us: show its last page
        await show_queue(turn, pages - 1, in_place=in_place)
        return
    STEPS.go(turn, "queue", {"page": page})
    header = t.n_(
        "{count} extension request is waiting for a decision, oldest first — page {page}/{pages}",
        "{count} extension requests are waiting for a decision, oldest first — page {page}/{pages}",
        total,
        page=page + 1,
        pages=pages,
    )
    first = page * PAGE
    body = [request_line(t, first + i + 1, w) for i, w in enumerate(found)]
    rows: list[tuple[Choice, ...]] = [
        (
            STEPS.button(turn, t._("✅ Approve {n}", n=first + i + 1), "qa", str(w.request.id)),
            STEPS.button(turn, t._("❌ Refuse {n}", n=first + i + 1), "qr", str(w.request.id)),
        )
        for i, w in enumerate(found)
    ]
    rows += page_through(t, page, pages, STEPS.press(turn, "qp"))
    render("\n\n".join([header, *body]), tuple(rows))


async def on_button(turn: Turn, payload: Payload, page: int) -> None:
    """A button of the list: another page, or a decision (then the list again)."""
    argument = payload.int_argument()
    if argument is None:
        turn.refuse_button("malformed extension queue button")
    elif payload.action == "qp":
        await show_queue(turn, argument)
    else:
        action = "ap" if payload.action == "qa" else "rf"
        await extension_decision.decision_button(
            turn, Payload(FLOW, STATELESS, action, str(argument))
        )
        if action == "ap":
            await show_queue(turn, page, in_place=False)
