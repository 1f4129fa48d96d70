"""Evidence files on the dashboard: the one place that says where a report's file is linked,
and how its bytes are answered (photos shown, anything else downloaded).

The link is the dashboard's own `/web/evidence/<report>`, checked against the viewer's
session and scope on every request; its bytes come from `bot.services.files` when roviec
keeps the file (``stored:12``, Zalo's pictures) or from the channel that holds it
(Telegram's getFile), see `bot.app.App.fetch_file`. To hand out the signed `/files/…`
links of `bot.services.files` instead (say, to open evidence outside a session), change
`evidence_href` only.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import Response

from bot.web.dashboard.site import BASE

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
