"""Random tokens for links and sessions, kept in the database only as their SHA-256 hash."""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 32  # 256 bits
# What secrets.token_urlsafe(TOKEN_BYTES) looks like: 43 URL-safe characters.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def new_token() -> str:
    """A fresh random token for a URL or a cookie."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(text: str) -> bool:
    """Whether a string has the shape of a token (anything else is not looked up)."""
    return _TOKEN.fullmatch(text) is not None
