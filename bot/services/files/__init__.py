"""Files roviec keeps and serves itself: stored once, linked by signed expiring URLs."""

from __future__ import annotations

from bot.services.files.keeping import Fetcher, is_stored, keep, make_reference, resolve, stored_id
from bot.services.files.links import PATH, load_signing_key, sign, verify
from bot.services.files.publishing import Publisher
from bot.services.files.storage import FileInfo, detect_content_type, fetch, kind_of, purge, store

__all__ = [
    "PATH",
    "Fetcher",
    "FileInfo",
    "Publisher",
    "detect_content_type",
    "fetch",
    "is_stored",
    "keep",
    "kind_of",
    "load_signing_key",
    "make_reference",
    "purge",
    "resolve",
    "sign",
    "store",
    "stored_id",
    "verify",
]
