"""Signing in to the dashboard from the bot: one-time links and the browser sessions they open.

No passwords: `/web` gives a link that works once, for ten minutes; opening it starts a
session whose id lives only in an HttpOnly cookie (the database keeps its SHA-256 hash).
Every request looks the session up again, so an official who is deactivated, signs out or
whose session expired is out at once.
"""

from __future__ import annotations

from bot.services.signin.links import (
    LINK_TTL,
    LinkRefused,
    Started,
    issue_link,
    link_role,
    redeem_link,
)
from bot.services.signin.sessions import Viewer, end_session, viewer_of

__all__ = [
    "LINK_TTL",
    "LinkRefused",
    "Started",
    "Viewer",
    "end_session",
    "issue_link",
    "link_role",
    "redeem_link",
    "viewer_of",
]
