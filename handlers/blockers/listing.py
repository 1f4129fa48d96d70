"""The open blockers a person works, one page at a time, oldest first.

The standing office sees every open blocker; a leader sees those forwarded to them. Each
entry quotes the blocker with its unit, task, age and any forwarding, and carries the
buttons "Resolve" (and, for the standing office, "Forward to leader"); the list is redrawn
after each action and closes the conversation once nothing is left open.
"""

from __future__ import annotations

from bot.channels.base import Choice
from bot.i18n import Translator
from bot.messages.cards import shorten
from bot.messages.payloads import Flow
from bot.services import blockers as service
from bot.services import conversations
from bot.services.blockers import BlockerView
from bot.services.people.permissions import Action, may
from handlers.choices import count_pages, page_through
from handlers.flow import Steps
from handlers.turn import Turn

FLOW = Flow.BLOCKERS
NAME = "blockers"
STEPS = Steps(FLOW, NAME)
PAGE = 5
QUOTE = 300  # five blockers of QUOTE characters and their headers fit one message


def age(t: Translator, view: BlockerView) -> str:
    """How long the blocker has been open: "raised today" or a count of days."""
    if view.age_days == 0:
        return t._("raised today")
    return t.n_("open for {count} day", "open for {count} days", view.age_days)


def _entry(t: Translator, view: BlockerView, index: int) -> str:
    """One numbered blocker of the list, with its forwarding if any."""
    lines = [
        t._(
            "{index}. {unit} · [{code}] {title}\n    Raised {date}, {age}.\n    «{text}»",
            index=index,
            unit=shorten(view.unit_name, 80),
            code=view.task_code,
            title=shorten(view.task_title, 100),
            date=t.short_date(view.opened_on),
            age=age(t, view),
            text=shorten(view.text, QUOTE),
        )
    ]
    if view.forwarded_to_name and view.forwarded_at:
        lines.append(
            "    "
            + t._(
                "➡️ Forwarded to {leader} on {when}.",
                leader=view.forwarded_to_name,
                when=t.short_date(view.forwarded_at.astimezone(t.zone).date()),
            )
        )
    return "\n".join(lines)


async def show_list(turn: Turn, page: int, *, in_place: bool = True) -> None:
    """Show one page of the open blockers with their buttons; none left ends the flow."""
    t = turn.t
    views, total = await service.open_blockers(
        turn.session,
        turn.identity,
        turn.today,
        turn.settings.zone,
        offset=page * PAGE,
        limit=PAGE,
    )
    render = turn.show if in_place else turn.say
    if total == 0:
        conversations.finish(turn.conversation, turn.now)
        render(t._("There are no open blockers to work on."))
        return
    pages = count_pages(total, PAGE)
    if not views:  # the last page emptied (a blocker was resolved): show the one before
        await show_list(turn, pages - 1, in_place=in_place)
        return
    STEPS.go(turn, "list", {"page": page})
    standing = may(turn.identity.official, Action.FORWARD_BLOCKERS)
    header = t._(
        "Open blockers, oldest first — page {page}/{pages} ({total} in all)",
        page=page + 1,
        pages=pages,
        total=t.number(total),
    )
    body = [_entry(t, v, page * PAGE + i + 1) for i, v in enumerate(views)]
    rows: list[tuple[Choice, ...]] = []
    for i, view in enumerate(views):
        number = page * PAGE + i + 1
        row = [STEPS.button(turn, t._("✅ Resolve {n}", n=number), "res", str(view.blocker_id))]
        if standing:
            row.append(
                STEPS.button(
                    turn, t._("➡️ Forward {n} to leader", n=number), "fwd", str(view.blocker_id)
                )
            )
        rows.append(tuple(row))
    rows += page_through(t, page, pages, STEPS.press(turn, "pg"))
    render("\n\n".join([header, *body]), tuple(rows))
