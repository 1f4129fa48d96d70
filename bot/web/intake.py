"""Webhook intake: a platform's POST is checked, committed to the inbox, and only then 200.

Invariants:
- nothing is stored unless the request proves it comes from the platform (a secret header
  or a signature, compared in constant time by the channel's `verify`): otherwise 403;
- a body over the cap is refused (413) before it is read whole;
- 200 means the update is committed; a database failure answers 500, so the platform
  delivers it again, and the inbox's unique key makes that second delivery harmless.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.channels.webhook import Hook, HookRequest
from bot.services import inbox
from db.engine import Database

log = logging.getLogger(__name__)


class TooLarge(Exception):
    """The body is over the cap."""


def intake_routes(
    hooks: list[Hook],
    db: Database,
    clock: Callable[[], datetime],
    stored: Callable[[], None],
    *,
    max_bytes: int,
    answer_within: float,
) -> list[Route]:
    """One POST route per hook."""
    return [
        Route(
            hook.path,
            _endpoint(hook, db, clock, stored, max_bytes, answer_within),
            methods=["POST"],
        )
        for hook in hooks
    ]


def _endpoint(
    hook: Hook,
    db: Database,
    clock: Callable[[], datetime],
    stored: Callable[[], None],
    max_bytes: int,
    answer_within: float,
) -> Callable[[Request], Any]:
    async def take(request: Request) -> Response:
        """Check, commit, then answer."""
        try:
            body = await _read_capped(request, max_bytes)
        except TooLarge:
            return PlainTextResponse("too large", status_code=413)
        checked = HookRequest(request.headers, body)
        if not hook.verify(checked):
            if hook.is_probe is not None and hook.is_probe(checked):
                return PlainTextResponse("ok")  # the platform testing the URL: keep nothing
            log.warning("%s webhook: refused a call that did not prove its origin", hook.channel)
            return PlainTextResponse("forbidden", status_code=403)
        try:
            data = json.loads(body)
        except ValueError:
            return PlainTextResponse("not JSON", status_code=400)
        try:
            received = hook.receive(data) if isinstance(data, dict) else None
        except ValueError:
            return PlainTextResponse("malformed update", status_code=400)
        if received is None:  # a kind of event roviec does not handle: nothing to keep
            return PlainTextResponse("ignored")
        storing = asyncio.create_task(_store(db, hook.channel, received, clock()))
        pending.add(storing)
        storing.add_done_callback(_settle)
        # A platform wants its answer quickly (Zalo OA: 2 s). If the database is slower, the
        # answer is 500 and the platform retries; should the store still finish, the retry
        # is a duplicate that the inbox ignores.
        done, _ = await asyncio.wait({storing}, timeout=answer_within)
        failure = storing.exception() if done else None
        if not done or failure is not None:
            what = type(failure).__name__ if failure is not None else "timed out"
            log.error("%s webhook: could not store an update (%s)", hook.channel, what)
            return PlainTextResponse("try again", status_code=500)
        stored()
        return PlainTextResponse("ok")

    pending: set[asyncio.Task[None]] = set()

    def _settle(task: asyncio.Task[None]) -> None:
        """Forget a finished store; its failure, if any, was answered with 500 or is logged."""
        pending.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.debug("%s webhook: a late store failed", hook.channel)

    return take


async def _read_capped(request: Request, max_bytes: int) -> bytes:
    """The body, refused as soon as it passes `max_bytes`."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdecimal() and int(declared) > max_bytes:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def _store(db: Database, channel: str, received: inbox.Received, now: datetime) -> None:
    async with db.transaction(brief=True) as session:
        await inbox.store(session, channel, [received], now)
