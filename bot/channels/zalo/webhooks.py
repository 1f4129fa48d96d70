"""Checking that a webhook POST really comes from Zalo, in constant time.

Zalo Bot: the secret given to setWebhook comes back in ``X-Bot-Api-Secret-Token``.
Zalo OA: ``X-ZEvent-Signature`` is the hex SHA-256 of the app id, the raw body, the
timestamp and the OA secret key, concatenated. Sources disagree on that order, so it lives
in one function, :func:`join_signed_fields`: change it there and everything follows.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
from collections.abc import Mapping

BOT_SECRET_HEADER = "X-Bot-Api-Secret-Token"
OA_SIGNATURE_HEADER = "X-ZEvent-Signature"
OA_TIMESTAMP_HEADER = "X-ZEvent-Timestamp"
BOT_SECRET_LENGTHS = range(8, 257)  # setWebhook refuses a secret outside 8–256 characters


class OACheck(enum.Enum):
    """What to do with an OA webhook POST."""

    ACCEPT = "accept"  # signed and the signature matches: store it, then answer 200
    UNSIGNED = "unsigned"  # Zalo's test POST when the URL is saved: answer 200, store nothing
    FORGED = "forged"  # a signature that does not match: refuse (401), store nothing


def verify_bot_secret(received: str | None, expected: str) -> bool:
    """Whether the Zalo Bot secret header matches ours (never True for an empty secret)."""
    if not expected or received is None:
        return False
    return hmac.compare_digest(received.encode(), expected.encode())


def join_signed_fields(app_id: str, raw_body: bytes, timestamp: str, secret_key: str) -> bytes:
    """What Zalo hashes to sign an OA event: the one place that fixes the disputed order."""
    return app_id.encode() + raw_body + timestamp.encode() + secret_key.encode()


def sign_oa_event(app_id: str, raw_body: bytes, timestamp: str, secret_key: str) -> str:
    """The hex signature Zalo puts in ``X-ZEvent-Signature`` (without its ``mac=`` prefix)."""
    return hashlib.sha256(join_signed_fields(app_id, raw_body, timestamp, secret_key)).hexdigest()


def find_oa_timestamp(raw_body: bytes, headers: Mapping[str, str]) -> str:
    """The signed timestamp: the header when Zalo sends one, else the body's ``timestamp``."""
    header = _header(headers, OA_TIMESTAMP_HEADER)
    if header:
        return header.strip()
    try:
        body = json.loads(raw_body)
    except ValueError:
        return ""
    value = body.get("timestamp") if isinstance(body, dict) else None
    return str(value) if value is not None else ""


def check_oa_webhook(
    raw_body: bytes, headers: Mapping[str, str], *, app_id: str, secret_key: str
) -> OACheck:
    """Whether an OA webhook POST is Zalo's, unsigned (the URL test) or forged."""
    supplied = (_header(headers, OA_SIGNATURE_HEADER) or "").strip()
    if not supplied:
        return OACheck.UNSIGNED
    if supplied.lower().startswith("mac="):
        supplied = supplied[4:].strip()
    if not app_id or not secret_key:
        return OACheck.FORGED  # nothing to check against: trust nothing
    expected = sign_oa_event(app_id, raw_body, find_oa_timestamp(raw_body, headers), secret_key)
    if hmac.compare_digest(supplied.lower().encode(), expected.encode()):
        return OACheck.ACCEPT
    return OACheck.FORGED


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, whatever its case (plain dicts are case-sensitive)."""
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    return next((v for k, v in headers.items() if k.lower() == lowered), None)
