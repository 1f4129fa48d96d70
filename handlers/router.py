"""Where an inbound action goes. The order of the checks below is the access policy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.i18n import Translator
from bot.messages.payloads import decode
from bot.services.people.permissions import Action
from db.models import Conversation
from handlers import assign, dashboard, language, notice_channel, report, staff, start, tasks
from handlers import export as export_
from handlers import help as help_
from handlers import overdue as overdue_
from handlers import ranking as ranking_
from handlers import review as review_
from handlers import summary as summary_
from handlers.blockers import conversation as blockers_
from handlers.directives import conversation as directive_
from handlers.directives import replies as directive_replies
from handlers.extensions import conversation as extension
from handlers.indicators import conversation as indicators_
from handlers.proposals import conversation as proposals_
from handlers.turn import Exchange, Turn

Command = Callable[[Turn, str], Awaitable[None]]


async def _tasks(turn: Turn, _argument: str) -> None:
    await tasks.show(turn)


async def _help(turn: Turn, _argument: str) -> None:
    await help_.handle(turn)


async def _cancel(turn: Turn, _argument: str) -> None:
    await report.cancel(turn)


@dataclass(frozen=True)
class Registration:
    """A command: its Vietnamese name, its English alias, who may use it, its menu line."""

    name: str
    alias: str
    run: Command
    # The action of the permissions table a person needs for the command to be in their
    # menu; None: every registered official. The handler checks it again and refuses.
    action: Action | None
    describe: Callable[[Translator], str]


# The commands in menu order. Which role has which command is this list read against the
# permissions table (handlers/menu.py), never a second list.
REGISTRATIONS: tuple[Registration, ...] = (
    Registration(
        "nhiemvu",
        "tasks",
        _tasks,
        Action.VIEW_TASKS,
        lambda t: t._("Your unit's tasks"),
    ),
    Registration(
        "baocao",
        "report",
        report.begin,
        Action.REPORT_PROGRESS,
        lambda t: t._("Report progress on a task"),
    ),
    Registration(
        "giahan",
        "extend",
        extension.begin,
        Action.REQUEST_EXTENSION,
        lambda t: t._("Ask for a deadline extension"),
    ),
    Registration(
        "chitieu",
        "indicators",
        indicators_.begin,
        Action.REPORT_INDICATORS,
        lambda t: t._("Report your unit's indicators"),
    ),
    Registration(
        "xacnhan",
        "review",
        review_.begin,
        Action.REVIEW_RESULTS,
        lambda t: t._("Confirm or return reported results"),
    ),
    Registration(
        "xetgiahan",
        "extensions",
        extension.begin_queue,
        Action.DECIDE_EXTENSION,
        lambda t: t._("Extension requests waiting for a decision"),
    ),
    Registration(
        "giaoviec",
        "assign",
        assign.begin,
        Action.ASSIGN_TASKS,
        lambda t: t._("Assign a new task to units"),
    ),
    Registration(
        "chidao",
        "directive",
        directive_.begin,
        Action.ISSUE_DIRECTIVES,
        lambda t: t._("Send a directive to units"),
    ),
    Registration(
        "vuongmac",
        "blockers",
        blockers_.begin,
        Action.WORK_BLOCKERS,
        lambda t: t._("Difficulties and blockers to resolve"),
    ),
    Registration(
        "kiennghi",
        "proposals",
        proposals_.begin,
        Action.ANSWER_PROPOSALS,
        lambda t: t._("Answer proposals raised in reports"),
    ),
    Registration(
        "tonghop",
        "summary",
        summary_.show,
        Action.VIEW_SUMMARY,
        lambda t: t._("How your unit or the province stands"),
    ),
    Registration(
        "quahan",
        "overdue",
        overdue_.show,
        Action.VIEW_SUMMARY,
        lambda t: t._("What is overdue, and who answers for it"),
    ),
    Registration(
        "xephang",
        "ranking",
        ranking_.show,
        Action.VIEW_RANKING,
        lambda t: t._("Ranking of units"),
    ),
    Registration(
        "xuatbaocao",
        "export",
        export_.handle,
        Action.EXPORT_TABLE,
        lambda t: t._("Tracking table as Excel"),
    ),
    Registration(
        "web",
        "dashboard",
        dashboard.handle,
        Action.VIEW_DASHBOARD,
        lambda t: t._("Dashboard in the browser"),
    ),
    Registration(
        "canbo",
        "staff",
        staff.show,
        Action.MANAGE_STAFF,
        lambda t: t._("Take an official who left off the roster"),
    ),
    Registration(
        "kenh",
        "channel",
        notice_channel.show,
        None,
        lambda t: t._("Where reminders and notices go (Telegram or Zalo)"),
    ),
    Registration(
        "ngonngu",
        "language",
        language.show,
        None,
        lambda t: t._("Language: Vietnamese or English"),
    ),
    Registration(
        "huy",
        "cancel",
        _cancel,
        None,
        lambda t: t._("Cancel what you are doing"),
    ),
    Registration(
        "trogiup",
        "help",
        _help,
        None,
        lambda t: t._("Help"),
    ),
)

# Both names of every command; the English alias works wherever the Vietnamese one does.
COMMANDS: dict[str, Command] = {
    name: registration.run
    for registration in REGISTRATIONS
    for name in (registration.name, registration.alias)
}


# Button payloads name their flow by its letter (`Flow`); each flow re-checks the payload
# against its own state.
BUTTON_FLOWS = {
    tasks.FLOW: tasks.on_button,
    blockers_.FLOW: blockers_.on_button,
    proposals_.FLOW: proposals_.on_button,
    indicators_.FLOW: indicators_.on_button,
    ranking_.FLOW: ranking_.on_button,
    report.FLOW: report.on_button,
    directive_.FLOW: directive_.on_button,
    directive_.ACK_FLOW: directive_.on_ack,
    extension.FLOW: extension.on_button,
    review_.FLOW: review_.on_button,
    assign.FLOW: assign.on_button,
    notice_channel.FLOW: notice_channel.on_button,
    summary_.FLOW: summary_.on_button,
    overdue_.FLOW: overdue_.on_button,
    language.FLOW: language.on_button,
    staff.FLOW: staff.on_button,
}

# Flows that take typed answers, by the name stored in the conversation.
ANSWER_FLOWS = {
    report.NAME: report.on_answer,
    blockers_.NAME: blockers_.on_answer,
    proposals_.NAME: proposals_.on_answer,
    indicators_.NAME: indicators_.on_answer,
    directive_.NAME: directive_.on_answer,
    review_.NAME: review_.on_answer,
    extension.NAME: extension.on_answer,
    assign.NAME: assign.on_answer,
    directive_replies.NAME: directive_replies.on_answer,
}


# Steps whose typed answer is data (a percentage, a count, a date, a text): there a number
# typed on a channel without buttons is that data, never the numbered choice it resembles.
# A step that takes a file (evidence, a directive's attachment) takes no typed data, so a
# number typed there is the choice (Skip); a file's caption is never read as one.
TYPED_STEPS: dict[str, frozenset[str]] = {
    # At the optional questions (difficulty, proposal, evidence) a number typed is the
    # choice shown (1: Skip); "0", like "Không", means none (`reports.means_none`).
    report.NAME: frozenset({"progress", "done_text"}),
    blockers_.NAME: frozenset({"note"}),
    proposals_.NAME: frozenset({"answer"}),
    indicators_.NAME: frozenset({"num", "den", "count", "reason"}),
    # A directive's text is words: a bare number at that step is the recent directive
    # listed under the question (/chidao's status choices), not the directive.
    directive_.NAME: frozenset({"deadline"}),
    review_.NAME: frozenset({"reason"}),
    extension.NAME: frozenset({"date", "reason", "refuse_reason"}),
    assign.NAME: frozenset({"title", "deadline", "deliverable"}),
    directive_replies.NAME: frozenset({"text"}),
}


def takes_typed_answer(conversation: Conversation | None) -> bool:
    """Whether the conversation's current step reads typed data."""
    if conversation is None or conversation.flow is None:
        return False
    return conversation.step in TYPED_STEPS.get(conversation.flow, frozenset())


