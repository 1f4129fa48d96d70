"""Where an inbound action goes. The order of the checks below is the access policy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.messages.payloads import decode
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


# Vietnamese command first, English alias second; both are registered with setMyCommands.
COMMANDS: dict[str, Command] = {
    "nhiemvu": _tasks,
    "tasks": _tasks,
    "baocao": report.begin,
    "report": report.begin,
    "trogiup": _help,
    "help": _help,
    "huy": _cancel,
    "cancel": _cancel,
    "vuongmac": blockers_.begin,
    "blockers": blockers_.begin,
    "kiennghi": proposals_.begin,
    "proposals": proposals_.begin,
    "chitieu": indicators_.begin,
    "indicators": indicators_.begin,
    "xephang": ranking_.show,
    "ranking": ranking_.show,
    "chidao": directive_.begin,
    "directive": directive_.begin,
    "xacnhan": review_.begin,
    "review": review_.begin,
    "giahan": extension.begin,
    "extend": extension.begin,
    "xetgiahan": extension.begin_queue,
    "extensions": extension.begin_queue,
    "giaoviec": assign.begin,
    "assign": assign.begin,
    "xuatbaocao": export_.handle,
    "export": export_.handle,
    "web": dashboard.handle,
    "dashboard": dashboard.handle,
    "kenh": notice_channel.show,
    "channel": notice_channel.show,
    "tonghop": summary_.show,
    "summary": summary_.show,
    "quahan": overdue_.show,
    "overdue": overdue_.show,
    "ngonngu": language.show,
    "language": language.show,
    "canbo": staff.show,
    "staff": staff.show,
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
    directive_.NAME: frozenset({"text", "deadline"}),
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
