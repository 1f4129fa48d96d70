"""The dashboard's shared machinery: who is asking, today's date, refusals and the routes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeVar
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from bot.config import Settings
from bot.services.dashboard import access
from bot.services.dashboard.province import ProvincePage, province_page
from bot.services.dashboard.units import UnitRows, unit_rows
from bot.services.figures import UnitScore, rank_units
from bot.services.files import Publisher
from bot.services.signin import Viewer, viewer_of
from bot.web.dashboard.rendering import Renderer
from bot.web.dashboard.snapshots import Snapshots
from db.engine import Database

T = TypeVar("T")

COOKIE = "roviec_session"
BASE = "/web"
FetchFile = Callable[[str, str], Awaitable[bytes | None]]
"""The bytes of a file a person sent, by channel and the channel's file reference (or None)."""


async def no_files(channel: str, file_id: str) -> bytes | None:
    """Without a way to fetch files, evidence is not shown (it stays in the chat)."""
    return None


@dataclass
class Site:
    """What every dashboard page needs: the database, the settings, the clock, the renderer,
    a way to fetch evidence files and the publisher of signed file links (None without a
    public URL)."""

    db: Database
    settings: Settings
    clock: Callable[[], datetime]
    renderer: Renderer
    fetch_file: FetchFile = no_files
    publisher: Publisher | None = None
    snapshots: Snapshots = field(init=False)

    def __post_init__(self) -> None:
        self.snapshots = Snapshots(self.clock, self.settings.dashboard_figures_seconds)

    @property
    def session_ttl(self) -> timedelta:
        """How long a session lasts (a working day by default)."""
        return timedelta(hours=self.settings.dashboard_session_hours)

    @property
    def secure_cookie(self) -> bool:
        """Cookies are Secure when the dashboard is served over https."""
        return (self.settings.public_url or "").startswith("https://")

    async def _count_province(self, today: date) -> ProvincePage:
        """Count the province page anew."""
        return await self._with_ranking(
            today, lambda session, ranking: province_page(session, today, self.settings, ranking)
        )

    async def _count_units(self, today: date) -> UnitRows:
        """Count every unit anew."""
        return await self._with_ranking(
            today, lambda session, ranking: unit_rows(session, today, self.settings, ranking)
        )

    async def _with_ranking(
        self,
        today: date,
        count: Callable[[AsyncSession, Awaitable[list[UnitScore]]], Awaitable[T]],
    ) -> T:
        """`count` on one read connection while the ranking is counted on a second: the two
        scans of every assignment then run side by side (on SQLite in two driver threads),
        which halves the first reader's wait at national size."""
        ranking = asyncio.ensure_future(self._rank(today))
        try:
            async with self.db.read() as session:
                return await count(session, ranking)
        finally:
            ranking.cancel()  # only if `count` failed before it awaited the ranking

    async def _rank(self, today: date) -> list[UnitScore]:
        """The ranking of every unit, counted on a read connection of its own."""
        async with self.db.read() as session:
            return await rank_units(session, today, self.settings)

    async def province(self, today: date) -> tuple[ProvincePage, datetime]:
        """The province page's figures as of `today` and when they were counted."""
        return await self.snapshots.get(f"province:{today}", lambda: self._count_province(today))

    async def units(self, today: date) -> tuple[UnitRows, datetime]:
        """Every unit's figures and score as of `today` and when they were counted."""
        return await self.snapshots.get(f"units:{today}", lambda: self._count_units(today))

    def warm_province(self, today: date) -> None:
        """Start counting the province page's figures in the background (a reader is coming)."""
        self.snapshots.warm(f"province:{today}", lambda: self._count_province(today))

    def warm_units(self, today: date) -> None:
        """Start counting the units table's figures in the background (after the province's,
        so that the two never compete for the processor)."""
        self.snapshots.warm(f"units:{today}", lambda: self._count_units(today))

    def today(self, now: datetime) -> date:
        """The province's calendar day at `now`."""
        return now.astimezone(self.settings.zone).date()

    def same_origin(self, request: Request) -> bool:
        """Whether a form was posted from the dashboard itself (no Origin header: allowed)."""
        origin = request.headers.get("origin")
        if origin is None or self.settings.public_url is None:
            return True
        ours = urlsplit(self.settings.public_url)
        return origin == f"{ours.scheme}://{ours.netloc}"

    async def viewer(self, request: Request, now: datetime) -> Viewer | None:
        """The official this browser is signed in as, checked again on every request."""
        async with self.db.read() as session:
            return await viewer_of(session, request.cookies.get(COOKIE), now)

    def signed_out(self) -> Response:
        """The answer to a page asked for without a session: how to get a link."""
        return self.renderer.page("signed_out.html", None, status_code=401)

    async def refused(self, viewer: Viewer, now: datetime, what: str) -> Response:
        """A page outside the viewer's scope: audited, and a plain refusal."""
        async with self.db.transaction() as session:
            access.refuse(session, viewer, now, what)
        return self.renderer.refusal(viewer)

    def not_found(self, viewer: Viewer | None) -> Response:
        """A page for something that does not exist."""
        return self.renderer.page("not_found.html", viewer, status_code=404)
