"""CPU per HTTP request of the Bot API client (httpx), with and without `sniffio`.

httpcore asks `import sniffio` on every request; when sniffio is not installed the import
fails anew each time and searches the whole path (a profile of bench_report put ~7 % of
all CPU there). roviec depends on sniffio for that reason. This benchmark measures the
difference in one run: two child processes post to a local aiohttp server, one as
installed, one with sniffio hidden (its import searches the path and fails, as when it is
not installed).

    .venv/bin/python -m tests.bench.bench_http_client --requests 3000
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.machinery
import subprocess
import sys
import time
from typing import Any

from aiohttp import web


class _Absent:
    """A finder that makes `sniffio` look not installed: the path is searched, then it fails."""

    @classmethod
    def find_spec(cls, name: str, path: Any = None, target: Any = None) -> None:
        """Search the path as for a missing module, then refuse."""
        if name == "sniffio":
            importlib.machinery.PathFinder.find_spec("sniffio_is_not_installed")
            raise ModuleNotFoundError("No module named 'sniffio'")


async def measure(requests: int) -> tuple[float, float]:
    """(CPU µs, wall µs) per POST through httpx to a local server."""
    import httpx

    app = web.Application()

    async def ok(request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "result": {}})

    app.router.add_post("/bot/sendMessage", ok)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}/bot/sendMessage"
    async with httpx.AsyncClient() as client:
        for _ in range(100):  # warm up
            await client.post(url, json={"chat_id": 1, "text": "x"})
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(requests):
            await client.post(url, json={"chat_id": 1, "text": "x"})
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    await runner.cleanup()
    return cpu / requests * 1e6, wall / requests * 1e6


def child(requests: int, hidden: bool) -> None:
    """One scenario: print its figures as one line."""
    if hidden:
        sys.modules.pop("sniffio", None)
        sys.meta_path.insert(0, _Absent)  # type: ignore[arg-type]
    cpu, wall = asyncio.run(measure(requests))
    print(f"{cpu:.0f} {wall:.0f}")


def main() -> int:
    """Run both scenarios, each in a fresh process, and compare."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--child", choices=["installed", "hidden"])
    args = parser.parse_args()
    if args.child:
        child(args.requests, args.child == "hidden")
        return 0
    print(f"command: python -m tests.bench.bench_http_client --requests {args.requests}")
    figures = {}
    for scenario in ("hidden", "installed"):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.bench.bench_http_client",
                "--child",
                scenario,
                "--requests",
                str(args.requests),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        figures[scenario] = (float(out[0]), float(out[1]))
        print(f"sniffio {scenario:9}  CPU {out[0]:>6} µs/request  wall {out[1]:>6} µs/request")
    ratio = figures["installed"][0] / figures["hidden"][0]
    print(f"installed/hidden CPU per request: ×{ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
