"""Signed, expiring links to stored files: any instance signs and checks them alike.

A link is ``{public_url}/files/{id}/{expires}/{signature}``: `expires` in Unix seconds, the
signature HMAC-SHA256 of ``"{id}.{expires}"`` under the deployment's file secret
(``ROVIEC_FILE_SECRET``, else one made once and kept in the database), base64url.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import channel_state

PATH = "/files"
SECRET_NAME = "files.signing"


async def load_signing_key(
    session: AsyncSession, configured: SecretStr | None, now: datetime
) -> bytes:
    """The key links are signed with: the configured secret, else the one in the database."""
    if configured is not None:
        return configured.get_secret_value().encode()
    return (await channel_state.shared_secret(session, SECRET_NAME, now)).encode()


def sign(key: bytes, file_id: int, expires: int) -> str:
    """The link's signature for this file and expiry."""
    mac = hmac.new(key, f"{file_id}.{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def make_link(public_url: str, key: bytes, file_id: int, expires_at: datetime) -> str:
    """The URL under which the file is served until `expires_at`."""
    expires = int(expires_at.timestamp())
    return f"{public_url}{PATH}/{file_id}/{expires}/{sign(key, file_id, expires)}"


def verify(key: bytes, file_id: int, expires: int, signed: str, now: datetime) -> bool:
    """Whether the signature is right (compared in constant time) and not yet expired."""
    expected = sign(key, file_id, expires).encode()
    if not hmac.compare_digest(expected, signed.encode("utf-8", "replace")):
        return False
    try:
        return now < datetime.fromtimestamp(expires, UTC)
    except (OverflowError, OSError, ValueError):  # a year past 9999: no such link was made
        return False
