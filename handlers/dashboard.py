"""/web (/dashboard): a one-time link to the dashboard in the browser; it renews a session."""

from __future__ import annotations

from datetime import timedelta

from bot.services.dashboard.access import may_open
from bot.services.signin import LINK_TTL, issue_link
from handlers.turn import Turn

SIGN_IN_PATH = "/web/signin/"


async def handle(turn: Turn, _argument: str) -> None:
    """Check the role and the server, issue a link, send it with what it is for."""
    t = turn.t
    official = turn.identity.official
    if not may_open(official.role):
        turn.refuse_role(
            "dashboard.refused",
            "command",
            t._(
                "The dashboard is for the standing office, the provincial leaders and the "
                "heads of units. Send /nhiemvu to see your unit's tasks."
            ),
        )
        return
    public_url = turn.settings.public_url
    if public_url is None:
        turn.say(t._("The dashboard is not available: this server has no public address."))
        return
    hours = turn.settings.dashboard_session_hours
    token = await issue_link(turn.session, official.id, turn.now, timedelta(hours=hours))
    link = f"{public_url}{SIGN_IN_PATH}{token}"
    turn.say(
        t._(
            "Open the dashboard: {link}\n\nThe link works once, within {minutes} minutes, "
            "and only for you: do not forward it. You stay signed in for {hours} hours; "
            "send /web again for a new link.",
            link=link,
            minutes=int(LINK_TTL.total_seconds() // 60),
            hours=hours,
        )
    )
