"""What the two fake Zalo servers share: serving on 127.0.0.1, fetching URLs, waiting.

Both fakes are aiohttp servers on a free loopback port, as the fake Telegram is. Zalo fetches
pictures from URLs itself, and pushes webhooks; the fakes do both over real HTTP too.
"""

from __future__ import annotations

import asyncio
import inspect
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

JsonDict = dict[str, Any]
FETCH_TIMEOUT = 5.0


@dataclass
class Post:
    """One POST a fake made to a webhook: what it sent and what it got back."""

    url: str
    body: bytes
    headers: dict[str, str]
    status: int | None  # None: no answer (refused, timed out)
    attempt: int = 1
    extra: JsonDict = field(default_factory=dict)
    seconds: float | None = None  # how long the POST took to be answered


class FetchFailed(Exception):
    """A URL the fake was told to fetch did not answer 200."""


class LoopbackServer:
    """An aiohttp app on 127.0.0.1:<free port> with an HTTP client for outbound calls."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._session: aiohttp.ClientSession | None = None

    def routes(self, app: web.Application) -> None:
        """Add the fake's routes (subclasses)."""
        raise NotImplementedError

    async def start(self) -> None:
        """Serve on a free loopback port."""
        app = web.Application(client_max_size=16 * 1024 * 1024)
        self.routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self._port = sock.getsockname()[1]
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=FETCH_TIMEOUT))

    async def stop(self) -> None:
        """Close the outbound client and the server."""
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Any:
        """Start on entering ``async with``."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop on leaving ``async with``."""
        await self.stop()

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:<port>, what a client takes as its base URL."""
        assert self._port is not None, "the fake server has not been started"
        return f"http://127.0.0.1:{self._port}"

    async def fetch(self, url: str) -> tuple[bytes, str]:
        """GET a URL as Zalo would (bytes, content type); FetchFailed unless it answers 200."""
        assert self._session is not None, "the fake server has not been started"
        try:
            async with self._session.get(url) as response:
                if response.status != 200:
                    raise FetchFailed(f"{url} answered {response.status}")
                return await response.read(), response.content_type
        except (aiohttp.ClientError, TimeoutError) as error:
            raise FetchFailed(f"{url}: {type(error).__name__}") from None

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int | None:
        """POST raw JSON bytes to a webhook; its status, or None when nothing answered."""
        assert self._session is not None, "the fake server has not been started"
        sent = {"Content-Type": "application/json", **headers}
        try:
            async with self._session.post(url, data=body, headers=sent) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError):
            return None

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Poll `predicate` until true; AssertionError naming it on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            if loop.time() >= deadline:
                try:
                    condition = inspect.getsource(predicate).strip()
                except (OSError, TypeError):
                    condition = repr(predicate)
                raise AssertionError(f"still false after {timeout}s: {condition}")
            await asyncio.sleep(0.01)


def utf16_length(text: str) -> int:
    """Length in UTF-16 units, the strictest way Zalo may count its 2000 characters."""
    return len(text.encode("utf-16-le")) // 2


class FileHost(LoopbackServer):
    """Stands in for roviec's file URLs: :meth:`publish` serves bytes at a fresh URL."""

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, tuple[bytes, str]] = {}
        self.downloads: list[str] = []

    def routes(self, app: web.Application) -> None:
        """GET /files/<name>."""
        app.router.add_get("/files/{name}", self._get)

    async def publish(self, data: bytes, name: str) -> str:
        """Serve `data` and return its URL (the shape of channel's `publish`)."""
        key = f"{len(self.files) + 1}-{name}"
        kind = "image/png" if name.endswith(".png") else "application/octet-stream"
        self.files[key] = (data, kind)
        return f"{self.base_url}/files/{key}"

    def missing(self, name: str = "gone.png") -> str:
        """A URL on this host that answers 404."""
        return f"{self.base_url}/files/{name}"

    async def _get(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.downloads.append(name)
        if name not in self.files:
            return web.Response(status=404)
        data, kind = self.files[name]
        return web.Response(body=data, content_type=kind)


class Receiver(LoopbackServer):
    """A webhook endpoint for tests: `answer(raw body, headers)` decides the status."""

    def __init__(self, answer: Callable[[bytes, Mapping[str, str]], int]) -> None:
        super().__init__()
        self.answer = answer
        self.received: list[tuple[int, bytes, dict[str, str]]] = []

    def routes(self, app: web.Application) -> None:
        """POST /hook."""
        app.router.add_post("/hook", self._hook)

    @property
    def url(self) -> str:
        """The webhook URL to register."""
        return f"{self.base_url}/hook"

    @property
    def accepted(self) -> list[bytes]:
        """The bodies answered 200."""
        return [body for status, body, _ in self.received if status == 200]

    async def _hook(self, request: web.Request) -> web.Response:
        body = await request.read()
        status = self.answer(body, request.headers)
        self.received.append((status, body, dict(request.headers)))
        return web.Response(status=status)
