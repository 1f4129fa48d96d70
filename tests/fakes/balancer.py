"""A reverse proxy that spreads webhook calls over a deployment's instances, as the load
balancer in front of several `roviec run` does.

Each POST goes to the next instance in turn, headers and body unchanged, and its answer
comes back as it is; an instance that does not answer gives 502 (the platform then sends
the update again, and the next try goes to another instance). `answered` records which
instance answered each call and with what status.
"""

from __future__ import annotations

import itertools
import socket

import aiohttp
from aiohttp import web

FORWARDED_HEADERS = ("Content-Type", "X-Telegram-Bot-Api-Secret-Token")


class Balancer:
    """Round robin over `backends` (base URLs such as http://127.0.0.1:8081)."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self.answered: list[tuple[int, int]] = []  # (backend index, HTTP status) per call
        self._turns = itertools.cycle(range(len(backends)))
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self._port: int | None = None

    @property
    def url(self) -> str:
        """Where the platform is told to send its calls."""
        assert self._port is not None, "Balancer.start() has not been awaited"
        return f"http://127.0.0.1:{self._port}"

    def taken_by(self, backend: int) -> int:
        """How many calls this instance answered 200."""
        return sum(1 for index, status in self.answered if (index, status) == (backend, 200))

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port."""
        app = web.Application()
        app.router.add_route("POST", "/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self._port = sock.getsockname()[1]
        self._http = aiohttp.ClientSession()

    async def stop(self) -> None:
        """Stop listening."""
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.Response:
        """Pass one call to the next instance and its answer back."""
        assert self._http is not None
        backend = next(self._turns)
        headers = {k: request.headers[k] for k in FORWARDED_HEADERS if k in request.headers}
        body = await request.read()
        try:
            async with self._http.post(
                self.backends[backend] + request.path, data=body, headers=headers
            ) as answer:
                status, text = answer.status, await answer.text()
        except aiohttp.ClientError:
            status, text = 502, "bad gateway"
        self.answered.append((backend, status))
        return web.Response(status=status, text=text)
