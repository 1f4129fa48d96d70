"""The one web server: webhook intake, signed file links (later, the dashboard)."""

from __future__ import annotations

from bot.web.files import file_routes
from bot.web.intake import intake_routes
from bot.web.server import WebServer

__all__ = ["WebServer", "file_routes", "intake_routes"]
