"""/baocao (/report): the guided progress report.

pick → card and status → progress % → what was done → difficulties (skippable) →
proposal (skippable) → evidence (skippable) → review → confirm. Each step checks what it
expects and says so; nothing is stored until the person confirms.
"""

from __future__ import annotations

from typing import Any

from bot.channels.base import Choice, Outbound
from bot.i18n import translator_for
from bot.messages import cards
from bot.messages.payloads import STATELESS, Flow, Payload
from bot.services import conversations, reports
from bot.services.dates.timing import Timing
from bot.services.tasks import assignments
from db.models import Status, TaskKind
from handlers.answers import MAX_TEXT, read_percent, take_text
from handlers.choices import count_pages, page_through
from handlers.flow import Steps
from handlers.turn import Turn

FLOW = Flow.REPORT
NAME = "report"
STEPS = Steps(FLOW, NAME)
PICK_PAGE = 8
ENTRY_ACTIONS = ("open", "done")
TEXT_STEPS = ("done_text", "difficulty", "proposal")
SKIPPABLE = ("difficulty", "proposal", "evidence")
# Answers are quoted this short so that the review of three reads as one message; whatever
# is longer than the channel takes is sent in parts by the dispatcher.
QUOTE = 900


async def begin(turn: Turn, argument: str = "") -> None:
    """Start a report: straight to the card when a task code is given, else a list to pick."""
    if argument:
        views, _ = await assignments.list_for_unit(
            turn.session, turn.identity.unit.id or 0, turn.today, limit=1000
        )
        match = next((v for v in views if v.task_code.lower() == argument.lower()), None)
        if match is not None:
            await _open_card(turn, match.id)
            return
    await _show_pick(turn, 0)


async def _show_pick(turn: Turn, page: int) -> None:
    views, total = await assignments.list_for_unit(
        turn.session,
        turn.identity.unit.id or 0,
        turn.today,
        offset=page * PICK_PAGE,
        limit=PICK_PAGE,
        open_only=True,
    )
    t = turn.t
    if total == 0:
        conversations.finish(turn.conversation, turn.now)
        turn.show(t._("Your unit has no open assignments to report on."))
        return
    STEPS.go(turn, "pick", {"page": page})
    rows: list[tuple[Choice, ...]] = [
        (STEPS.button(turn, _label(v), "pick", str(v.id)),) for v in views
    ]
    rows += page_through(t, page, count_pages(total, PICK_PAGE), STEPS.press(turn, "pp"))
    rows.append((STEPS.button(turn, t._("Cancel"), "x"),))
    turn.show(t._("Which task are you reporting on? Choose one below."), tuple(rows))


def _label(view: assignments.AssignmentView) -> str:
    mark = "🔴 " if view.timing is Timing.OVERDUE else ""
    title = view.title if len(view.title) <= 38 else view.title[:37] + "…"
    return f"{mark}{view.task_code} · {title}"


async def _open_card(turn: Turn, assignment_id: int, *, in_place: bool = True) -> bool:
    """Show the card of one of the unit's assignments; False (and refused) for any other."""
    view = await assignments.find(turn.session, assignment_id, turn.today)
    if view is None or view.unit_id != turn.identity.unit.id:
        turn.refuse_button("assignment of another unit")
        return False
    last = await assignments.last_report(turn.session, assignment_id)
    STEPS.go(turn, "status", {"assignment_id": assignment_id, "code": view.task_code})
    t = turn.t
    statuses = [Status.IN_PROGRESS, Status.DONE, Status.NOT_STARTED]
    if view.kind == TaskKind.PILOT_MODEL:
        statuses.insert(2, Status.MAINTAINED)
    rows = [
        (STEPS.button(turn, cards.status_name(t, s).capitalize(), "st", s.value),) for s in statuses
    ]
    rows.append((STEPS.button(turn, t._("Cancel"), "x"),))
    render = turn.show if in_place else turn.say
    render(
        cards.card(t, view, last, turn.today) + "\n\n" + t._("What is the status now?"), tuple(rows)
    )
    return True


