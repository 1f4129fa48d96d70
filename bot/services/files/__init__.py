"""Files roviec keeps and serves itself: stored once, linked by signed expiring URLs."""

from __future__ import annotations

from bot.services.files.links import PATH, signature, signing_key, verify
from bot.services.files.publishing import Publisher
from bot.services.files.storage import FileInfo, content_type_of, fetch, kind_of, purge, store

__all__ = [
    "PATH",
    "FileInfo",
    "Publisher",
    "content_type_of",
    "fetch",
    "kind_of",
    "purge",
    "signature",
    "signing_key",
    "store",
    "verify",
]
