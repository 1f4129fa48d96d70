"""A thin client of the Zalo Bot Platform API (the bot made in the Zalo app).

Every method is ``POST {base}/bot{token}/{method}`` with a JSON body; answers are
``{ok, result}`` or ``{ok: false, error_code, description}``. The token sits in the URL
path, so nothing here may let a URL reach a log: httpx's own "HTTP Request: POST …" line
is rewritten by a filter on its logger, and our errors never carry the URL.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from bot.channels.zalo.pool import PooledClient
from bot.logs import guard_tokens, redact

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
REQUEST_TIMEOUT = 20.0  # seconds for an ordinary call
POLL_MARGIN = 10.0  # getUpdates holds the answer `timeout` seconds; the read may take longer


class ZaloBotError(Exception):
    """A failed call: the HTTP status (None: no answer), Zalo's error code and description."""

    def __init__(
        self,
        status: int | None,
        description: str,
        error_code: int | None = None,
        method: str = "",
    ) -> None:
        super().__init__(f"{method or 'Zalo Bot API'}: {status or 'no answer'} {description}")
        self.status = status
        self.error_code = error_code
        self.description = description
        self.method = method

    @property
    def code(self) -> int | None:
        """The code that says what went wrong: Zalo's error_code, else the HTTP status."""
        return self.error_code if self.error_code is not None else self.status


class ZaloBotClient(PooledClient):
    """One Zalo bot, by its token ``<id>:<secret>``; methods return Zalo's ``result``."""

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        http: httpx.AsyncClient | None = None,
        timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        guard_tokens()
        self._token = token
        self._base = base_url.rstrip("/")
        self._timeout = timeout
        super().__init__(http, timeout)

    def __repr__(self) -> str:
        """Never the token."""
        return f"ZaloBotClient(base_url={self._base!r})"

    async def call(
        self, method: str, body: dict[str, Any] | None = None, *, timeout: float | None = None
    ) -> Any:
        """Call one method; its ``result``, or ZaloBotError (network failures too)."""
        url = f"{self._base}/bot{self._token}/{method}"
        try:
            response = await self._http.post(url, json=body or {}, timeout=timeout or self._timeout)
        except httpx.HTTPError as error:  # the message may hold the URL, hence the token
            description = redact(f"{type(error).__name__}: {error}")
            raise ZaloBotError(None, description, method=method) from None
        return _result(method, response)

    async def get_me(self) -> dict[str, Any]:
        """The bot's own account."""
        return dict(await self.call("getMe"))

    async def get_updates(self, timeout: int = 30) -> dict[str, Any] | None:
        """Wait up to `timeout` seconds for one update; None when there was none (408).

        Zalo hands out one update per call and forgets it once the answer is written: store
        it before anything else can fail.
        """
        try:
            result = await self.call(
                "getUpdates", {"timeout": timeout}, timeout=timeout + POLL_MARGIN
            )
        except ZaloBotError as error:
            if error.code == 408:
                return None
            raise
        return dict(result) if isinstance(result, dict) and result else None

    async def set_webhook(self, url: str, secret_token: str) -> Any:
        """Have Zalo POST every update to `url`, with `secret_token` in a header."""
        return await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> Any:
        """Go back to getUpdates."""
        return await self.call("deleteWebhook")

    async def get_webhook_info(self) -> dict[str, Any] | None:
        """The webhook in force; None when there is none (Zalo answers 404 then)."""
        try:
            result = await self.call("getWebhookInfo")
        except ZaloBotError as error:
            if error.code == 404:
                return None
            raise
        return dict(result) if isinstance(result, dict) and result.get("url") else None

    async def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
        """Send text (1–2000 characters); Zalo's answer, with the message_id."""
        return _as_dict(await self.call("sendMessage", {"chat_id": chat_id, "text": text}))

    async def send_photo(
        self, chat_id: str, photo_url: str, caption: str | None = None
    ) -> dict[str, Any]:
        """Send a picture by URL (Zalo fetches it; no uploads)."""
        body: dict[str, Any] = {"chat_id": chat_id, "photo": photo_url}
        if caption:
            body["caption"] = caption
        return _as_dict(await self.call("sendPhoto", body))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> Any:
        """Show "typing…" (or another action) in the chat."""
        return await self.call("sendChatAction", {"chat_id": chat_id, "action": action})


def _result(method: str, response: httpx.Response) -> Any:
    """Zalo's ``result``, or the error it described (leniently: a proxy may answer HTML)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        text = response.text.strip()[:200] or response.reason_phrase
        if response.is_success:
            raise ZaloBotError(response.status_code, f"not JSON: {text}", method=method)
        raise ZaloBotError(response.status_code, redact(text), method=method)
    if response.is_success and body.get("ok", True) is not False:
        return body.get("result")
    code = body.get("error_code")
    raise ZaloBotError(
        response.status_code,
        str(body.get("description") or response.reason_phrase),
        code if isinstance(code, int) else None,
        method=method,
    )


def _as_dict(result: Any) -> dict[str, Any]:
    """A send's result as a dict (some answers carry only ``true``)."""
    return dict(result) if isinstance(result, dict) else {}
