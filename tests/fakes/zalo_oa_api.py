"""A fake Zalo Official Account API v3 and OAuth v4 on 127.0.0.1, built from the Zalo notes.

``POST /v3.0/oa/message/cs`` with an ``access_token`` header sends text, a button template
(at most 5 ``oa.query.*`` buttons, recorded with their buttons) or an image by URL (fetched,
as Zalo does); answers are ``{error, message, data}`` with HTTP 200 even when refused.
``POST /v4/oa/access_token`` trades a refresh token for new tokens: access tokens expire
(on the fake's own clock, see :meth:`FakeZaloOA.advance`) and refresh tokens are single use
and rotate, so a reused one is refused. Followers' events are POSTed to the webhook signed
with ``X-ZEvent-Signature`` (``mac=`` sha256 of app id, body, timestamp, OA secret key); a tap
on a button comes back as the follower's text. Errors (-230, -32, -216…) on demand.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.zalo_http import FetchFailed, JsonDict, LoopbackServer, Post
from tests.fakes.zalo_oa_followers import Follower, OAMessage, hex_id

APP_ID = "4318000000000000001"
SECRET_KEY = "fake-app-secret-key"  # the app's: OAuth
OA_SECRET_KEY = "fake-oa-secret-key"  # the OA's: signs webhooks
OA_ID = "579745863508352884"
MAX_TEXT = 2000
MAX_BUTTONS = 5
MAX_IMAGE_BYTES = 1024 * 1024
ACCESS_SECONDS = 90_000  # ≈ 25 h
REFRESH_SECONDS = 90 * 86_400  # 3 months
WINDOW_SECONDS = 7 * 86_400  # after a week without the follower writing: -230
BUTTON_TYPES = frozenset({"oa.query.hide", "oa.query.show", "oa.open.url", "oa.open.phone"})
_MESSAGES = {
    -32: "Request rate limit exceeded",
    -124: "Access token has expired",
    -201: "Parameters are invalid",
    -213: "User has not interacted with the OA in the past 48 hours",
    -216: "Access token is invalid",
    -230: "User has not interacted with the OA in the past 7 days",
}


def signature(app_id: str, body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """What Zalo puts in X-ZEvent-Signature (after ``mac=``), by the notes' order."""
    signed = app_id.encode() + body + timestamp.encode() + oa_secret_key.encode()
    return hashlib.sha256(signed).hexdigest()


