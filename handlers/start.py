"""/start <code>: a person becomes known by redeeming a one-time invitation."""

from __future__ import annotations

from datetime import timedelta

from bot.services.people import accounts
from bot.services.people.accounts import Redemption
from bot.services.people.identity import Identity
from handlers.help import role_name
from handlers.turn import Exchange, Turn


def refuse_stranger(turn: Exchange) -> None:
    """The one answer a person who is not registered ever gets."""
    turn.say(
        turn.t._(
            "Hello. You are not registered to use this bot. Please contact the standing "
            "office of the Đề án 06 working group to receive an invitation code."
        )
    )


def bare_code(text: str | None) -> str | None:
    """An invitation code typed on its own (no deep links on Zalo), else None."""
    if text is None or not accounts.looks_like_code(text):
        return None
    return text.strip()


async def handle(turn: Exchange, code: str) -> None:
    """Bind the chat account to the invited official, or explain why not."""
    if isinstance(turn, Turn) and not code:
        turn.say(greeting(turn, turn.identity))
        return
    if not code:
        refuse_stranger(turn)
        return
    settings = turn.settings
    outcome, identity = await accounts.redeem_invitation(
        turn.session,
        channel=turn.inbound.channel,
        user_key=turn.inbound.user_key,
        chat_key=turn.inbound.chat_key,
        code=code,
        now=turn.now,
        max_failures=settings.invite_max_failures,
        lockout=timedelta(minutes=settings.invite_lockout_minutes),
        language=turn.inbound.language,
    )
    # Both kinds of success come with the identity; the None checks are for mypy.
    if outcome is Redemption.BOUND and identity is not None:
        turn.say(greeting(turn, identity))
    elif outcome is Redemption.ALREADY_BOUND and identity is not None:
        turn.say(
            turn.t._("This account is already registered.") + "\n\n" + greeting(turn, identity)
        )
    elif outcome is Redemption.LOCKED_OUT:
        turn.say(
            turn.t._(
                "Too many wrong codes from this account. Please wait {minutes} minutes, "
                "then try again, or ask the standing office for a new code.",
                minutes=settings.invite_lockout_minutes,
            )
        )
    else:
        turn.say(
            turn.t._(
                "This invitation code is not valid: it may be mistyped, already used or "
                "expired. Please ask the standing office for a new code."
            )
        )


def greeting(turn: Exchange, identity: Identity) -> str:
    """Welcome a known official by name, role and unit."""
    official, unit = identity.official, identity.unit
    return turn.t._(
        "Welcome, {name} ({role}, {unit}).\n"
        "Send /nhiemvu to see your unit's tasks, /baocao to report progress, "
        "/trogiup for help.",
        name=official.name,
        role=role_name(turn.t, official.role),
        unit=unit.name,
    )
