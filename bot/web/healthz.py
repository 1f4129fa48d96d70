"""/healthz: the same figures as `roviec health`, as JSON, for a load balancer or a monitor."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.services.health import Health

log = logging.getLogger(__name__)
Check = Callable[[datetime], Awaitable[Health]]


def health_route(check: Check, clock: Callable[[], datetime]) -> Route:
    """GET /healthz: 200 when nothing is wrong, 503 with the problems otherwise."""

    async def healthz(request: Request) -> Response:
        try:
            health = await check(clock())
        except Exception as error:  # the database does not answer: that is the problem
            log.error("/healthz: the health check failed (%s)", type(error).__name__)
            problem = f"the database does not answer ({type(error).__name__})"
            return JSONResponse({"ok": False, "problems": [problem]}, status_code=503)
        return JSONResponse(health.to_json(), status_code=200 if health.ok else 503)

    return Route("/healthz", healthz, methods=["GET"])
