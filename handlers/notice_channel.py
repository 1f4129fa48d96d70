"""/kenh (/channel): which of one's accounts reminders, alerts and digests go to.

Replies always go to the account that wrote. Notices go to one account: the channel
chosen here, or by default the account used last. The buttons are stateless and are
checked again on every press: a channel the official holds no account on is refused.
"""

from __future__ import annotations

from bot.i18n import Translator
from bot.messages.payloads import STATELESS, Flow, Payload
from bot.services.people import reach
from handlers.turn import Turn

FLOW = Flow.CHANNEL
LAST_USED = "last"


def channel_name(t: Translator, channel: str) -> str:
    """A channel as people call it."""
    names = {
        "telegram": t._("Telegram"),
        "zalo_bot": t._("Zalo"),
        "zalo_oa": t._("Zalo (Official Account)"),
        "console": t._("the console"),
    }
    return names.get(channel, channel)


async def show(turn: Turn, _argument: str = "") -> None:
    """Where notices go now, with a button per channel held and one for the last used."""
    t, official = turn.t, turn.identity.official
    held = await reach.accounts_held(turn.session, official.id)
    found = await reach.notice_accounts(turn.session, [official.id], turn.now)
    current = found[0].account if found else None
    lines = [
        t._(
            "Reminders, overdue alerts, weekly digests and directives go to: {channel}.",
            channel=channel_name(t, current.channel) if current else t._("no reachable account"),
        ),
        t._("Replies always go to the account you write from."),
    ]
    channels = sorted({a.channel for a in held})
    if len(channels) < 2:
        lines.append(
            t._(
                "You have one account only. To receive notices on another app as well, ask "
                "the system administrator for a new invitation code and send it there."
            )
        )
        turn.show("\n".join(lines))
        return
    lines.append(t._("Choose where notices should go:"))
    buttons = [
        Payload(FLOW, STATELESS, "set", channel).choice(channel_name(t, channel))
        for channel in channels
    ]
    buttons.append(Payload(FLOW, STATELESS, "set", LAST_USED).choice(t._("The account used last")))
    turn.show("\n".join(lines), tuple((button,) for button in buttons))


async def on_button(turn: Turn, payload: Payload) -> None:
    """Store the choice; a channel without an account of theirs is refused."""
    t = turn.t
    if payload.action != "set" or payload.argument is None:
        turn.refuse_button("unknown channel button")
        return
    channel = None if payload.argument == LAST_USED else payload.argument
    if not await reach.choose_channel(turn.session, turn.identity, channel, turn.now):
        turn.refuse_button(
            f"no account on {payload.argument!r}",
            t._("You have no account on that channel."),
        )
        return
    if channel is None:
        turn.show(t._("Done: notices now go to the account you used last."))
    else:
        turn.show(t._("Done: notices now go to {channel}.", channel=channel_name(t, channel)))