async def _open_from_reminder(turn: Turn, payload: Payload) -> None:
    """A reminder's button: the card of that assignment, below the reminder (which stays)."""
    assignment_id = payload.int_argument()
    if assignment_id is None:
        turn.refuse_button("malformed reminder button")
        return
    opened = await _open_card(turn, assignment_id, in_place=False)
    if opened and payload.action == "done":
        _choose_status(turn, Status.DONE)


async def on_button(turn: Turn, payload: Payload) -> None:
    """A button of the report flow, re-checked against the current step."""
    conversation = turn.conversation
    # Reminders carry stateless entry buttons (version 0): they start a fresh report.
    if payload.version == STATELESS and payload.action in ENTRY_ACTIONS:
        await _open_from_reminder(turn, payload)
        return
    if conversation.flow != NAME or payload.version != conversation.version:
        turn.refuse_button("stale report button")
        return
    step, action = conversation.step, payload.action
    if action == "x":
        await cancel(turn)
    elif step == "pick" and action == "pick" and payload.int_argument() is not None:
        await _open_card(turn, payload.int_argument() or 0)
    elif step == "pick" and action == "pp" and payload.int_argument() is not None:
        await _show_pick(turn, payload.int_argument() or 0)
    elif step == "status" and action == "st" and payload.argument in {s.value for s in Status}:
        _choose_status(turn, payload.argument or "")
    elif step in SKIPPABLE and action == "skip":
        _advance(turn, step, None)
    elif step == "confirm" and action == "ok":
        await _submit(turn)
    else:
        turn.refuse_button("button does not fit the step")


def _choose_status(turn: Turn, status: str) -> None:
    draft = STEPS.draft(turn) | {"status": status}
    if status in (Status.DONE, Status.NOT_STARTED):
        draft["progress"] = 100 if status == Status.DONE else 0
        _ask_text(turn, "done_text", draft)
        return
    STEPS.go(turn, "progress", draft)
    turn.say(turn.t._("What is the progress? Send a whole number from 0 to 100, e.g. 75."))


def _ask_text(turn: Turn, step: str, draft: dict[str, Any]) -> None:
    STEPS.go(turn, step, draft)
    t = turn.t
    prompts = {
        "done_text": t._(
            "What has been done? Describe the results briefly (at most {limit} characters).",
            limit=t.number(MAX_TEXT),
        ),
        "difficulty": t._(
            "Any difficulties or obstacles? Describe them, or choose Skip (or answer “No”)."
        ),
        "proposal": t._(
            "Any proposal or recommendation? Write it, or choose Skip (or answer “No”)."
        ),
        "evidence": t._("Send a photo or document as evidence, or press Skip."),
    }
    skip = ((STEPS.button(turn, t._("Skip"), "skip"),),) if step in SKIPPABLE else ()
    turn.say(prompts[step], skip)


def _advance(turn: Turn, step: str | None, value: str | None) -> None:
    """Store the answer to a text or evidence step and ask the next question."""
    draft = STEPS.draft(turn)
    if step in TEXT_STEPS:
        draft[step] = value
    order = ["done_text", "difficulty", "proposal", "evidence"]
    index = order.index(step) if step in order else len(order) - 1
    if index + 1 < len(order):
        _ask_text(turn, order[index + 1], draft)
    else:
        _review(turn, draft)


def _review(turn: Turn, draft: dict[str, Any]) -> None:
    STEPS.go(turn, "confirm", draft)
    t = turn.t
    none = t._("(none)")
    evidence = draft.get("evidence_name") or (
        t._("photo") if draft.get("evidence_kind") == "photo" else none
    )
    text = t._(
        "Please check your report on [{code}]:\n"
        "• Status: {status}\n• Progress: {progress}\n• Done: {done}\n"
        "• Difficulties: {difficulty}\n• Proposal: {proposal}\n• Evidence: {evidence}\n\n"
        "Confirm to send it.",
        code=draft.get("code", ""),
        status=cards.status_name(t, draft["status"]),
        progress=t.percent(draft["progress"]),
        done=cards.shorten(draft["done_text"], QUOTE),
        difficulty=cards.shorten(draft.get("difficulty") or none, QUOTE),
        proposal=cards.shorten(draft.get("proposal") or none, QUOTE),
        evidence=evidence,
    )
    rows = (
        (STEPS.button(turn, t._("✅ Confirm"), "ok"),),
        (STEPS.button(turn, t._("Cancel"), "x"),),
    )
    turn.say(text, rows)


