"""/xacnhan (/review): the standing office confirms or returns results reported done.

The queue first: how many results wait and, a page at a time, which (unit, task, who
reported it done, since when in working days), each with "Open". Then one claim at a time
(`bot.messages.claims`): the task, the unit, who reported it and when, the report and its
evidence, with "Confirm" and "Return". Returning asks for a reason, which the unit's
focal officers and heads are told. Only standing officers may review; every button is
checked again on the server.
"""

from __future__ import annotations

from bot.channels.base import Attachment, Choice, Outbound
from bot.i18n import translator_for
from bot.messages import cards
from bot.messages.claims import claim_card, timing_name
from bot.messages.payloads import Flow, Payload
from bot.messages.queues import claim_line
from bot.services import conversations, waiting
from bot.services.dates.calendar import WorkCalendar
from bot.services.files import is_stored
from bot.services.reports import review
from bot.services.reports.review import Verdict
from db.models import Review
from handlers.answers import MAX_TEXT, take_text
from handlers.choices import count_pages, page_through
from handlers.flow import Steps
from handlers.turn import Turn

FLOW = Flow.REVIEW
NAME = "review"
STEPS = Steps(FLOW, NAME)
QUOTE = 900  # three quoted answers still read as one message
PAGE = 5


def _refuse_role(turn: Turn, what: str) -> None:
    """Anyone but a standing officer: a clear answer and an audit entry, nothing else."""
    message = turn.t._("Only the standing office can confirm or return reported results.")
    turn.refuse_role("review.refused", what, message, notice=message)


async def begin(turn: Turn, _argument: str = "") -> None:
    """Open the queue of results waiting for confirmation, oldest first."""
    if not review.may_review(turn.identity):
        _refuse_role(turn, "command")
        return
    await _show_queue(turn, 0, in_place=False)


async def _show_queue(turn: Turn, page: int, *, in_place: bool = True) -> None:
    """One page of the queue: how many results wait, which, and since when."""
    t = turn.t
    claims, total = await waiting.claims(
        turn.session,
        turn.today,
        WorkCalendar.from_settings(turn.settings),
        turn.settings.zone,
        offset=page * PAGE,
        limit=PAGE,
    )
    render = turn.show if in_place else turn.say
    if total == 0:
        conversations.finish(turn.conversation, turn.now)
        render(t._("No reported results are waiting for confirmation."))
        return
    pages = count_pages(total, PAGE)
    if not claims:  # the queue shrank under us: show its last page
        await _show_queue(turn, pages - 1, in_place=in_place)
        return
    STEPS.go(turn, "list", {"page": page})
    header = t.n_(
        "{count} result is waiting for confirmation, oldest first — page {page}/{pages}",
        "{count} results are waiting for confirmation, oldest first — page {page}/{pages}",
        total,
        page=page + 1,
        pages=pages,
    )
    first = page * PAGE
    body = [claim_line(t, first + i + 1, c) for i, c in enumerate(claims)]
    rows: list[tuple[Choice, ...]] = [
        (STEPS.button(turn, t._("🔎 Open {n}", n=first + i + 1), "op", str(first + i)),)
        for i in range(len(claims))
    ]
    rows += page_through(t, page, pages, STEPS.press(turn, "lp"))
    rows.append((STEPS.button(turn, t._("Close"), "x"),))
    render("\n\n".join([header, *body]), tuple(rows))


