"""The one web server: webhook intake for every platform, /healthz and the dashboard (/web)."""

from __future__ import annotations

from bot.web.intake import intake_routes
from bot.web.server import WebServer

__all__ = ["WebServer", "intake_routes"]
