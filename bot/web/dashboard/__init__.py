"""The read-only dashboard for the standing office, leaders and heads, served under /web.

Opened with a one-time link from the bot (`/web`); pages are rendered on the server from
the same services as the digest, /xephang and the export (`bot.services.dashboard`).
"""

from __future__ import annotations

from bot.web.dashboard.routes import dashboard_routes

__all__ = ["dashboard_routes"]
