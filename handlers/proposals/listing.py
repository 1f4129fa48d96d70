"""The unanswered proposals, one page at a time, oldest first, each with its "Answer" button."""

from __future__ import annotations

from bot.channels.base import Choice
from bot.i18n import Translator
from bot.messages.cards import shorten
from bot.messages.payloads import Flow
from bot.services import conversations
from bot.services import proposals as service
from bot.services.proposals import ProposalView
from handlers.choices import count_pages, page_through
from handlers.flow import Steps
from handlers.turn import Turn

FLOW = Flow.PROPOSALS
NAME = "proposals"
STEPS = Steps(FLOW, NAME)
PAGE = 5
QUOTE = 300  # five proposals of QUOTE characters and their headers fit one message


def age(t: Translator, view: ProposalView) -> str:
    """How long the proposal has waited: "raised today" or a count of days."""
    if view.age_days == 0:
        return t._("raised today")
    return t.n_("waiting for {count} day", "waiting for {count} days", view.age_days)


def _entry(t: Translator, view: ProposalView, index: int) -> str:
    """One numbered proposal of the list."""
    return t._(
        "{index}. {unit} · [{code}] {title}\n    {name}, {date}, {age}.\n    «{text}»",
        index=index,
        unit=shorten(view.unit_name, 80),
        code=view.task_code,
        title=shorten(view.task_title, 100),
        name=view.proposer_name,
        date=t.short_date(view.opened_on),
        age=age(t, view),
        text=shorten(view.text, QUOTE),
    )


async def show_list(turn: Turn, page: int, *, in_place: bool = True) -> None:
    """Show one page of the unanswered proposals with their buttons; none left ends the flow."""
    t = turn.t
    views, total = await service.open_proposals(
        turn.session, turn.today, turn.settings.zone, offset=page * PAGE, limit=PAGE
    )
    render = turn.show if in_place else turn.say
    if total == 0:
        conversations.finish(turn.conversation, turn.now)
        render(t._("There are no proposals waiting for an answer."))
        return
    pages = count_pages(total, PAGE)
    if not views:  # the last page emptied (a proposal was answered): show the one before
        await show_list(turn, pages - 1, in_place=in_place)
        return
    STEPS.go(turn, "list", {"page": page})
    header = t._(
        "Proposals waiting for an answer, oldest first — page {page}/{pages} ({total} in all)",
        page=page + 1,
        pages=pages,
        total=t.number(total),
    )
    body = [_entry(t, v, page * PAGE + i + 1) for i, v in enumerate(views)]
    rows: list[tuple[Choice, ...]] = [
        (STEPS.button(turn, t._("✍️ Answer {n}", n=page * PAGE + i + 1), "ans", str(v.proposal_id)),)
        for i, v in enumerate(views)
    ]
    rows += page_through(t, page, pages, STEPS.press(turn, "pg"))
    render("\n\n".join([header, *body]), tuple(rows))
