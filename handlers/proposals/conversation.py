"""/kiennghi (/proposals): the standing office answers the proposals units raised in reports.

list (oldest first, paged) → "Answer" → the answer → answered, the proposer and the unit's
heads told. Every button is checked again on the server: role, step and the proposal's state.
"""

from __future__ import annotations

from bot.channels.base import Outbound
from bot.i18n import translator_for
from bot.messages.cards import shorten
from bot.messages.payloads import Payload
from bot.services import conversations
from bot.services import proposals as service
from bot.services.proposals import ProposalRefused
from handlers.answers import take_text
from handlers.proposals.listing import FLOW, NAME, QUOTE, STEPS, show_list
from handlers.turn import Turn

__all__ = ["FLOW", "NAME", "begin", "on_answer", "on_button"]


def _forbidden(turn: Turn, detail: str) -> None:
    """The wrong role: a clear answer and an audit entry, nothing else."""
    explanation = turn.t._(
        "Proposals are answered by the standing office. Your role does not allow this."
    )
    turn.refuse_role("proposals.refused", detail, explanation)


def _stale(turn: Turn, reason: str) -> None:
    """A button from an earlier step or a forged one: refused, audited, and explained."""
    explanation = turn.t._(
        "This button belongs to an earlier step and can no longer be used. "
        "Send /kiennghi to see the proposals waiting for an answer."
    )
    turn.refuse_button(reason, explanation)


def _explain(turn: Turn, refused: ProposalRefused) -> None:
    """Say why a proposal action did not happen."""
    if refused.reason == "not_allowed":
        _forbidden(turn, "proposal action")
    elif refused.reason == "answered":
        if turn.conversation.flow == NAME:
            conversations.finish(turn.conversation, turn.now)
        turn.say(
            turn.t._("This proposal has already been answered. Send /kiennghi to see the others.")
        )
    else:
        _stale(turn, f"proposal action refused ({refused.reason})")


async def begin(turn: Turn, _argument: str = "") -> None:
    """Show the first page of the proposals waiting for an answer."""
    if not service.may_list(turn.identity):
        _forbidden(turn, "command")
        return
    await show_list(turn, 0)


async def on_button(turn: Turn, payload: Payload) -> None:
    """A button of the proposals flow, re-authorised and re-checked against the current step."""
    if not service.may_list(turn.identity):
        _forbidden(turn, "button")
        return
    conversation = turn.conversation
    if conversation.flow != NAME or payload.version != conversation.version:
        _stale(turn, "stale proposals button")
        return
    step, action, argument = conversation.step, payload.action, payload.int_argument()
    page = int(conversation.draft.get("page", 0))
    if action == "x" and step == "answer":
        await show_list(turn, page)
    elif step == "list" and action == "pg" and argument is not None:
        await show_list(turn, argument)
    elif step == "list" and action == "ans" and argument is not None:
        await _ask_answer(turn, argument, page)
    else:
        _stale(turn, "button does not fit the step")


async def _ask_answer(turn: Turn, proposal_id: int, page: int) -> None:
    """Ask for the answer to one proposal."""
    try:
        await service.check_answerable(turn.session, turn.identity, proposal_id)
    except ProposalRefused as refused:
        _explain(turn, refused)
        return
    view = await service.find(turn.session, proposal_id, turn.today, turn.settings.zone)
    assert view is not None
    STEPS.go(turn, "answer", {"proposal_id": proposal_id, "page": page})
    t = turn.t
    turn.say(
        t._(
            "Answering the proposal of {unit} on [{code}]:\n«{text}»\n\n"
            "Write the answer (at most {limit} characters); {name} and the unit's head "
            "will receive it.",
            unit=view.unit_name,
            code=view.task_code,
            text=shorten(view.text, QUOTE),
            limit=t.number(service.MAX_ANSWER),
            name=view.proposer_name,
        ),
        (STEPS.cancel_row(turn),),
    )


async def on_answer(turn: Turn) -> None:
    """The answer, typed at the answer step."""
    conversation, t = turn.conversation, turn.t
    if conversation.step != "answer":
        turn.say(t._("Please choose one of the buttons above, or send /huy to cancel."))
        return
    if turn.inbound.attachments:
        turn.say(t._("This step needs text, not a file. Please type your answer."))
        return
    text = take_text(turn, service.MAX_ANSWER, t._("Please write the answer in words."))
    if text is None:
        return
    try:
        done = await service.answer(
            turn.session,
            turn.identity,
            int(conversation.draft["proposal_id"]),
            text,
            now=turn.now,
            today=turn.today,
            zone=turn.settings.zone,
            actor_account=turn.who,
        )
    except ProposalRefused as refused:
        _explain(turn, refused)
        return
    view = done.proposal
    told = len({p.account.official_id for p in done.recipients})
    turn.say(
        t._(
            "Answered: the proposal of {unit} on [{code}].",
            unit=view.unit_name,
            code=view.task_code,
        )
        + " "
        + t.n_(
            "{count} officer of the unit was told.", "{count} officers of the unit were told.", told
        )
    )
    for person in done.recipients:
        pt = translator_for(person.locale, turn.settings.locale, turn.settings.zone)
        message = pt._(
            "📨 The standing office has answered the proposal on [{code}] {title}, raised {date} "
            "by {proposer}.\nProposal: «{text}»\nAnswer ({name}): {answer}",
            code=view.task_code,
            title=view.task_title,
            date=pt.short_date(view.opened_on),
            proposer=view.proposer_name,
            text=shorten(view.text, 1500),
            name=done.answerer_name,
            answer=done.answer,
        )
        turn.tell(
            person.account,
            Outbound(message),
            f"proposal:{view.proposal_id}:answered:{person.account.id}",
        )
    await show_list(turn, int(conversation.draft.get("page", 0)), in_place=False)
