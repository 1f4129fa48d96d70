"""The web server answers at once on a kept-alive connection, as platforms reuse them."""

from __future__ import annotations

import asyncio
import statistics
import time

import httpx
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.web import WebServer


async def _ok(request: Request) -> Response:
    await request.body()
    return PlainTextResponse("ok")


async def test_answers_on_one_kept_alive_connection_are_not_held_back() -> None:
    server = WebServer([Route("/hook", _ok, methods=["POST"])], "127.0.0.1", 0)
    stop = asyncio.Event()
    serving = asyncio.create_task(server.serve(stop))
    try:
        url = f"http://127.0.0.1:{server.port}/hook"
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=1)) as http:
            seconds = []
            for _ in range(11):
                started = time.perf_counter()
                answer = await http.post(url, content=b'{"update": 1}')
                seconds.append(time.perf_counter() - started)
                assert answer.status_code == 200
    finally:
        stop.set()
        await serving
    # Without TCP_NODELAY a small answer waits for the client's delayed ACK: about 40 ms
    # on Linux for every request after the first on the same connection.
    assert statistics.median(seconds[1:]) < 0.02, [round(s * 1000, 1) for s in seconds]
