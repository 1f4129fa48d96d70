"""Files by link, composed for one process: the publisher the Zalo channels are given, the
route that serves its links, and what a person is told when a file cannot go by link.

Zalo fetches every picture and document by URL, so files need ROVIEC_PUBLIC_URL: without
it there is no publisher, and a Zalo channel sends the text with the `unsendable` notice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from starlette.routing import BaseRoute

from bot.config import Settings
from bot.i18n import Translator
from bot.services import files
from bot.services.files import Publisher
from bot.web import file_routes
from db.engine import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileLinks:
    """The publisher (None without a public URL), its route, and the notice for the rest."""

    publisher: Publisher | None
    unsendable: str
    routes: list[BaseRoute] = field(default_factory=list)

    @property
    def publish(self) -> Callable[[bytes, str], Awaitable[str]] | None:
        """What a Zalo channel calls to turn bytes into a URL it can send."""
        return self.publisher.publish if self.publisher is not None else None


async def open_file_links(
    settings: Settings, db: Database, clock: Callable[[], datetime]
) -> FileLinks:
    """Signed file links under the public URL, with the key every instance shares."""
    notice = unsendable_notice(settings)
    if settings.public_url is None:
        if settings.zalo_bot_token is not None:
            log.warning("no ROVIEC_PUBLIC_URL: charts and exports cannot be sent on Zalo")
        return FileLinks(None, notice)
    async with db.transaction() as session:
        key = await files.load_signing_key(session, settings.file_secret, clock())
    publisher = Publisher(db, key, settings.public_url, clock, settings.file_link_days)
    return FileLinks(publisher, notice, list(file_routes(db, key, clock)))


def unsendable_notice(settings: Settings) -> str:
    """What replaces a file a channel cannot send, in the deployment's language."""
    t = Translator(settings.locale, settings.zone)
    return t._(
        "📎 The attached file cannot be sent on Zalo. Please receive it on Telegram or ask "
        "the standing office for it."
    )
