"""Where an inbound action goes. The order of the checks below is the access policy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers import extension, report, start, tasks
from handlers import help as help_
from handlers.payloads import decode
from handlers.turn import Turn

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
}

# Button payloads name their flow; each flow re-checks the payload against its own state.
BUTTON_FLOWS = {
    tasks.FLOW: tasks.on_button,
    report.FLOW: report.on_button,
    extension.FLOW: extension.on_button,
}

# Flows that take typed answers, by the name stored in the conversation.
ANSWER_FLOWS = {
    report.NAME: report.on_answer,
}


async def route(turn: Turn) -> None:
    """Send the action to the one handler that owns it."""
    command = turn.inbound.command
    # 1. /start works for strangers: it is how a person becomes known.
    if command and command[0] == "start":
        await start.handle(turn, command[1])
        return
    # 2. Anyone else not bound to an official gets a polite refusal and nothing more.
    if turn.identity is None:
        if turn.inbound.is_button:
            turn.button_notice = turn.t._("You are not registered.")
        start.refuse_stranger(turn)
        return
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
    conversation = turn.conversation
    answer = ANSWER_FLOWS.get(conversation.flow or "") if conversation else None
    if answer is None:
        turn.say(turn.t._("I did not understand that. Send /trogiup to see what you can do."))
        return
    await answer(turn)
