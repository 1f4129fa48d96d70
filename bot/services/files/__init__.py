"""Files roviec keeps and serves itself: stored once, linked by signed expiring URLs."""

from __future__ import annotations

from bot.services.files.keeping import Fetcher, is_stored, keep, reference, resolve, stored_id
from bot.services.files.links import PATH, signature, signing_key, verify
from bot.services.files.publishing import Publisher
from bot.services.files.storage import FileInfo, content_type_of, fetch, kind_of, purge, store

__all__ = [
    "PATH",
    "Fetcher",
    "FileInfo",
    "Publisher",
    "content_type_of",
    "fetch",
    "is_stored",
    "keep",
    "kind_of",
    "purge",
    "reference",
    "resolve",
    "signature",
    "signing_key",
    "store",
    "stored_id",
    "verify",
]
