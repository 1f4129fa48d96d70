"""GET /files/{id}/{expires}/{signature}: a stored file, to whoever holds a signed link.

Invariants: the signature is checked (in constant time) before the database is asked; a
bad signature, an expired link and an unknown or purged file all get the same bare 404,
so an answer reveals nothing; a file is served with its type, its name (RFC 5987 for
Vietnamese names) and `nosniff`, never as a page a browser would run.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.services import files
from db.engine import Database

log = logging.getLogger(__name__)
MAX_ID_DIGITS = 12
MAX_EXPIRES_DIGITS = 12
MAX_SIGNATURE = 64


def file_routes(db: Database, key: bytes, clock: Callable[[], datetime]) -> list[Route]:
    """The one route that serves stored files by signed link."""
    return [
        Route(
            files.PATH + "/{file_id}/{expires}/{signed}",
            _endpoint(db, key, clock),
            methods=["GET"],
        )
    ]


def content_disposition(kind: str, name: str) -> str:
    """Inline for a picture, attachment for a document; an ASCII name and the UTF-8 one."""
    disposition = "inline" if kind == "photo" else "attachment"
    fallback = ascii_name(name)
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def ascii_name(name: str) -> str:
    """The name without diacritics ("Báo cáo tuần" → "Bao cao tuan"), for old clients."""
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    kept = (c for c in plain if not unicodedata.combining(c))
    return "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in kept)


def _endpoint(db: Database, key: bytes, clock: Callable[[], datetime]) -> Callable[[Request], Any]:
    async def serve(request: Request) -> Response:
        """The file, or a 404 that does not say why."""
        params = request.path_params
        file_id, expires, signed = params["file_id"], params["expires"], params["signed"]
        if not _well_formed(file_id, expires, signed):
            return _not_found()
        now = clock()
        if not files.verify(key, int(file_id), int(expires), signed, now):
            log.info("file link refused: bad signature or expired")
            return _not_found()
        async with db.read() as session:
            stored = await files.fetch(session, int(file_id), now)
        if stored is None:
            return _not_found()
        headers = {
            "Content-Disposition": content_disposition(stored.kind, stored.name),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, max-age=3600",
            "Referrer-Policy": "no-referrer",
        }
        return Response(stored.data, media_type=stored.content_type, headers=headers)

    return serve


def _well_formed(file_id: str, expires: str, signed: str) -> bool:
    """Digits where digits belong, and a signature of a sane length."""
    return (
        file_id.isdecimal()
        and file_id.isascii()
        and len(file_id) <= MAX_ID_DIGITS
        and expires.isdecimal()
        and expires.isascii()
        and len(expires) <= MAX_EXPIRES_DIGITS
        and 0 < len(signed) <= MAX_SIGNATURE
    )


def _not_found() -> Response:
    """The same answer for every refusal."""
    return PlainTextResponse("not found", status_code=404, headers={"Cache-Control": "no-store"})
