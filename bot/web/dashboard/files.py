"""Evidence files on the dashboard: the one place that says where a report's file (or a
directive reply's) is linked, and how it is answered.

The link is the dashboard's own `/web/evidence/<report>`, checked against the viewer's
session and scope on every request. With a public URL (and so a file signing key), it
answers 303 to a signed `/files/…` link of `bot.services.files`, the same links the Zalo
channels send, valid `LINK_LIFETIME`; a file roviec does not hold yet (Telegram's file id)
is fetched once through the site's `fetch_file`, stored, and the report refers to the stored
copy from then on. Without a public URL the bytes are answered directly (photos shown,
anything else downloaded).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import RedirectResponse, Response

from bot.services.files import stored_id
from bot.services.signin import Viewer
from bot.web.dashboard.site import BASE, Site

LINK_LIFETIME = timedelta(minutes=10)
Keep = Callable[[AsyncSession, bytes], Awaitable[int]]
"""Store fetched bytes and refer the report (or reply) to them; the stored file's id."""

# The image types a browser may show inline, by their first bytes (the name is not trusted).
IMAGES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def evidence_href(report_id: int) -> str:
    """The URL of a report's evidence file."""
    return f"{BASE}/evidence/{report_id}"


def reply_href(reply_id: int) -> str:
    """The URL of the file attached to a directive's reply."""
    return f"{BASE}/replies/{reply_id}/file"


def image_type(data: bytes) -> str | None:
    """The image type the bytes start with, if they are a PNG, JPEG or GIF."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in IMAGES if data.startswith(magic)), None)


def file_response(data: bytes, kind: str, name: str | None) -> Response:
    """A photo inline as an image; a document (or an unrecognised photo) as a download."""
    shown = image_type(data) if kind == "photo" else None
    if shown is not None:
        return Response(data, media_type=shown, headers={"cache-control": "private, no-store"})
    filename = name or "evidence"
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"content-disposition": disposition, "cache-control": "private, no-store"},
    )


async def answer_file(
    site: Site,
    viewer: Viewer,
    now: datetime,
    file: tuple[str, str, str, str | None],
    keep: Keep,
) -> Response:
    """An authorised file, as (channel, reference, kind, name): a signed link to the stored
    copy (fetched and kept first if need be), or the bytes themselves without a publisher."""
    channel, reference, kind, name = file
    number = stored_id(reference)
    if site.publisher is None or number is None:
        data = await site.fetch_file(channel, reference)
        if data is None:
            return site.renderer.page("no_evidence.html", viewer, status_code=404, channel=channel)
        if site.publisher is None:
            return file_response(data, kind, name)
        async with site.db.transaction() as session:
            number = await keep(session, data)
    link = site.publisher.link(number, now + LINK_LIFETIME)
    return RedirectResponse(link, status_code=303, headers={"cache-control": "no-store"})