async def route(turn: Exchange) -> None:
    """Send the action to the one handler that owns it; only /start sees strangers."""
    command = turn.inbound.command
    # 1. /start works for strangers: it is how a person becomes known.
    if command and command[0] == "start":
        await start.handle(turn, command[1])
        return
    # 2. So does a code typed on its own (Zalo has no deep links); anyone else not bound
    #    to an official gets a polite refusal and nothing more.
    code = None if isinstance(turn, Turn) else start.bare_code(turn.inbound.text)
    if code is not None:
        await start.handle(turn, code)
        return
    if not isinstance(turn, Turn):
        if turn.inbound.is_button:
            turn.button_notice = turn.t._("You are not registered.")
        start.refuse_stranger(turn)
        return
    # From here on `turn` is a Turn: every handler below has the sender's identity.
    # 3. Commands: /baocao starts a fresh report, /huy drops the draft, the others keep it.
    if command:
        handler = COMMANDS.get(command[0])
        if handler is None:
            turn.say(turn.t._("Unknown command. Send /trogiup to see what you can do."))
            return
        await handler(turn, command[1])
        return
    # 4. A button goes to the flow named in its payload; forged payloads stop here.
    if turn.inbound.is_button:
        payload = decode(turn.inbound.payload)
        flow = BUTTON_FLOWS.get(payload.flow) if payload else None
        if payload is None or flow is None:
            turn.refuse_button("malformed payload")
            return
        await flow(turn, payload)
        return
    # 5. Anything else answers the current step, if a flow is waiting for one.
    answer = ANSWER_FLOWS.get(turn.conversation.flow or "")
    if answer is None:
        turn.say(turn.t._("I did not understand that. Send /trogiup to see what you can do."))
        return
    await answer(turn)
