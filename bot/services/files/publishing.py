"""Publishing: bytes roviec made (a chart, an export) stored and handed out as a signed link."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.services.files import links, storage
from db.engine import Database

log = logging.getLogger(__name__)


class Publisher:
    """Stores a file and returns the signed URL Zalo fetches it from (a channel's `publish`).

    What is published expires after `days`: the link and, at the next purge, the bytes.
    """

    def __init__(
        self,
        db: Database,
        key: bytes,
        public_url: str,
        clock: Callable[[], datetime],
        days: int,
    ) -> None:
        self.db = db
        self.public_url = public_url
        self.clock = clock
        self.lifetime = timedelta(days=days)
        self._key = key

    def __repr__(self) -> str:
        """Never the key."""
        return f"Publisher(public_url={self.public_url!r})"

    async def publish(self, data: bytes, name: str) -> str:
        """Store the bytes (once per content) and return their link, valid for `days`."""
        now = self.clock()
        expires_at = now + self.lifetime
        async with self.db.transaction() as session:
            stored = await storage.store(session, data, name, now, expires_at)
        log.info("file %d (%s, %d bytes) published", stored.id, stored.kind, stored.size)
        return self.link(stored.id, expires_at)

    def link(self, file_id: int, expires_at: datetime) -> str:
        """The signed URL of a stored file, valid until `expires_at`."""
        return links.make_link(self.public_url, self._key, file_id, expires_at)
