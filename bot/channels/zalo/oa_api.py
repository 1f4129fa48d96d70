"""A thin client of the Zalo Official Account API v3 and of Zalo's OAuth v4 token refresh.

Sends are ``POST {api}/v3.0/oa/message/cs`` with the access token in the ``access_token``
header (so no URL carries a secret) and answer ``{error, message, data}`` with HTTP 200
even when Zalo refuses: a nonzero ``error`` raises :class:`ZaloOAError`. The client holds
no token: the caller passes the current one, because refresh tokens rotate and must be
stored durably by whoever owns the OA's credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bot.channels.zalo.pool import PooledClient

DEFAULT_API_URL = "https://openapi.zalo.me"
DEFAULT_OAUTH_URL = "https://oauth.zaloapp.com"
MAX_BUTTONS = 5
BUTTON_TYPE = "oa.query.hide"  # a tap comes back as the user's text, not shown in the chat
REQUEST_TIMEOUT = 20.0
DEFAULT_ACCESS_SECONDS = 90_000  # ≈ 25 h, when Zalo's answer has no usable expires_in


class ZaloOAError(Exception):
    """A refused or failed call: Zalo's error code (None: no answer), message, HTTP status."""

    def __init__(self, code: int | None, message: str, status: int | None = None) -> None:
        super().__init__(f"Zalo OA: {code if code is not None else 'no answer'} {message}")
        self.code = code
        self.message = message
        self.status = status


@dataclass(frozen=True)
class OAToken:
    """An access token, the refresh token that replaces it (single use) and when it expires."""

    access_token: str
    refresh_token: str
    expires_at: datetime

    def __repr__(self) -> str:
        """Never the tokens themselves."""
        return f"OAToken(expires_at={self.expires_at.isoformat()})"

    def expires_within(self, now: datetime, margin: timedelta) -> bool:
        """Whether the access token is gone, or will be within `margin`."""
        return now + margin >= self.expires_at


def _utcnow() -> datetime:
    """Now, in UTC (the default clock)."""
    return datetime.now(UTC)


def build_text(user_id: str, text: str) -> dict[str, Any]:
    """The body of a plain text message."""
    return {"recipient": {"user_id": user_id}, "message": {"text": text}}


def build_buttons(user_id: str, text: str, buttons: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The body of a text with up to 5 buttons, each (label, payload sent back as text)."""
    if not 1 <= len(buttons) <= MAX_BUTTONS:
        raise ValueError(f"a Zalo OA message carries 1–{MAX_BUTTONS} buttons, not {len(buttons)}")
    return {
        "recipient": {"user_id": user_id},
        "message": {
            "text": text,
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "buttons": [
                        {"title": label, "type": BUTTON_TYPE, "payload": payload}
                        for label, payload in buttons
                    ],
                },
            },
        },
    }


def build_image(user_id: str, image_url: str, caption: str | None = None) -> dict[str, Any]:
    """The body of a picture Zalo fetches from `image_url`, with an optional caption."""
    message: dict[str, Any] = {
        "attachment": {
            "type": "template",
            "payload": {
                "template_type": "media",
                "elements": [{"media_type": "image", "url": image_url}],
            },
        }
    }
    if caption:
        message["text"] = caption
    return {"recipient": {"user_id": user_id}, "message": message}


class ZaloOAClient(PooledClient):
    """One Official Account's API and OAuth endpoints (both URLs are settings)."""

    def __init__(
        self,
        api_url: str = DEFAULT_API_URL,
        oauth_url: str = DEFAULT_OAUTH_URL,
        *,
        http: httpx.AsyncClient | None = None,
        clock: Callable[[], datetime] = _utcnow,
        timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        self._api = api_url.rstrip("/")
        self._oauth = oauth_url.rstrip("/")
        self._clock = clock
        super().__init__(http, timeout)

    async def send(self, access_token: str, body: dict[str, Any]) -> str:
        """Send one consultation message (``/message/cs``); Zalo's message id."""
        data = await self._post_json("/v3.0/oa/message/cs", access_token, body)
        return str(data.get("message_id") or "")

    async def send_text(self, access_token: str, user_id: str, text: str) -> str:
        """Send text to a follower; the message id."""
        return await self.send(access_token, build_text(user_id, text))

    async def send_buttons(
        self, access_token: str, user_id: str, text: str, buttons: Sequence[tuple[str, str]]
    ) -> str:
        """Send text with up to 5 ``oa.query.hide`` buttons (label, payload); the message id."""
        return await self.send(access_token, build_buttons(user_id, text, buttons))

    async def send_image(
        self, access_token: str, user_id: str, image_url: str, caption: str | None = None
    ) -> str:
        """Send a picture by URL; the message id."""
        return await self.send(access_token, build_image(user_id, image_url, caption))

    async def refresh_access_token(
        self, app_id: str, secret_key: str, refresh_token: str
    ) -> OAToken:
        """Trade a refresh token (used up by this call) for a new access and refresh token."""
        form = {"app_id": app_id, "grant_type": "refresh_token", "refresh_token": refresh_token}
        try:
            response = await self._http.post(
                f"{self._oauth}/v4/oa/access_token", data=form, headers={"secret_key": secret_key}
            )
        except httpx.HTTPError as error:
            raise ZaloOAError(None, f"{type(error).__name__}: {error}") from None
        body = _json(response)
        access, new_refresh = body.get("access_token"), body.get("refresh_token")
        if not isinstance(access, str) or not isinstance(new_refresh, str) or not access:
            raise ZaloOAError(
                _code(body.get("error")) or -1,
                str(body.get("error_name") or body.get("message") or "no token in the answer"),
                response.status_code,
            )
        return OAToken(access, new_refresh, self._clock() + timedelta(seconds=_seconds(body)))

    async def _post_json(
        self, path: str, access_token: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        """POST JSON with the access token header; ``data`` or ZaloOAError."""
        try:
            response = await self._http.post(
                f"{self._api}{path}", json=body, headers={"access_token": access_token}
            )
        except httpx.HTTPError as error:
            raise ZaloOAError(None, f"{type(error).__name__}: {error}") from None
        answer = _json(response)
        code = _code(answer.get("error"))
        if code is None:  # no answer of Zalo's shape: a proxy or an outage, so try again later
            raise ZaloOAError(None, f"HTTP {response.status_code}", response.status_code)
        if code:
            raise ZaloOAError(code, str(answer.get("message") or ""), response.status_code)
        data = answer.get("data")
        return data if isinstance(data, dict) else {}


def _json(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object, or an empty one (a proxy's HTML page, say)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _code(value: Any) -> int | None:
    """Zalo's error code, whether it came as a number or a string."""
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _seconds(body: dict[str, Any]) -> int:
    """``expires_in`` (Zalo sends it as a string of seconds), with a sane default."""
    try:
        seconds = int(body.get("expires_in") or 0)
    except (TypeError, ValueError):
        seconds = 0
    return seconds if seconds > 0 else DEFAULT_ACCESS_SECONDS
