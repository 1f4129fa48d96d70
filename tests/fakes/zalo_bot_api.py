"""A fake Zalo Bot Platform API on 127.0.0.1, built from the shared Zalo notes.

Calls are ``POST /bot{token}/{method}`` with JSON bodies, answered ``{ok, result}`` or
``{ok: false, error_code, description}``. Zalo's rules that shape roviec are kept:
getUpdates hands out **one** update per call and forgets it once answered (no offset, no
acknowledgement) and answers 408 when nothing came within its timeout; it is refused while
a webhook is set; setWebhook wants a secret of 8–256 characters and then every update is
POSTed to the URL with ``X-Bot-Api-Secret-Token``, in either envelope; the bot learns a chat
only when its person writes; texts and captions are 1–2000 characters; sendPhoto fetches
the URL itself. :meth:`FakeZaloBot.fail_next` injects 429, 401, 5xx and the like;
``quota_fraction`` answers that share of sends 429 "Quota exceeded" at random (seeded).
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from aiohttp import web

from tests.fakes.zalo_bot_people import BotMessage, ZaloBotPerson, hex_id, millis
from tests.fakes.zalo_http import FetchFailed, JsonDict, LoopbackServer, Post, utf16_length

TOKEN = "1234567890123456789:fake-bot-secret"
MAX_TEXT = 2000
SECRET_HEADER = "X-Bot-Api-Secret-Token"
TIMEOUT_ANSWER = {"ok": False, "description": "Request timeout"}
_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Internal server error",
    404: "Not Found",
    429: "Quota exceeded",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}

_SENDS = frozenset({"sendmessage", "sendphoto"})

Envelope = Literal["event", "result"]


class ApiError(Exception):
    """An error answer: HTTP status and description (error_code is the status)."""

    def __init__(self, status: int, description: str = "") -> None:
        super().__init__(description)
        self.status = status
        self.description = description or _DESCRIPTIONS.get(status, f"Error {status}")


class FakeZaloBot(LoopbackServer):
    """The fake server; people come from :meth:`person`, the bot's calls are recorded."""

    def __init__(
        self,
        token: str = TOKEN,
        *,
        envelope: Envelope = "event",
        echo_sends: bool = False,
        webhook_retries: int = 2,
        retry_delay: float = 0.05,
        quota_fraction: float = 0.0,
        seed: int = 6,
    ) -> None:
        super().__init__()
        self.token = token
        self.envelope: Envelope = envelope
        self.echo_sends = echo_sends  # the bot's own sends come back as updates (seen once)
        self.webhook_retries = webhook_retries
        self.retry_delay = retry_delay
        self.quota_fraction = quota_fraction  # share of sends refused 429 (over quota)
        self.quota_refused: list[JsonDict] = []  # the bodies of the sends refused that way
        self._quota_draws = random.Random(seed)
        self.webhook: tuple[str, str] | None = None
        self.webhook_posts: list[Post] = []
        self.dropped: list[JsonDict] = []  # updates no webhook attempt got a 200 for
        self.handed_out: list[JsonDict] = []  # updates getUpdates answered with, in order
        self._people: dict[str, ZaloBotPerson] = {}
        self._pending: deque[JsonDict] = deque()
        self._arrived = asyncio.Event()
        self._requests: dict[str, list[JsonDict]] = {}
        self._failures: dict[str, deque[ApiError]] = {}
        self._pusher: asyncio.Task[None] | None = None
        self._closing = False
        self._handlers: dict[str, Callable[[JsonDict], Awaitable[Any]]] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "sendchataction": self._send_chat_action,
        }

    def routes(self, app: web.Application) -> None:
        """One route: every Bot API method."""
        app.router.add_post("/bot{token}/{method}", self._dispatch)

    async def stop(self) -> None:
        """Stop pushing webhooks, then stop serving."""
        if self._pusher is not None:
            self._pusher.cancel()
            self._pusher = None
        self._closing = True
        self._arrived.set()  # release long polls
        await super().stop()

    # --- what a test does ------------------------------------------------------------------

    def person(self, display_name: str, user_id: str | None = None) -> ZaloBotPerson:
        """A person who may write to the bot (the bot cannot write first)."""
        key = user_id or hex_id()
        if key not in self._people:
            self._people[key] = ZaloBotPerson(key, display_name, self._push)
        return self._people[key]

    @property
    def pending_updates(self) -> list[JsonDict]:
        """Updates Zalo still holds for the bot."""
        return list(self._pending)

    def requests(self, method: str) -> list[JsonDict]:
        """The JSON bodies of every call of `method`, failed ones included."""
        return list(self._requests.get(method.lower(), []))

    def fail_next(self, method: str, status: int, description: str = "", times: int = 1) -> None:
        """Answer the next `times` calls of `method` with this error."""
        queue = self._failures.setdefault(method.lower(), deque())
        queue.extend(ApiError(status, description) for _ in range(times))

    def reset_token(self) -> str:
        """The owner resets the token in the Zalo app: the old one answers 401 from now on."""
        bot_id = self.token.split(":", 1)[0]
        self.token = f"{bot_id}:reset-{hex_id()}"
        return self.token

    # --- updates ---------------------------------------------------------------------------

    def _push(self, event_name: str, message: JsonDict) -> str:
        """Queue an update; the chat becomes known to the bot once its person writes."""
        sender = self._people.get(message["from"]["id"])
        if sender is not None:
            sender.has_written = True
        self._pending.append({"event_name": event_name, "message": message})
        self._arrived.set()
        return str(message["message_id"])

    def _envelope(self, update: JsonDict) -> JsonDict:
        return update if self.envelope == "event" else {"ok": True, "result": update}

    async def _push_webhooks(self) -> None:
        """POST each update to the webhook, retrying a little; then it is gone either way."""
        while self.webhook is not None:
            if not self._pending:
                self._arrived.clear()
                await self._arrived.wait()
                continue
            update = self._pending.popleft()
            url, secret = self.webhook
            body = json.dumps(self._envelope(update), ensure_ascii=False).encode()
            for attempt in range(1, self.webhook_retries + 2):
                started = time.perf_counter()
                status = await self.post(url, body, {SECRET_HEADER: secret})
                seconds = time.perf_counter() - started
                post = Post(url, body, {SECRET_HEADER: secret}, status, attempt, seconds=seconds)
                self.webhook_posts.append(post)
                if status == 200:
                    break
                await asyncio.sleep(self.retry_delay)
            else:
                self.dropped.append(update)

    async def _get_updates(self, body: JsonDict) -> Any:
        """One update, removed as it is answered; 408 after `timeout` seconds of nothing."""
        if self.webhook is not None:
            raise ApiError(400, "Webhook is set: getUpdates is not available")
        timeout = float(body.get("timeout", 30))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._pending:
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing:
                return web.json_response(TIMEOUT_ANSWER, status=408)
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except TimeoutError:
                return web.json_response(TIMEOUT_ANSWER, status=408)
        update = self._pending.popleft()
        self.handed_out.append(update)
        return update

    async def _set_webhook(self, body: JsonDict) -> JsonDict:
        url, secret = body.get("url"), body.get("secret_token")
        if not isinstance(url, str) or not url.startswith(("https://", "http://127.0.0.1")):
            raise ApiError(400, "url must be an HTTPS URL")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            raise ApiError(400, "secret_token must be 8-256 characters")
        self.webhook = (url, secret)
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.create_task(self._push_webhooks())
        self._arrived.set()
        return {"url": url, "updated_at": millis()}

    async def _delete_webhook(self, body: JsonDict) -> JsonDict:
        self.webhook = None
        self._arrived.set()  # the pusher sees there is no webhook and ends
        return {"url": "", "updated_at": millis()}

    async def _get_webhook_info(self, body: JsonDict) -> JsonDict:
        if self.webhook is None:
            raise ApiError(404, "Webhook is not set")
        return {"url": self.webhook[0], "updated_at": millis()}

    # --- sends -----------------------------------------------------------------------------

    async def _get_me(self, body: JsonDict) -> JsonDict:
        return {
            "id": self.token.split(":", 1)[0],
            "account_name": "bot.roviec",
            "account_type": "BASIC",
            "can_join_groups": False,
            "display_name": "Roviec",
        }

    def _chat(self, body: JsonDict) -> ZaloBotPerson:
        """The person behind `chat_id`: 400 unless they have written to the bot."""
        person = self._people.get(str(body.get("chat_id") or ""))
        if person is None or not person.has_written:
            raise ApiError(400, "Chat not found")
        return person

    def _text(self, body: JsonDict, name: str, *, required: bool) -> str | None:
        value = body.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not 1 <= utf16_length(value) <= MAX_TEXT:
            raise ApiError(400, f"{name} must be 1-{MAX_TEXT} characters")
        return value

    def _sent(self, person: ZaloBotPerson, message: BotMessage) -> JsonDict:
        person.messages.append(message)
        if self.echo_sends:
            echo = {"message_id": message.message_id, "date": millis(), "text": message.text}
            echo |= {"chat": {"id": person.user_id, "chat_type": "PRIVATE"}}
            echo |= {"from": {"id": "bot", "display_name": "Roviec", "is_bot": True}}
            self._pending.append({"event_name": "message.text.received", "message": echo})
            self._arrived.set()
        return {"message_id": message.message_id, "date": millis()}

    async def _send_message(self, body: JsonDict) -> JsonDict:
        person = self._chat(body)
        text = self._text(body, "text", required=True)
        return self._sent(person, BotMessage(hex_id(), "text", text))

    async def _send_photo(self, body: JsonDict) -> JsonDict:
        person = self._chat(body)
        caption = self._text(body, "caption", required=False)
        url = body.get("photo")
        if not isinstance(url, str) or not url:
            raise ApiError(400, "photo is required")
        try:
            data, content_type = await self.fetch(url)
        except FetchFailed as error:
            raise ApiError(400, f"photo could not be downloaded: {error}") from None
        message = BotMessage(hex_id(), "photo", caption, url, data, content_type)
        return self._sent(person, message)

    async def _send_chat_action(self, body: JsonDict) -> bool:
        self._chat(body)
        if body.get("action") not in ("typing", "upload_photo"):
            raise ApiError(400, "action is invalid")
        return True

    # --- HTTP ------------------------------------------------------------------------------

    @property
    def quota_refusals(self) -> int:
        """How many sends were refused for the quota so far."""
        return len(self.quota_refused)

    def _over_quota(self) -> bool:
        """Whether this send is refused for the quota (a draw against `quota_fraction`)."""
        return self.quota_fraction > 0 and self._quota_draws.random() < self.quota_fraction

    async def _dispatch(self, request: web.Request) -> web.Response:
        """Check the token, record the call, answer an injected failure or the method."""
        method = request.match_info["method"].lower()
        try:
            body = await request.json() if request.can_read_body else {}
        except ValueError:
            return _error(ApiError(400, "body is not JSON"))
        self._requests.setdefault(method, []).append(body)
        if request.match_info["token"] != self.token:
            return _error(ApiError(401))
        handler = self._handlers.get(method)
        if handler is None:
            return _error(ApiError(404))
        failures = self._failures.get(method)
        if failures:
            return _error(failures.popleft())
        if method in _SENDS and self._over_quota():
            self.quota_refused.append(body)
            return _error(ApiError(429))
        try:
            result = await handler(body)
        except ApiError as error:
            return _error(error)
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})


def _error(error: ApiError) -> web.Response:
    body = {"ok": False, "error_code": error.status, "description": error.description}
    return web.json_response(body, status=error.status)