class Refused(Exception):
    """A Zalo error code and message, answered with HTTP 200."""

    def __init__(self, code: int, message: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message or _MESSAGES.get(code, f"Error {code}")


@dataclass
class _Refresh:
    issued_at: float
    used: bool = False


class FakeZaloOA(LoopbackServer):
    """The fake OA; :meth:`follower` makes people, :meth:`issue_tokens` the first tokens."""

    def __init__(
        self,
        *,
        app_id: str = APP_ID,
        secret_key: str = SECRET_KEY,
        oa_secret_key: str = OA_SECRET_KEY,
        retry_delays: tuple[float, ...] = (0.05,),
    ) -> None:
        super().__init__()
        self.app_id, self.secret_key, self.oa_secret_key = app_id, secret_key, oa_secret_key
        self.retry_delays = retry_delays  # Zalo: 30 s, 5 m, 15 m…; a test cannot wait so long
        self.webhook: str | None = None
        self.webhook_disabled = False
        self.webhook_posts: list[Post] = []
        self.sent: list[OAMessage] = []
        self.refreshes: list[JsonDict] = []  # every refresh call: its form and what came of it
        self._offset = 0.0
        self._access: dict[str, float] = {}  # token -> expiry, on the fake clock
        self._refresh: dict[str, _Refresh] = {}
        self._followers: dict[str, Follower] = {}
        self._failures: deque[Refused] = deque()

    def routes(self, app: web.Application) -> None:
        """The send endpoint and the OAuth endpoint."""
        app.router.add_post("/v3.0/oa/message/cs", self._message)
        app.router.add_post("/v4/oa/access_token", self._access_token)

    # --- what a test does ------------------------------------------------------------------

    def now(self) -> float:
        """The fake's clock (seconds), which :meth:`advance` moves forward."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Let time pass for tokens and interaction windows."""
        self._offset += seconds

    def issue_tokens(self) -> JsonDict:
        """Tokens as an operator gets them by authorizing the OA (access, refresh, expires_in)."""
        access, refresh = f"acc-{hex_id()}", f"ref-{hex_id()}"
        self._access[access] = self.now() + ACCESS_SECONDS
        self._refresh[refresh] = _Refresh(self.now())
        return {"access_token": access, "refresh_token": refresh, "expires_in": str(ACCESS_SECONDS)}

    def follower(self, display_name: str, user_id: str | None = None) -> Follower:
        """A person who follows the OA (they must write before the OA may answer)."""
        key = user_id or hex_id()
        if key not in self._followers:
            self._followers[key] = Follower(key, display_name, self)
        return self._followers[key]

    def fail_next(self, code: int, message: str = "", times: int = 1) -> None:
        """Refuse the next `times` sends with this Zalo error code."""
        self._failures.extend(Refused(code, message) for _ in range(times))

    async def register_webhook(self, url: str) -> None:
        """Save the webhook URL as in the developer console: Zalo first POSTs an unsigned test."""
        body = json.dumps({"event_name": "test_webhook", "app_id": self.app_id}).encode()
        status = await self.post(url, body, {})
        self.webhook_posts.append(Post(url, body, {}, status))
        if status != 200:
            raise AssertionError(f"Zalo refuses a webhook URL that answered {status} to its test")
        self.webhook, self.webhook_disabled = url, False

    def event(self, name: str, user_id: str, **content: Any) -> JsonDict:
        """An OA webhook event as Zalo shapes it."""
        return {
            "app_id": self.app_id,
            "user_id_by_app": f"app-{user_id}",
            "event_name": name,
            "timestamp": str(int(self.now() * 1000)),
            **content,
        }

    async def deliver(self, event: JsonDict, *, secret: str | None = None) -> int | None:
        """POST a signed event (signed with `secret` to forge one); the last status."""
        if self.webhook is None or self.webhook_disabled:
            raise AssertionError("no webhook is registered (or Zalo disabled it)")
        body = json.dumps(event, ensure_ascii=False).encode()
        timestamp = str(event["timestamp"])
        mac = signature(self.app_id, body, timestamp, secret or self.oa_secret_key)
        headers = {"X-ZEvent-Signature": f"mac={mac}", "X-ZEvent-Timestamp": timestamp}
        status: int | None = None
        for attempt, delay in enumerate((0.0, *self.retry_delays), start=1):
            await asyncio.sleep(delay)
            status = await self.post(self.webhook, body, headers)
            self.webhook_posts.append(Post(self.webhook, body, headers, status, attempt))
            if status == 200:
                return status
        self.webhook_disabled = True  # Zalo gives up on a webhook that keeps failing
        return status

    # --- the send endpoint -----------------------------------------------------------------

    async def _message(self, request: web.Request) -> web.Response:
        """POST /v3.0/oa/message/cs."""
        try:
            body = await request.json()
            data = await self._send(request.headers.get("access_token", ""), body)
        except Refused as refused:
            return web.json_response({"error": refused.code, "message": refused.message})
        except ValueError:
            return web.json_response({"error": -201, "message": "Body is not JSON"})
        return web.json_response({"error": 0, "message": "Success", "data": data})

    async def _send(self, access_token: str, body: JsonDict) -> JsonDict:
        """Check the token, the follower's window and the message; record it."""
        if self._failures:
            raise self._failures.popleft()
        expiry = self._access.get(access_token)
        if expiry is None:
            raise Refused(-216)
        if self.now() >= expiry:
            raise Refused(-124)
        follower = self._followers.get(str((body.get("recipient") or {}).get("user_id") or ""))
        if follower is None:
            raise Refused(-201, "user_id is invalid")
        if follower.last_interaction is None or self.now() - follower.last_interaction > (
            WINDOW_SECONDS
        ):
            raise Refused(-230)
        message = body.get("message")
        if not isinstance(message, dict):
            raise Refused(-201, "message is required")
        sent = await self._compose(follower, message)
        self.sent.append(sent)
        follower.messages.append(sent)
        return {"message_id": sent.message_id, "user_id": follower.user_id}

    async def _compose(self, follower: Follower, message: JsonDict) -> OAMessage:
        """The message as the follower sees it, validated as Zalo does."""
        attachment = message.get("attachment")
        payload = attachment.get("payload") if isinstance(attachment, dict) else None
        text = message.get("text")
        if isinstance(payload, dict) and payload.get("template_type") == "media":
            url = _image_url(payload)
            try:
                data, _ = await self.fetch(url)
            except FetchFailed as error:
                raise Refused(-201, f"Cannot get the image: {error}") from None
            if len(data) > MAX_IMAGE_BYTES:
                raise Refused(-201, "The image is larger than 1 MB")
            caption = _checked_text(text, required=False)
            return OAMessage(hex_id(), follower.user_id, "image", caption, [], url, data)
        buttons: list[JsonDict] = []
        if isinstance(payload, dict):
            buttons = _checked_buttons(payload.get("buttons"))
            text = text if text is not None else payload.get("text")
        kind = "buttons" if buttons else "text"
        checked = _checked_text(text, required=True)
        return OAMessage(hex_id(), follower.user_id, kind, checked, buttons)

    # --- OAuth -----------------------------------------------------------------------------

    async def _access_token(self, request: web.Request) -> web.Response:
        """POST /v4/oa/access_token: a single-use refresh token for new tokens."""
        form = dict(await request.post())
        record: JsonDict = {"form": {k: str(v) for k, v in form.items()}}
        self.refreshes.append(record)
        answer = self._refreshed(request.headers.get("secret_key", ""), record["form"])
        record["answer"] = answer
        return web.json_response(answer)

    def _refreshed(self, secret_key: str, form: dict[str, str]) -> JsonDict:
        if secret_key != self.secret_key or form.get("app_id") != self.app_id:
            return _oauth_error(-14002, "Invalid app_id or secret_key")
        if form.get("grant_type") != "refresh_token":
            return _oauth_error(-14004, "grant_type is invalid")
        refresh = self._refresh.get(form.get("refresh_token", ""))
        if refresh is None or refresh.used:
            return _oauth_error(-14014, "Invalid refresh token")
        if self.now() - refresh.issued_at > REFRESH_SECONDS:
            return _oauth_error(-14014, "Refresh token has expired")
        refresh.used = True
        return self.issue_tokens()


def _oauth_error(code: int, name: str) -> JsonDict:
    return {"error": code, "error_name": name, "error_reason": name, "error_description": name}


def _checked_text(text: Any, *, required: bool) -> str | None:
    if text is None and not required:
        return None
    if not isinstance(text, str) or not 1 <= len(text.encode("utf-16-le")) // 2 <= MAX_TEXT:
        raise Refused(-201, f"text must be 1-{MAX_TEXT} characters")
    return text


def _checked_buttons(buttons: Any) -> list[JsonDict]:
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= MAX_BUTTONS:
        raise Refused(-201, f"a template carries 1-{MAX_BUTTONS} buttons")
    for button in buttons:
        if not isinstance(button, dict) or button.get("type") not in BUTTON_TYPES:
            raise Refused(-201, "button type is invalid")
        if not button.get("title") or button.get("payload") in (None, ""):
            raise Refused(-201, "a button needs a title and a payload")
    return buttons


def _image_url(payload: JsonDict) -> str:
    elements = payload.get("elements")
    element = elements[0] if isinstance(elements, list) and elements else {}
    url = element.get("url") if isinstance(element, dict) else None
    if not isinstance(url, str) or element.get("media_type") != "image":
        raise Refused(-201, "a media template needs an image URL")
    return url
