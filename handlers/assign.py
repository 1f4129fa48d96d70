"""/giaoviec (/assign): a standing officer assigns a new task, and the units are told.

title → lead unit → support units (optional) → deadline → deliverable → group → review →
confirm. Nothing is stored until the officer confirms; then the heads and focal officers of
every assigned unit get the task with the buttons to report on it. Every button is checked
again here (the role too, which can change while a draft is open): payloads come from the
client.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.channels.base import Choice, Outbound
from bot.i18n import Translator, translator_for
from bot.messages import cards
from bot.messages.payloads import Flow, Payload
from bot.services.dates.reading import DateProblem
from bot.services.people import directory
from bot.services.tasks import assigning as tasking
from bot.services.tasks.assigning import Created, TaskRejected
from db.models import AssignmentRole
from handlers.answers import take_text
from handlers.choices import count_pages, mark_chosen, page_through, toggle
from handlers.flow import Steps
from handlers.turn import Turn

FLOW = Flow.ASSIGN
NAME = "assign"
STEPS = Steps(FLOW, NAME)
PAGE = 8
TEXT_STEPS = ("title", "deadline", "deliverable")
# The review quotes at most this much of the list of support units.
NAMES_QUOTE = 600


def _allowed(turn: Turn, what: str) -> bool:
    """Whether the sender may assign work; if not, refuse, audit and drop any draft."""
    assert turn.identity is not None
    if tasking.may_assign(turn.identity.official):
        return True
    if turn.conversation is not None and turn.conversation.flow == NAME:
        STEPS.finish(turn)
    t = turn.t
    explanation = t._("Only the standing office can assign tasks. Nothing was recorded.")
    turn.refuse_role("task.refused", what, explanation, entity="task", notice=t._("Not allowed."))
    return False


async def begin(turn: Turn, _argument: str = "") -> None:
    """Start a new task: ask for its title."""
    if not _allowed(turn, "command"):
        return
    t = turn.t
    _groups, total = await tasking.group_page(turn.session, 0, 1)
    if total == 0:
        turn.say(
            t._(
                "There is no task group yet. Please import the plan first "
                "(roviec import), then assign tasks here."
            )
        )
        return
    STEPS.go(turn, "title", {})
    turn.say(
        t._(
            "Assigning a new task. Write the task's title (at most {limit} characters).",
            limit=t.number(tasking.MAX_TITLE),
        ),
        (STEPS.cancel_row(turn),),
    )


def _nav(turn: Turn, page: int, total: int) -> tuple[tuple[Choice, ...], ...]:
    """The pager of a list of units or groups."""
    return page_through(turn.t, page, count_pages(total, PAGE), STEPS.press(turn, "pg"))


async def _show_lead(turn: Turn, draft: dict[str, Any], page: int) -> None:
    options, total = await directory.unit_page(turn.session, page * PAGE, PAGE)
    if not options and page > 0:
        turn.refuse_button("unit page out of range")
        return
    STEPS.go(turn, "lead", draft | {"page": page})
    rows = [(STEPS.button(turn, o.name, "ld", str(o.id)),) for o in options]
    rows += [*_nav(turn, page, total), STEPS.cancel_row(turn)]
    turn.show(turn.t._("Which unit leads (chủ trì) this task?"), tuple(rows))


async def _show_support(turn: Turn, draft: dict[str, Any], page: int, note: str = "") -> None:
    options, total = await directory.unit_page(turn.session, page * PAGE, PAGE)
    if not options and page > 0:
        turn.refuse_button("unit page out of range")
        return
    draft = draft | {"page": page}
    STEPS.go(turn, "support", draft)
    t, chosen = turn.t, set(draft.get("support") or [])
    others = [(o.id, o.name) for o in options if o.id != draft["lead"]]
    rows = mark_chosen(others, chosen, STEPS.press(turn, "tog"))
    rows += _nav(turn, page, total)
    rows.append((STEPS.button(turn, t._("Done choosing"), "done"),))
    rows.append(STEPS.cancel_row(turn))
    text = t.n_(
        "Choose the supporting units (phối hợp), {count} chosen. Press a unit to choose it "
        "or remove it, then press Done choosing (also when there are none).",
        "Choose the supporting units (phối hợp), {count} chosen. Press a unit to choose it "
        "or remove it, then press Done choosing (also when there are none).",
        len(chosen),
    )
    turn.show(f"{note}\n\n{text}" if note else text, tuple(rows))


def _ask_deadline(turn: Turn, draft: dict[str, Any]) -> None:
    STEPS.go(turn, "deadline", draft)
    turn.show(
        turn.t._(
            "What is the deadline? Write a date after today as dd/mm/yyyy (e.g. {example}).",
            example=turn.t.short_date(turn.today + timedelta(days=30)),
        ),
        (STEPS.cancel_row(turn),),
    )


async def _show_groups(turn: Turn, draft: dict[str, Any], page: int) -> None:
    options, total = await tasking.group_page(turn.session, page * PAGE, PAGE)
    if not options:
        turn.refuse_button("group page out of range")
        return
    STEPS.go(turn, "group", draft | {"page": page})
    rows = [
        (STEPS.button(turn, cards.shorten(f"{o.code} · {o.title}", 60), "gr", str(o.id)),)
        for o in options
    ]
    rows += [*_nav(turn, page, total), STEPS.cancel_row(turn)]
    turn.show(turn.t._("Which group of tasks does it belong to?"), tuple(rows))


async def _review(turn: Turn, draft: dict[str, Any]) -> None:
    STEPS.go(turn, "confirm", draft)
    t = turn.t
    support = draft.get("support") or []
    names = await tasking.unit_names(turn.session, [draft["lead"], *support])
    group = await tasking.find_group(turn.session, draft["group"])
    text = t._(
        "Please check the new task:\n\n{title}\n\n• Lead unit: {lead}\n• Supporting units: "
        "{support}\n• Deadline: {deadline}\n• Deliverable: {deliverable}\n• Group: {group}\n\n"
        "Confirm to assign it; the units will be told.",
        title=draft["title"],
        lead=names.get(draft["lead"], "?"),
        support=cards.shorten(", ".join(names.get(u, "?") for u in support), NAMES_QUOTE)
        or t._("(none)"),
        deadline=t.date(date.fromisoformat(draft["deadline"])),
        deliverable=draft["deliverable"],
        group=f"{group.code} · {group.title}" if group else "?",
    )
    turn.show(text, ((STEPS.button(turn, t._("✅ Assign"), "ok"),), STEPS.cancel_row(turn)))


async def on_button(turn: Turn, payload: Payload) -> None:
    """A button of the assigning conversation."""
    conversation = turn.conversation
    assert conversation is not None
    if conversation.flow != NAME or payload.version != conversation.version:
        turn.refuse_button("stale assign button")
        return
    if not _allowed(turn, "button"):
        return
    step, action, draft = conversation.step, payload.action, STEPS.draft(turn)
    number = payload.int_argument()
    page = int(draft.get("page") or 0)
    if action == "x":
        STEPS.finish(turn)
        turn.show(turn.t._("Cancelled. Nothing was recorded."))
    elif step in ("lead", "support", "group") and action == "pg" and number is not None:
        show = {"lead": _show_lead, "support": _show_support, "group": _show_groups}[step or ""]
        await show(turn, draft, number)
    elif step == "lead" and action == "ld" and number is not None:
        if not await directory.is_working_unit(turn.session, number):
            turn.refuse_button("lead unit that cannot take tasks")
            return
        support = [u for u in draft.get("support") or [] if u != number]
        await _show_support(turn, draft | {"lead": number, "support": support}, 0)
    elif step == "support" and action == "tog" and number is not None:
        if number == draft.get("lead") or not await directory.is_working_unit(turn.session, number):
            turn.refuse_button("support unit that cannot take this task")
            return
        chosen = toggle(draft.get("support") or [], number)
        if len(chosen) > tasking.MAX_SUPPORT:
            note = turn.t._(
                "At most {count} supporting units.", count=turn.t.number(tasking.MAX_SUPPORT)
            )
            await _show_support(turn, draft, page, note)
            return
        await _show_support(turn, draft | {"support": chosen}, page)
    elif step == "support" and action == "done":
        _ask_deadline(turn, draft)
    elif step == "group" and action == "gr" and number is not None:
        if await tasking.find_group(turn.session, number) is None:
            turn.refuse_button("unknown task group")
            return
        await _review(turn, draft | {"group": number})
    elif step == "confirm" and action == "ok":
        await _submit(turn, draft)
    else:
        turn.refuse_button("button does not fit the step")


async def on_answer(turn: Turn) -> None:
    """Typed text, read as the answer to the current step."""
    conversation = turn.conversation
    assert conversation is not None
    if not _allowed(turn, "answer"):
        return
    step, inbound, t = conversation.step, turn.inbound, turn.t
    if step not in TEXT_STEPS:
        turn.say(t._("Please choose one of the buttons above, or send /huy to cancel."))
        return
    if inbound.attachments:
        turn.say(t._("This step needs text, not a file. Please type your answer."))
        return
    if step == "deadline":
        read = tasking.read_deadline(inbound.text, turn.today)
        if isinstance(read, DateProblem):
            turn.say(_deadline_problem(t, read, turn.today))
        else:
            _ask_deliverable(turn, STEPS.draft(turn) | {"deadline": read.isoformat()})
        return
    limit = tasking.MAX_TITLE if step == "title" else tasking.MAX_DELIVERABLE
    value = take_text(turn, limit, t._("Please answer in words (letters or numbers)."))
    if value is None:
        return
    if step == "title":
        await _show_lead(turn, STEPS.draft(turn) | {"title": value}, 0)
    else:
        await _show_groups(turn, STEPS.draft(turn) | {"deliverable": value}, 0)


def _deadline_problem(t: Translator, problem: DateProblem, today: date) -> str:
    """What was wrong with a typed deadline, and what is expected."""
    if problem is DateProblem.PAST:
        return t._(
            "The deadline must be after today ({today}). Please send a later date.",
            today=t.short_date(today),
        )
    if problem is DateProblem.TOO_FAR:
        return t._(
            "That is more than {years} years ahead. Please send a nearer date.",
            years=tasking.MAX_YEARS_AHEAD,
        )
    return t._(
        "That is not a date. Please write it as dd/mm/yyyy, e.g. {example}.",
        example=t.short_date(today + timedelta(days=30)),
    )


def _ask_deliverable(turn: Turn, draft: dict[str, Any]) -> None:
    STEPS.go(turn, "deliverable", draft)
    turn.show(
        turn.t._(
            "What is the deliverable (sản phẩm)? E.g. a report, a decision, a system in "
            "operation (at most {limit} characters).",
            limit=turn.t.number(tasking.MAX_DELIVERABLE),
        ),
        (STEPS.cancel_row(turn),),
    )


async def _submit(turn: Turn, draft: dict[str, Any]) -> None:
    assert turn.identity is not None
    try:
        created = await tasking.create(
            turn.session, turn.identity, draft, now=turn.now, today=turn.today
        )
    except TaskRejected as error:
        STEPS.finish(turn)
        turn.refuse_button(f"task draft rejected: {error}")
        return
    STEPS.finish(turn)
    rendered: dict[tuple[str | None, int, str], Outbound] = {}
    for person in created.addressees:
        key = (person.recipient.locale, person.assignment_id, person.role)
        if key not in rendered:
            pt = translator_for(person.recipient.locale, turn.settings.locale, turn.settings.zone)
            rendered[key] = assigned_message(pt, created, person.assignment_id, person.role)
        account = person.recipient.account
        turn.tell(account, rendered[key], f"task:{created.task_id}:{account.id}")
    t = turn.t
    told = len({p.recipient.account.official_id for p in created.addressees})
    turn.show(
        t._(
            "Task {code} is assigned to {units}; {told} told.",
            code=created.code,
            units=t.n_("{count} unit", "{count} units", 1 + len(created.support_names)),
            told=t.n_("{count} official", "{count} officials", told),
        )
    )


def assigned_message(t: Translator, created: Created, assignment_id: int, role: str) -> Outbound:
    """The new task as an assigned unit reads it, with the buttons to report on it."""
    role_name = t._("lead") if role == AssignmentRole.LEAD else t._("support")
    text = t._(
        "📌 New task {code} for your unit ({role}):\n{title}\n\n• Lead unit: {lead}\n"
        "• Supporting units: {support}\n• Deadline: {deadline}\n• Deliverable: {deliverable}\n"
        "• Group: {group}\n• Assigned by: {assigner}",
        code=created.code,
        role=role_name,
        title=created.title,
        lead=created.lead_name,
        support=cards.shorten(", ".join(created.support_names), NAMES_QUOTE) or t._("(none)"),
        deadline=t.date(created.deadline),
        deliverable=created.deliverable,
        group=created.group_title,
        assigner=created.assigner,
    )
    return Outbound(text, cards.action_buttons(t, assignment_id))
