"""uvicorn serving roviec's Starlette app inside the bot's own event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    """uvicorn without its signal handlers: roviec's own stop event ends the server."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Leave SIGTERM and SIGINT to the process (see bot.app.stop_on_signals)."""
        yield


class WebServer:
    """The web server on its listening socket; `port` is known once it is bound."""

    def __init__(self, routes: list[BaseRoute], host: str, port: int) -> None:
        self.app = Starlette(routes=routes)
        self._socket = socket.create_server((host, port), family=_family(host), reuse_port=False)
        # asyncio sets TCP_NODELAY only on sockets made with proto IPPROTO_TCP, and this one
        # has proto 0: without it every answer after the first on a kept-alive connection
        # waits for the client's delayed ACK (about 40 ms). Accepted sockets inherit it.
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="off")
        self._server = _Server(config)

    async def serve(self, stop: asyncio.Event) -> None:
        """Serve until `stop` is set, then finish the requests under way."""
        serving = asyncio.create_task(self._server.serve(sockets=[self._socket]))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait([serving, stopping], return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        self._server.should_exit = True
        try:
            await serving
        finally:
            self._socket.close()

    def close(self) -> None:
        """Release the socket if the server never started."""
        self._socket.close()


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET
