"""Zalo's refusals as the dispatcher's Delivery: permanent, throttled, transient, or special.

The table is "Classifying send results" in the shared Zalo notes. Two OA outcomes have no
Telegram counterpart and are marked in ``Delivery.extra`` for whoever holds the tokens or
the outbox: :data:`REFRESH` (refresh the access token, then retry once) and
:data:`OUTSIDE_WINDOW` (the follower has not written for too long: hold the message and
tell the standing office).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.channels.base import Delivery
from bot.channels.zalo.bot_api import ZaloBotError
from bot.channels.zalo.oa_api import ZaloOAError

REFRESH = "refresh_access_token"
OUTSIDE_WINDOW = "outside_window"
TOKEN_REJECTED = "token_rejected"
DEFER_UNTIL = "defer_until"
BLOCKED = "blocked"  # the dispatcher's word for "this chat is unreachable"

BOT_THROTTLE_SECONDS = 30.0  # Zalo's 429 says "quota exceeded" and no retry_after
OA_RATE_SECONDS = 60.0  # -32: the per-minute request limit
OA_QUOTA_SECONDS = 3600.0  # -211/-218/-321: a quota that will not come back within minutes
DEFAULT_ZONE = "Asia/Ho_Chi_Minh"
MORNING = time(6, 0)  # some messages may not go out between 22:00 and 06:00

OA_REFRESH_CODES = frozenset({-216, -220, -124})
OA_WINDOW_CODES = frozenset({-230, -213, -231, -232})
OA_RATE_CODES = frozenset({-32})
OA_QUOTA_CODES = frozenset({-211, -218, -321})
OA_NIGHT_CODES = frozenset({-234, -133})


def classify_bot_error(error: ZaloBotError) -> Delivery:
    """A failed Zalo Bot send as a Delivery."""
    status = error.code  # Zalo's error_code when it gives one, else the HTTP status
    text = f"Zalo Bot {error.method}: {status or 'no answer'} {error.description}".strip()
    if status == 429:
        return Delivery(error=text, retry_after=BOT_THROTTLE_SECONDS, throttled=True)
    if status == 401:
        reason = (
            "the Zalo bot token was refused (401): it was reset or is wrong; "
            "put the new token in the settings and restart"
        )
        return Delivery(error=f"{text}: {reason}", permanent=True, extra={TOKEN_REJECTED: True})
    if status == 400 and error.method == "sendPhoto":
        # Zalo could not fetch the picture (an expired URL, say): the chat may be fine.
        return Delivery(error=text, permanent=True)
    if status in (400, 404):  # our own mistakes are caught before sending: it is the chat
        return Delivery(error=text, permanent=True, extra={BLOCKED: True})
    if status is None or status in (403, 408) or status >= 500:
        return Delivery(error=text)  # "internal server error", timeouts, outages: try again
    return Delivery(error=text, permanent=True)


def classify_oa_error(error: ZaloOAError, now: datetime, zone: str = DEFAULT_ZONE) -> Delivery:
    """A refused Zalo OA send as a Delivery (`now` is aware; nights are in `zone`)."""
    code = error.code
    text = f"Zalo OA: {code if code is not None else 'no answer'} {error.message}".strip()
    if code is None:
        return Delivery(error=text)  # no answer of Zalo's shape: network, outage
    if code in OA_REFRESH_CODES:
        return Delivery(error=text, extra={REFRESH: True})
    if code in OA_WINDOW_CODES:
        return Delivery(error=text, held=True, extra={OUTSIDE_WINDOW: True})
    if code in OA_RATE_CODES:
        return Delivery(error=text, retry_after=OA_RATE_SECONDS, throttled=True)
    if code in OA_QUOTA_CODES:
        return Delivery(error=text, retry_after=OA_QUOTA_SECONDS, throttled=True)
    if code in OA_NIGHT_CODES:
        morning = find_next_morning(now, zone)
        return Delivery(
            error=text,
            retry_after=(morning - now).total_seconds(),
            extra={DEFER_UNTIL: morning.isoformat()},
        )
    return Delivery(error=text, permanent=True)


def find_next_morning(now: datetime, zone: str = DEFAULT_ZONE) -> datetime:
    """The next 06:00 in `zone` after `now`, as an aware datetime."""
    local = now.astimezone(ZoneInfo(zone))
    morning = datetime.combine(local.date(), MORNING, tzinfo=local.tzinfo)
    return morning if morning > local else morning + timedelta(days=1)


def classify_refresh_error(error: ZaloOAError) -> Delivery:
    """The refresh token itself was refused: nothing sends until an operator re-authorizes."""
    reason = (
        "the Zalo OA refresh token was refused: it was already used, or is older than "
        "3 months; authorize the OA again and store the new tokens"
    )
    if error.code is None:  # the OAuth server did not answer: try again later
        return Delivery(error=f"Zalo OA token refresh: {error.message}")
    return Delivery(error=f"{error}: {reason}", permanent=True, extra={TOKEN_REJECTED: True})