async def on_answer(turn: Turn) -> None:
    """Typed text or a file, read as the answer to the current step."""
    conversation = turn.conversation
    step, inbound, t = conversation.step, turn.inbound, turn.t
    if step == "evidence":
        if inbound.attachments:
            first = inbound.attachments[0]
            draft = STEPS.draft(turn) | {
                "evidence_kind": first.kind,
                "evidence_file_id": first.file_id,
                "evidence_name": first.name,
            }
            _review(turn, draft)
        elif inbound.text and reports.means_none(inbound.text):
            _review(turn, STEPS.draft(turn))  # "Không", "0"…: no evidence, like Skip
        else:
            turn.say(t._("Please send a photo or a document, or press Skip above."))
        return
    if inbound.attachments:
        turn.say(t._("This step needs text, not a file. Please type your answer."))
        return
    if step == "progress":
        progress = read_percent(inbound.text)
        if progress is None:
            turn.say(
                t._("Progress must be a whole number from 0 to 100, e.g. 75. Please send it again.")
            )
            return
        _ask_text(turn, "done_text", STEPS.draft(turn) | {"progress": progress})
        return
    if step in TEXT_STEPS:
        value = take_text(turn, MAX_TEXT, t._("Please describe it in words (letters or numbers)."))
        if value is not None:
            # "Không", "chưa có", "Bỏ qua"… at an optional question mean none (the services' rule).
            optional = step in ("difficulty", "proposal")
            _advance(turn, step, None if optional and reports.means_none(value) else value)
        return
    turn.say(t._("Please choose one of the buttons above, or send /huy to cancel."))


async def cancel(turn: Turn) -> None:
    """Drop the draft; nothing was stored."""
    conversations.finish(turn.conversation, turn.now)
    turn.show(turn.t._("Cancelled. Nothing was recorded."))


async def _submit(turn: Turn) -> None:
    draft = STEPS.draft(turn)
    try:
        result = await reports.submit(
            turn.session,
            turn.identity,
            int(draft["assignment_id"]),
            draft,
            channel=turn.inbound.channel,
            now=turn.now,
            today=turn.today,
        )
    except reports.ReportRejected:
        conversations.finish(turn.conversation, turn.now)
        turn.refuse_button("report no longer valid")
        return
    conversations.finish(turn.conversation, turn.now)
    t = turn.t
    turn.show(
        t._(
            "Report on [{code}] recorded: {status}, {progress}. Thank you.",
            code=draft["code"],
            status=cards.status_name(t, result.status),
            progress=t.percent(result.progress),
        )
    )
    for head in result.heads:
        ht = translator_for(head.locale, turn.settings.locale, turn.settings.zone)
        lines = [
            ht._(
                "{unit}: {name} reported on [{code}]: {status}, {progress}.",
                unit=turn.identity.unit.name,
                name=turn.identity.official.name,
                code=draft["code"],
                status=cards.status_name(ht, result.status),
                progress=ht.percent(result.progress),
            )
        ]
        lines.append(ht._("Done: {text}", text=cards.shorten(draft["done_text"], QUOTE)))
        if draft.get("difficulty"):
            lines.append(
                ht._("⚠️ Difficulty: {text}", text=cards.shorten(draft["difficulty"], QUOTE))
            )
        if draft.get("proposal"):
            lines.append(ht._("Proposal: {text}", text=cards.shorten(draft["proposal"], QUOTE)))
        turn.tell(
            head.account,
            Outbound("\n".join(lines)),
            f"report:{result.report_id}:head:{head.account.id}",
        )
