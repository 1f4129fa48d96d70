"""How an assignment reads: its one-line summary in lists and its full card."""

from __future__ import annotations

from datetime import date

from bot.channels.base import Choice
from bot.i18n import Translator
from bot.messages.payloads import STATELESS, Flow, Payload
from bot.services.dates.timing import Timing, days_late
from bot.services.tasks.assignments import AssignmentView, LastReport
from db.models import AssignmentRole, Status, TaskKind


def status_name(t: Translator, status: str) -> str:
    """A stored status in words."""
    return {
        Status.NOT_STARTED: t._("not started"),
        Status.IN_PROGRESS: t._("in progress"),
        Status.DONE: t._("done"),
        Status.MAINTAINED: t._("maintained"),
    }[Status(status)]


def timing_name(t: Translator, view: AssignmentView, today: date) -> str:
    """Derived timing in words, with days late for overdue work."""
    if view.timing is Timing.OVERDUE:
        late = days_late(view.deadline, today)
        return t.n_("overdue by {count} day", "overdue by {count} days", late)
    return {
        Timing.ON_TIME: t._("on time"),
        Timing.DONE_ON_TIME: t._("done on time"),
        Timing.DONE_LATE: t._("done late"),
    }[view.timing]


def _role(t: Translator, view: AssignmentView) -> str:
    return t._("lead") if view.role == AssignmentRole.LEAD else t._("support")


def line(t: Translator, view: AssignmentView, index: int, today: date) -> str:
    """One assignment in a list."""
    marker = "🔴" if view.timing is Timing.OVERDUE else "🟢" if view.status == Status.DONE else "🔵"
    return t._(
        "{marker} {index}. [{code}] {title}\n"
        "    {role} · deadline {deadline} · {status} {progress} · {timing}",
        marker=marker,
        index=index,
        code=view.task_code,
        title=view.title,
        role=_role(t, view),
        deadline=t.short_date(view.deadline),
        status=status_name(t, view.status),
        progress=t.percent(view.progress),
        timing=timing_name(t, view, today),
    )


def card(t: Translator, view: AssignmentView, last: LastReport | None, today: date) -> str:
    """The full card shown before reporting."""
    kind = t._("Pilot model") if view.kind == TaskKind.PILOT_MODEL else t._("Task")
    parts = [
        t._("{kind} [{code}]: {title}", kind=kind, code=view.task_code, title=view.title),
        t._("Group: {group}", group=view.group_title),
        t._("Your unit's role: {role}", role=_role(t, view)),
        t._("Deliverable: {deliverable}", deliverable=view.deliverable or "—"),
        t._(
            "Deadline: {deadline} ({timing})",
            deadline=t.date(view.deadline),
            timing=timing_name(t, view, today),
        ),
        t._(
            "Status: {status}, {progress}",
            status=status_name(t, view.status),
            progress=t.percent(view.progress),
        ),
    ]
    if last is None:
        parts.append(t._("Last report: none yet."))
    else:
        parts.append(
            t._(
                "Last report ({when}): {status}, {progress} — {text}",
                when=t.moment(last.created_at),
                status=status_name(t, last.status),
                progress=t.percent(last.progress),
                text=shorten(last.done_text, 300),
            )
        )
    return "\n".join(parts)


def shorten(text: str, limit: int) -> str:
    """Cut text to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def action_buttons(t: Translator, assignment_id: int) -> tuple[tuple[Choice, ...], ...]:
    """The buttons every reminder and alert carries, opening the right flow."""
    argument = str(assignment_id)
    return (
        (
            Payload(Flow.REPORT, STATELESS, "open", argument).choice(t._("Update progress")),
            Payload(Flow.REPORT, STATELESS, "done", argument).choice(t._("Done")),
        ),
        (Payload(Flow.EXTENSION, STATELESS, "ext", argument).choice(t._("Ask for an extension")),),
    )
