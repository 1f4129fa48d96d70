"""The dashboard's routes under /web, each page a function of the `Site` and the request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from bot.config import Settings
from bot.services.files import Publisher
from bot.web.dashboard import (
    assignment_view,
    directives_view,
    province_view,
    signing,
    units_view,
)
from bot.web.dashboard.rendering import STATIC, Renderer
from bot.web.dashboard.security import SecurityHeaders
from bot.web.dashboard.site import BASE, FetchFile, Site, no_files
from db.engine import Database

Page = Callable[[Site, Request], Awaitable[Response]]


def _bind(site: Site, page: Page) -> Callable[[Request], Awaitable[Response]]:
    """A Starlette endpoint calling `page` with the site."""

    async def endpoint(request: Request) -> Response:
        """Serve the page."""
        return await page(site, request)

    endpoint.__name__ = page.__name__
    return endpoint


def _stylesheet() -> Callable[[Request], Awaitable[Response]]:
    """The one stylesheet, read when the routes are built."""
    css = (STATIC / "dashboard.css").read_bytes()

    async def stylesheet(request: Request) -> Response:
        """Serve the stylesheet."""
        return Response(css, media_type="text/css", headers={"cache-control": "max-age=3600"})

    return stylesheet


def dashboard_routes(
    db: Database,
    settings: Settings,
    clock: Callable[[], datetime],
    fetch_file: FetchFile = no_files,
    publisher: Publisher | None = None,
) -> BaseRoute:
    """Every dashboard page under /web, with the security headers on each response; evidence
    goes by the publisher's signed links when there is one."""
    site = Site(db, settings, clock, Renderer(settings), fetch_file, publisher)
    pages: list[tuple[str, Page, list[str]]] = [
        ("/", signing.home, ["GET"]),
        ("/signin/{token}", signing.sign_in_form, ["GET"]),
        ("/signin/{token}", signing.sign_in, ["POST"]),
        ("/signout", signing.sign_out, ["POST"]),
        ("/province", province_view.province, ["GET"]),
        ("/units", units_view.units, ["GET"]),
        ("/units/{unit_id:int}", units_view.unit, ["GET"]),
        ("/assignments/{assignment_id:int}", assignment_view.assignment, ["GET"]),
        ("/evidence/{report_id:int}", assignment_view.evidence, ["GET"]),
        ("/directives", directives_view.directives, ["GET"]),
        ("/directives/{directive_id:int}", directives_view.directive, ["GET"]),
        ("/replies/{reply_id:int}/file", directives_view.reply_attachment, ["GET"]),
        ("/export", directives_view.workbook, ["GET"]),
    ]
    routes: list[BaseRoute] = [
        Route(path, _bind(site, page), methods=methods) for path, page, methods in pages
    ]
    routes.append(Route("/static/dashboard.css", _stylesheet(), methods=["GET"]))
    return Mount(BASE, app=SecurityHeaders(Starlette(routes=routes)))