async def _show_card(turn: Turn, index: int, *, in_place: bool = True) -> None:
    claim, total = await review.claim_at(turn.session, index)
    if claim is None and total > 0:  # the queue shrank under us: show its last claim
        index = total - 1
        claim, total = await review.claim_at(turn.session, index)
    t = turn.t
    render = turn.show if in_place else turn.say
    if claim is None:
        conversations.finish(turn.conversation, turn.now)
        render(t._("No reported results are waiting for confirmation."))
        return
    STEPS.go(turn, "queue", {"index": index, "assignment_id": claim.assignment_id})
    rows: list[tuple[Choice, ...]] = [
        (
            STEPS.button(turn, t._("✅ Confirm"), "ok", str(claim.assignment_id)),
            STEPS.button(turn, t._("↩️ Return"), "ret", str(claim.assignment_id)),
        )
    ]
    if claim.evidence_file_id and (
        claim.evidence_channel == turn.inbound.channel or is_stored(claim.evidence_file_id)
    ):  # a platform's own reference works on that platform only; a file roviec kept, anywhere
        view = t._("📎 View evidence")
        rows.append((STEPS.button(turn, view, "ev", str(claim.assignment_id)),))
    rows += page_through(t, index, total, STEPS.press(turn, "pg"))  # one claim a page
    rows.append(
        (
            STEPS.button(turn, t._("📋 The queue"), "ls", str(index // PAGE)),
            STEPS.button(turn, t._("Close"), "x"),
        )
    )
    render(claim_card(t, claim, index, total, turn.today), tuple(rows))


async def on_button(turn: Turn, payload: Payload) -> None:
    """A button of the review flow: the role first, then the step it was shown for."""
    if not review.may_review(turn.identity):
        _refuse_role(turn, "button")
        return
    conversation = turn.conversation
    if conversation.flow != NAME or payload.version != conversation.version:
        turn.refuse_button("stale review button")
        return
    draft, step, action = STEPS.draft(turn), conversation.step, payload.action
    argument = payload.int_argument()
    shown = draft.get("assignment_id")
    if action == "x" and step in ("queue", "list"):
        conversations.finish(conversation, turn.now)
        turn.show(turn.t._("Closed. Send /xacnhan to review results again."))
    elif action == "x" and step == "reason":
        await _show_card(turn, int(draft.get("index", 0)), in_place=False)
    elif step == "list" and action == "lp" and argument is not None:
        await _show_queue(turn, argument)
    elif step == "list" and action == "op" and argument is not None:
        await _show_card(turn, argument, in_place=False)
    elif step == "queue" and action == "ls" and argument is not None:
        await _show_queue(turn, argument, in_place=False)
    elif step == "queue" and action == "pg" and argument is not None:
        await _show_card(turn, argument)
    elif step == "queue" and action == "ok" and argument is not None and argument == shown:
        await _confirm(turn, argument, int(draft.get("index", 0)))
    elif step == "queue" and action == "ev" and argument is not None and argument == shown:
        await _send_evidence(turn, argument)
    elif step == "queue" and action == "ret" and argument is not None and argument == shown:
        STEPS.go(turn, "reason", draft)
        turn.say(
            turn.t._(
                "Why is this result returned? Write the reason; the unit will see it "
                "(at most {limit} characters).",
                limit=turn.t.number(MAX_TEXT),
            ),
            ((STEPS.button(turn, turn.t._("Cancel"), "x"),),),
        )
    else:
        turn.refuse_button("review button does not fit the step")


async def _send_evidence(turn: Turn, assignment_id: int) -> None:
    """The evidence file of the claim on screen, sent again by its reference."""
    claim = await review.find_claim(turn.session, assignment_id)
    t = turn.t
    if claim is None or not claim.evidence_kind or not claim.evidence_file_id:
        turn.say(t._("This result is no longer waiting for confirmation. Send /xacnhan again."))
        return
    caption = t._(
        "📎 Evidence for [{code}] {title} ({unit})",
        code=claim.task_code,
        title=cards.shorten(claim.title, 200),
        unit=claim.unit_name,
    )
    file = Attachment(claim.evidence_kind, claim.evidence_file_id, claim.evidence_name)
    turn.reply(Outbound(caption, file=file))


def _already(turn: Turn, verdict: Verdict) -> None:
    t = turn.t
    if verdict.review in (Review.CONFIRMED, Review.RETURNED) and verdict.decided_by:
        what = t._("confirmed") if verdict.review == Review.CONFIRMED else t._("returned")
        text = t._(
            "This result has already been decided by {name}: {what}. Nothing was changed.",
            name=verdict.decided_by,
            what=what,
        )
    else:
        text = t._(
            "This result is no longer waiting for confirmation (the unit may have reported "
            "again). Nothing was changed."
        )
    turn.button_notice = t._("Already decided.") if turn.inbound.is_button else None
    turn.say(text)


async def _confirm(turn: Turn, assignment_id: int, index: int) -> None:
    verdict = await review.confirm(
        turn.session, turn.identity, assignment_id, now=turn.now, today=turn.today, who=turn.who
    )
    if not verdict.decided or verdict.claim is None:
        _already(turn, verdict)
        await _show_card(turn, index, in_place=False)
        return
    t, claim = turn.t, verdict.claim
    assert verdict.timing is not None
    turn.show(
        t._(
            "✅ Confirmed: [{code}] {title} ({unit}), {timing}.",
            code=claim.task_code,
            title=claim.title,
            unit=claim.unit_name,
            timing=timing_name(t, verdict.timing),
        )
    )
    for person in verdict.recipients:
        pt = translator_for(person.locale, turn.settings.locale, turn.settings.zone)
        text = pt._(
            "✅ The standing office confirmed the result of [{code}] {title}: {timing} "
            "(reported done on {done_on}, deadline {deadline}).",
            code=claim.task_code,
            title=claim.title,
            timing=timing_name(pt, verdict.timing),
            done_on=pt.short_date(claim.done_on) if claim.done_on else "—",
            deadline=pt.short_date(claim.deadline),
        )
        turn.tell(
            person.account,
            Outbound(text),
            f"review:{claim.report_id}:confirmed:{person.account.id}",
        )
    await _show_card(turn, index, in_place=False)


async def on_answer(turn: Turn) -> None:
    """The reason for returning a result; anything else is explained."""
    t = turn.t
    if not review.may_review(turn.identity):
        conversations.finish(turn.conversation, turn.now)
        _refuse_role(turn, "answer")
        return
    if turn.conversation.step != "reason":
        turn.say(t._("Please choose one of the buttons above, or send /huy to cancel."))
        return
    if turn.inbound.attachments:
        turn.say(t._("This step needs text, not a file. Please type your answer."))
        return
    reason = take_text(turn, MAX_TEXT, t._("Please describe it in words (letters or numbers)."))
    if reason is None:
        return
    draft = STEPS.draft(turn)
    verdict = await review.return_result(
        turn.session,
        turn.identity,
        int(draft["assignment_id"]),
        reason,
        now=turn.now,
        who=turn.who,
    )
    index = int(draft.get("index", 0))
    if not verdict.decided or verdict.claim is None:
        _already(turn, verdict)
        await _show_card(turn, index, in_place=False)
        return
    claim = verdict.claim
    turn.say(
        t._(
            "↩️ Returned: [{code}] {title} ({unit}) is in progress again; the unit has been "
            "told your reason.",
            code=claim.task_code,
            title=claim.title,
            unit=claim.unit_name,
        )
    )
    for person in verdict.recipients:
        pt = translator_for(person.locale, turn.settings.locale, turn.settings.zone)
        text = pt._(
            "↩️ The standing office returned the result of [{code}] {title}; the task is in "
            "progress again.\nReason: {reason}\nPlease complete it and report again with /baocao.",
            code=claim.task_code,
            title=claim.title,
            reason=cards.shorten(reason, QUOTE * 3),
        )
        turn.tell(
            person.account,
            Outbound(text),
            f"review:{claim.report_id}:returned:{person.account.id}",
        )
    await _show_card(turn, index, in_place=False)
