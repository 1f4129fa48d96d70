"""The one web server: webhook intake for every platform (later, files and the dashboard)."""

from __future__ import annotations

from bot.web.intake import intake_routes
from bot.web.server import WebServer

__all__ = ["WebServer", "intake_routes"]
