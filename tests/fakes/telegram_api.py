"""A fake Telegram Bot API server that speaks real HTTP on 127.0.0.1, for tests.

Point the real python-telegram-bot at it with ``Bot(token, base_url=server.base_url,
base_file_url=server.base_file_url)``. Requests arrive as ``POST /bot{token}/{method}`` with
form-encoded parameters (non-string values JSON-encoded) or multipart/form-data when files are
uploaded; answers are ``{"ok": true, "result": ...}`` or Telegram-shaped errors, so PTB raises
its usual exceptions (BadRequest, Forbidden, RetryAfter, NetworkError).

Simulated humans live in :mod:`tests.fakes.telegram_people`; each :class:`FakePerson` has a
private chat with the bot. Telegram's limits that bots commonly trip over are enforced (message
length, empty text, callback data size, HTML markup, "message is not modified", unknown chats),
errors can be injected with :meth:`FakeTelegram.fail_next`, and flood control can be simulated
with :class:`RateLimits`. All state is indexed per chat so hundreds of people stay cheap.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import inspect
import itertools
import json
import math
import re
import socket
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from tests.fakes.telegram_people import (
    Button,
    FakePerson,
    JsonDict,
    SentMessage,
    UploadedFile,
    new_file_id,
    now,
)

__all__ = [
    "ApiError",
    "Button",
    "FakePerson",
    "FakeTelegram",
    "RateLimits",
    "SentMessage",
    "UploadedFile",
]

BOT_ID = 1000
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def _words(text: str) -> frozenset[str]:
    """A set of space-separated names."""
    return frozenset(text.split())


# Parameters PTB sends as plain strings; everything else is JSON-encoded.
_STRING_PARAMS = _words(
    "text caption parse_mode callback_query_id language_code action url inline_message_id "
    "photo document business_connection_id message_effect_id"
)
_RATE_LIMITED = _words("sendmessage sendphoto senddocument editmessagetext editmessagereplymarkup")
_CHAT_ACTIONS = _words(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
    "choose_sticker find_location record_video_note upload_video_note"
)
_OTHER_BUTTON_FIELDS = _words(
    "web_app login_url switch_inline_query switch_inline_query_current_chat copy_text "
    "switch_inline_query_chosen_chat callback_game pay"
)
_HTML_TAGS = _words(
    "b strong i em u ins s strike del span tg-spoiler a code pre blockquote tg-emoji"
)
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?>")
_MARKDOWN_V2_RESERVED = frozenset("#+-={}.!")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}

Handler = Callable[[JsonDict], Awaitable[Any]]


class ApiError(Exception):
    """A Telegram error answer: HTTP status, description and optional retry_after."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        """Store the parts of the error response."""
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def bad_request(detail: str) -> ApiError:
    """A 400 error with Telegram's "Bad Request: ..." description."""
    return ApiError(400, f"Bad Request: {detail}")


def render_html(text: str) -> str:
    """Validate Telegram HTML and return the visible text (tags removed, entities decoded)."""
    parts: list[str] = []
    stack: list[str] = []
    position = 0
    while (start := text.find("<", position)) != -1:
        parts.append(html.unescape(text[position:start]))
        offset = len(text[:start].encode())
        match = _HTML_TAG.match(text, start)
        name = match.group(2).lower() if match else text[start + 1 : start + 2].strip()
        if match is None or name not in _HTML_TAGS:
            raise bad_request(
                f'can\'t parse entities: Unsupported start tag "{name}" at byte offset {offset}'
            )
        if match.group(1):
            if not stack:
                raise bad_request(
                    f"can't parse entities: Unexpected end tag at byte offset {offset}"
                )
            if stack[-1] != name:
                raise bad_request(
                    f"can't parse entities: Unmatched end tag at byte offset {offset}, "
                    f'expected "</{stack[-1]}>", found "</{name}>"'
                )
            stack.pop()
        else:
            stack.append(name)
        position = match.end()
    parts.append(html.unescape(text[position:]))
    if stack:
        raise bad_request(
            f"can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1]}\""
        )
    return "".join(parts)


def check_markdown_v2(text: str) -> None:
    """Reject MarkdownV2 with unescaped characters that are never markup (e.g. '.', '!')."""
    index, in_code = 0, False
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "`":
            in_code = not in_code
        elif not in_code and char == "]" and text.startswith("(", index + 1):
            index = text.find(")", index) if ")" in text[index:] else len(text)
        elif not in_code and char in _MARKDOWN_V2_RESERVED:
            raise bad_request(
                f"can't parse entities: Character '{char}' is reserved and must be escaped "
                "with the preceding '\\'"
            )
        index += 1


def render(text: str, parse_mode: str | None) -> str:
    """The text a user would see for ``text`` sent with ``parse_mode``."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return render_html(text)
    if mode == "markdownv2":
        check_markdown_v2(text)
    elif mode not in ("", "markdown"):
        raise bad_request(f"unsupported parse_mode {parse_mode}")
    return text


def decode_value(name: str, value: str) -> Any:
    """Undo PTB's encoding: JSON for everything except parameters that are plain strings."""
    if name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


@dataclass(frozen=True)
class RateLimits:
    """Flood control; ``time_scale`` is how many real seconds one simulated second lasts."""

    overall_per_second: float = 30.0
    per_chat_per_second: float = 1.0
    time_scale: float = 1.0


class _Window:
    """Sliding-window counter: at most ``capacity`` events per ``span`` seconds."""

    def __init__(self, per_second: float, time_scale: float) -> None:
        """Derive capacity and span from a rate (rates below 1/s get a longer window)."""
        self.capacity = max(1, round(per_second))
        self.span = self.capacity / per_second * time_scale
        self.stamps: deque[float] = deque()

    def wait(self, moment: float) -> float:
        """Seconds until another event fits (0 if it fits now)."""
        while self.stamps and moment - self.stamps[0] >= self.span:
            self.stamps.popleft()
        if len(self.stamps) < self.capacity:
            return 0.0
        return self.span - (moment - self.stamps[0])

    def add(self, moment: float) -> None:
        """Count one event at ``moment``."""
        self.stamps.append(moment)


class FakeTelegram:
    """The fake Bot API server; create people with :meth:`person`, inspect what the bot did."""

    def __init__(
        self, *, bot_username: str = "roviec_bot", rate_limits: RateLimits | None = None
    ) -> None:
        """Prepare an idle server; call :meth:`start` inside the test's event loop."""
        self.bot_username = bot_username
        self.bot_user: JsonDict = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Roviec",
            "username": bot_username,
        }
        self._rate_limits = rate_limits
        self.sent: list[SentMessage] = []
        # Files people sent, by file id, that getFile and the file URL serve (tests put them).
        self.files: dict[str, bytes] = {}
        self.commands: dict[str, list[JsonDict]] = {}
        self.scoped_commands: dict[tuple[str, str], list[JsonDict]] = {}
        self.acknowledged_offset = 0
        self.too_many_requests = 0
        self.send_delay = 0.0  # seconds each sendMessage takes to answer, as a far server's
        # Messages sent per token spelling: instances of one bot given different spellings
        # (the fake checks no token) can be told apart by what each sent.
        self.sent_with: Counter[str] = Counter()
        self._people: dict[int, FakePerson] = {}
        self._pending: deque[JsonDict] = deque()
        self._update_ids = itertools.count(1)
        self._update_event = asyncio.Event()
        self._allowed_updates: frozenset[str] = frozenset()
        self._queries: dict[str, FakePerson] = {}
        self._requests: dict[str, list[JsonDict]] = {}
        self._failures: dict[str, deque[tuple[ApiError, bool]]] = {}
        self._overall: _Window | None = None
        self._per_chat: dict[int, _Window] = {}
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing = False
        # Webhook mode: updates are POSTed to the bot instead of waiting for getUpdates.
        self.webhook_url: str | None = None
        self.webhook_answers: list[int] = []  # HTTP status of every webhook POST, in order
        self.webhook_seconds: list[float] = []  # how long each webhook POST took to answer
        self.webhook_delivered: list[JsonDict] = []  # updates the bot answered 200
        self.webhook_retry_seconds = 0.2
        # POSTs in flight at once, as setWebhook's max_connections (Telegram's default is 40;
        # 1 here keeps the tests' order plain). One chat's updates go one at a time, in order.
        self.webhook_connections = 1
        self._posting: set[int] = set()  # update ids being POSTed
        self._webhook_secret: str | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "deleteWebhook": self._delete_webhook,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "getFile": self._get_file,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "close": self._harmless,
            "logOut": self._harmless,
        }
        self._handlers = {name.lower(): handler for name, handler in handlers.items()}

    # --- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        """Serve on 127.0.0.1 on a free port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock, backlog=2048).start()
        self._port = sock.getsockname()[1]
        self._closing = False

    async def stop(self) -> None:
        """Release pending long polls and shut the server down."""
        self._closing = True
        self._wake_pollers()
        await self._stop_webhook()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        """Start on entering ``async with``."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop on leaving ``async with``."""
        await self.stop()

    @property
    def base_url(self) -> str:
        """What to pass to PTB as ``base_url`` (the token gets appended)."""
        assert self._port is not None, "FakeTelegram.start() has not been awaited"
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """What to pass to PTB as ``base_file_url``."""
        assert self._port is not None, "FakeTelegram.start() has not been awaited"
        return f"http://127.0.0.1:{self._port}/file/bot"

    # --- test-facing API -------------------------------------------------------------------

    @property
    def rate_limits(self) -> RateLimits | None:
        """Flood control in force (None: unlimited)."""
        return self._rate_limits

    @rate_limits.setter
    def rate_limits(self, limits: RateLimits | None) -> None:
        """Change flood control; counting starts afresh."""
        self._rate_limits = limits
        self._overall = None
        self._per_chat.clear()

    def person(
        self, user_id: int, first_name: str = "Test", *, language_code: str = "vi"
    ) -> FakePerson:
        """The simulated human with this id (created on first use; chat id == user id)."""
        person = self._people.get(user_id)
        if person is None:
            person = FakePerson(
                user_id, first_name, language_code, bot_user=self.bot_user, push=self._push
            )
            self._people[user_id] = person
        return person

    @property
    def people(self) -> list[FakePerson]:
        """Every person created so far."""
        return list(self._people.values())

    @property
    def pending_updates(self) -> list[JsonDict]:
        """Updates the bot has not confirmed yet, oldest first."""
        return list(self._pending)

    def requests(self, method: str) -> list[JsonDict]:
        """Decoded parameters of every call to ``method`` (including failed ones), in order."""
        return list(self._requests.get(method.lower(), []))

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str = "",
        retry_after: int | None = None,
        times: int = 1,
        after_recording: bool = False,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with ``status``."""
        if status == 429 and retry_after is None:
            retry_after = 1
        if not description:
            description = _DEFAULT_DESCRIPTIONS.get(status, f"Error {status}")
            if status == 429:
                description = f"Too Many Requests: retry after {retry_after}"
        error = ApiError(status, description, retry_after)
        self._failures.setdefault(method.lower(), deque()).extend(
            [(error, after_recording)] * times
        )

    async def wait_until(
        self, predicate: Callable[[], bool], timeout: float = 5.0, *, interval: float = 0.01
    ) -> None:
        """Poll ``predicate`` until true; AssertionError describing the state on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            if loop.time() >= deadline:
                try:
                    condition = inspect.getsource(predicate).strip()
                except (OSError, TypeError):
                    condition = repr(predicate)
                recent = [f"chat {m.chat_id}: {m.describe()}" for m in self.sent[-5:]]
                raise AssertionError(
                    f"still false after {timeout}s: {condition}\n"
                    f"last messages sent: {recent}\n"
                    f"unconfirmed updates: {len(self._pending)}"
                )
            await asyncio.sleep(interval)

    # --- HTTP plumbing ---------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.Response:
        """Decode, record and route one Bot API call."""
        key = request.match_info["method"].lower()
        params = await self._decode(request)
        self._requests.setdefault(key, []).append(params)
        handler = self._handlers.get(key)
        if handler is None:
            return self._error(ApiError(404, "Not Found"))
        failures = self._failures.get(key)
        failure = failures.popleft() if failures else None
        if failure is not None and not failure[1]:
            return self._error(failure[0])
        try:
            if key in _RATE_LIMITED:
                self._check_rate(params)
            if key == "sendmessage" and self.send_delay:
                await asyncio.sleep(self.send_delay)
            result = await handler(params)
        except ApiError as error:
            return self._error(error)
        if failure is not None:
            return self._error(failure[0])
        if key in _RATE_LIMITED:
            self.sent_with[request.match_info["token"]] += 1
        return web.json_response({"ok": True, "result": result})

    async def _file(self, request: web.Request) -> web.Response:
        """A file of `files` by the path getFile gave (files/<file id>); anything else 404."""
        path = request.match_info["path"]
        data = self.files.get(path.removeprefix("files/"))
        if data is None or not path.startswith("files/"):
            return self._error(ApiError(404, "Not Found"))
        return web.Response(body=data, content_type="application/octet-stream")

    async def _get_file(self, params: JsonDict) -> JsonDict:
        """getFile for a file of `files`; an unknown id is a Bad Request, as on Telegram."""
        file_id = str(params.get("file_id", ""))
        data = self.files.get(file_id)
        if data is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": len(data),
            "file_path": f"files/{file_id}",
        }

    async def _decode(self, request: web.Request) -> JsonDict:
        """Parameters from query string and body (form, multipart or JSON), decoded."""
        params: JsonDict = {k: decode_value(k, v) for k, v in request.query.items()}
        if request.content_type == "application/json":
            params.update(await request.json() if request.can_read_body else {})
            return params
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params[name] = UploadedFile(value.filename, value.content_type, value.file.read())
            else:
                text = value if isinstance(value, str) else bytes(value).decode()
                params[name] = decode_value(name, text)
        for name, value in params.items():  # multipart attach://<part> references
            if isinstance(value, str) and value.startswith("attach://"):
                params[name] = params.get(value.removeprefix("attach://"), value)
        return params

    def _error(self, error: ApiError) -> web.Response:
        """A Telegram-shaped error response."""
        body: JsonDict = {"ok": False, "error_code": error.status, "description": error.description}
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
        if error.status == 429:
            self.too_many_requests += 1
        return web.json_response(body, status=error.status)

    def _check_rate(self, params: JsonDict) -> None:
        """Raise 429 if this message would exceed the configured flood limits."""
        limits = self.rate_limits
        if limits is None:
            return
        moment = time.monotonic()
        if self._overall is None:
            self._overall = _Window(limits.overall_per_second, limits.time_scale)
        chat_id = params.get("chat_id")
        chat = None
        if isinstance(chat_id, int):
            chat = self._per_chat.get(chat_id)
            if chat is None:
                chat = _Window(limits.per_chat_per_second, limits.time_scale)
                self._per_chat[chat_id] = chat
        wait = max(self._overall.wait(moment), chat.wait(moment) if chat else 0.0)
        if wait > 0:
            seconds = max(1, math.ceil(wait / limits.time_scale))
            raise ApiError(429, f"Too Many Requests: retry after {seconds}", seconds)
        self._overall.add(moment)
        if chat is not None:
            chat.add(moment)

    # --- updates ---------------------------------------------------------------------------

    def _push(self, kind: str, payload: JsonDict, person: FakePerson) -> int:
        """Queue an update from ``person`` and wake long polls; returns its update_id."""
        update_id = next(self._update_ids)
        person.blocked = False  # writing to the bot means the person unblocked it
        if self._allowed_updates and kind not in self._allowed_updates:
            return update_id  # Telegram never delivers update types the bot did not ask for
        if kind == "callback_query":
            self._queries[payload["id"]] = person
        self._pending.append({"update_id": update_id, kind: payload})
        self._wake_pollers()
        return update_id

    def _wake_pollers(self) -> None:
        """Release every getUpdates currently waiting."""
        self._update_event.set()
        self._update_event = asyncio.Event()

    def _confirm(self, offset: int) -> None:
        """Forget updates below a positive offset, or all but the last -offset ones."""
        if offset > 0:
            self.acknowledged_offset = max(self.acknowledged_offset, offset)
            while self._pending and self._pending[0]["update_id"] < offset:
                self._pending.popleft()
        elif offset < 0:
            while len(self._pending) > -offset:
                self._pending.popleft()

    async def _get_updates(self, params: JsonDict) -> list[JsonDict]:
        """getUpdates with long polling."""
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        if isinstance(params.get("allowed_updates"), list):
            self._allowed_updates = frozenset(params["allowed_updates"])
        if self.webhook_url is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        self._confirm(offset)
        while not self._pending and not self._closing:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            try:
                await asyncio.wait_for(self._update_event.wait(), remaining)
            except TimeoutError:
                break
            self._confirm(offset)
        return list(itertools.islice(self._pending, limit))

    async def _delete_webhook(self, params: JsonDict) -> bool:
        """deleteWebhook; drop_pending_updates forgets queued updates."""
        await self._stop_webhook()
        if params.get("drop_pending_updates") is True:
            self._pending.clear()
        return True

    async def _set_webhook(self, params: JsonDict) -> bool:
        """setWebhook: from now on every update is POSTed to `url` with the secret header."""
        url = params.get("url") or ""
        secret = params.get("secret_token")
        if not url:
            await self._stop_webhook()
            return True
        if not re.fullmatch(r"https://\S+|http://127\.0\.0\.1[:/]\S*", url):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise bad_request("secret token contains unallowed characters")
        if isinstance(params.get("allowed_updates"), list):
            self._allowed_updates = frozenset(params["allowed_updates"])
        await self._stop_webhook()
        self.webhook_url, self._webhook_secret = url, secret
        self._webhook_task = asyncio.create_task(self._post_updates())
        return True

    async def _get_webhook_info(self, params: JsonDict) -> JsonDict:
        """getWebhookInfo."""
        return {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    async def _stop_webhook(self) -> None:
        """Back to getUpdates: the POSTing task ends."""
        self.webhook_url = None
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _post_updates(self) -> None:
        """POST updates until the bot answers 200, `webhook_connections` at a time; retry
        as Telegram does."""
        headers = {"Content-Type": "application/json"}
        if self._webhook_secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self._webhook_secret
        connections = max(1, self.webhook_connections)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections)) as http:
            await asyncio.gather(*(self._post_in_turn(http, headers) for _ in range(connections)))

    async def _post_in_turn(self, http: aiohttp.ClientSession, headers: dict[str, str]) -> None:
        """One connection: the oldest update not in flight whose chat has none in flight."""
        while self.webhook_url is not None:
            update = self._next_to_post()
            if update is None:
                await self._update_event.wait()
                continue
            self._posting.add(update["update_id"])
            started = time.perf_counter()
            try:
                async with http.post(self.webhook_url, json=update, headers=headers) as answer:
                    status = answer.status
            except aiohttp.ClientError:
                status = 0  # nobody listening
            finally:
                self._posting.discard(update["update_id"])
            self.webhook_seconds.append(time.perf_counter() - started)
            self.webhook_answers.append(status)
            if status == 200:
                self._pending.remove(update)
                self.webhook_delivered.append(update)
                self.acknowledged_offset = max(self.acknowledged_offset, update["update_id"] + 1)
                self._wake_pollers()  # a chat is free again: the other connections look
            else:
                await asyncio.sleep(self.webhook_retry_seconds)

    def _next_to_post(self) -> JsonDict | None:
        """The oldest pending update neither in flight nor behind one of its chat's."""
        busy: set[object] = set()
        for update in self._pending:
            chat = _chat_of(update)
            if update["update_id"] not in self._posting and chat not in busy:
                return update
            busy.add(chat)
        return None

    async def _get_me(self, params: JsonDict) -> JsonDict:
        """getMe."""
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _harmless(self, params: JsonDict) -> bool:
        """close / logOut: nothing to do."""
        return True

    # --- messages --------------------------------------------------------------------------

    def _person_for(self, params: JsonDict) -> FakePerson:
        """The person whose chat is ``chat_id`` (400 unknown chat, 403 blocked)."""
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        person = self._people.get(chat_id) if isinstance(chat_id, int) else None
        if person is None:
            raise bad_request("chat not found")
        if person.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return person

    def _content(
        self, params: JsonDict, name: str, limit: int, *, required: bool
    ) -> tuple[str | None, str | None, str | None]:
        """Validated (visible text, raw text, parse_mode) for ``text`` or ``caption``."""
        raw = params.get(name)
        parse_mode = params.get("parse_mode") or None
        if raw is None or raw == "":
            if required:
                raise bad_request("message text is empty")
            return None, None, parse_mode
        raw = str(raw)
        visible = render(raw, parse_mode)
        if required and not visible.strip():
            raise bad_request("message text is empty")
        if len(visible) > limit:
            raise bad_request(
                "message is too long" if name == "text" else "message caption is too long"
            )
        return visible, raw, parse_mode

    def _markup(self, params: JsonDict) -> tuple[JsonDict | None, list[list[Button]]]:
        """The inline keyboard (as sent, and as Buttons); other keyboards are not shown."""
        markup = params.get("reply_markup")
        if markup is None or markup == "":
            return None, []
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        rows: list[list[Button]] = []
        for row in markup.get("inline_keyboard") or []:
            buttons: list[Button] = []
            for raw in row:
                data, url = raw.get("callback_data"), raw.get("url")
                if not raw.get("text"):
                    raise bad_request("can't parse inline keyboard button: text is empty")
                if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                    raise bad_request("BUTTON_DATA_INVALID")
                if data is None and url is None and not _OTHER_BUTTON_FIELDS & raw.keys():
                    raise bad_request(
                        "can't parse inline keyboard button: Text buttons are unallowed in the "
                        "inline keyboard"
                    )
                buttons.append(Button(raw["text"], None if data is None else str(data), url))
            rows.append(buttons)
        return (markup if rows else None), rows

    def _deliver(self, person: FakePerson, message: SentMessage) -> JsonDict:
        """Record a new bot message and return its Message object."""
        self.sent.append(message)
        person.record_sent(message)
        return message.to_api(self.bot_user, person.chat)

    async def _send_message(self, params: JsonDict) -> JsonDict:
        """sendMessage."""
        person = self._person_for(params)
        text, raw, mode = self._content(params, "text", MAX_TEXT_LENGTH, required=True)
        markup, buttons = self._markup(params)
        message = SentMessage(
            chat_id=person.chat_id,
            message_id=person.allocate_message_id(),
            text=text,
            buttons=buttons,
            raw_text=raw,
            parse_mode=mode,
            reply_markup=markup,
        )
        return self._deliver(person, message)

    async def _send_file(self, params: JsonDict, kind: str) -> JsonDict:
        """sendPhoto / sendDocument with a file_id, URL or uploaded file."""
        person = self._person_for(params)
        caption, raw, mode = self._content(params, "caption", MAX_CAPTION_LENGTH, required=False)
        markup, buttons = self._markup(params)
        source = params.get(kind)
        if source is None or source == "":
            raise bad_request(f"there is no {kind} in the request")
        upload = source if isinstance(source, UploadedFile) else None
        document = kind == "document"
        message = SentMessage(
            chat_id=person.chat_id,
            message_id=person.allocate_message_id(),
            text=caption,
            buttons=buttons,
            kind=kind,
            raw_text=raw,
            parse_mode=mode,
            reply_markup=markup,
            file_id=new_file_id(kind) if upload else str(source),
            file_name=(upload.filename if upload else "document") if document else None,
            mime_type=(upload.content_type if upload else "application/pdf") if document else None,
            upload=upload,
        )
        return self._deliver(person, message)

    async def _send_photo(self, params: JsonDict) -> JsonDict:
        """sendPhoto."""
        return await self._send_file(params, "photo")

    async def _send_document(self, params: JsonDict) -> JsonDict:
        """sendDocument."""
        return await self._send_file(params, "document")

    def _editable(self, params: JsonDict) -> tuple[FakePerson, SentMessage]:
        """The person and bot message addressed by chat_id + message_id."""
        if "inline_message_id" in params and "chat_id" not in params:
            raise bad_request("MESSAGE_ID_INVALID")
        person = self._person_for(params)
        message_id = params.get("message_id")
        message = person.message(message_id) if isinstance(message_id, int) else None
        if message is None:
            if message_id in person.own_message_ids:
                raise bad_request("message can't be edited")
            raise bad_request("message to edit not found")
        return person, message

    def _apply_edit(self, person: FakePerson, message: SentMessage, changes: JsonDict) -> JsonDict:
        """Change ``message`` in place, keeping its previous state in ``history``."""
        message.history.append((message.text, message.buttons))
        for name, value in changes.items():
            setattr(message, name, value)
        message.edited = True
        message.edit_date = now()
        person.record_edit(message)
        return message.to_api(self.bot_user, person.chat)

    async def _edit_message_text(self, params: JsonDict) -> JsonDict:
        """editMessageText; like Telegram, omitting reply_markup removes the keyboard."""
        person, message = self._editable(params)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        text, raw, mode = self._content(params, "text", MAX_TEXT_LENGTH, required=True)
        markup, buttons = self._markup(params)
        if (text, raw, markup) == (message.text, message.raw_text, message.reply_markup):
            raise bad_request(NOT_MODIFIED)
        changes = {"text": text, "raw_text": raw, "parse_mode": mode}
        return self._apply_edit(
            person, message, {**changes, "reply_markup": markup, "buttons": buttons}
        )

    async def _edit_message_reply_markup(self, params: JsonDict) -> JsonDict:
        """editMessageReplyMarkup; omitting reply_markup removes the keyboard."""
        person, message = self._editable(params)
        markup, buttons = self._markup(params)
        if markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED)
        return self._apply_edit(person, message, {"reply_markup": markup, "buttons": buttons})

    async def _answer_callback_query(self, params: JsonDict) -> bool:
        """answerCallbackQuery; each query can be answered once."""
        person = self._queries.pop(str(params.get("callback_query_id", "")), None)
        if person is None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        if len(str(params.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        person.callback_answers.append(params)
        return True

    async def _send_chat_action(self, params: JsonDict) -> bool:
        """sendChatAction."""
        self._person_for(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    # --- commands --------------------------------------------------------------------------

    def _command_store(self, params: JsonDict) -> tuple[dict[Any, list[JsonDict]], Any]:
        """Where the command list for this scope + language lives, and its key.

        Like Telegram, a chat's scope names a chat the bot knows (400 "chat not found").
        """
        language = str(params.get("language_code") or "")
        scope = params.get("scope")
        if not scope or (isinstance(scope, dict) and scope.get("type") == "default"):
            return self.commands, language
        if isinstance(scope, dict) and scope.get("type") == "chat":
            self._person_for({"chat_id": scope.get("chat_id")})
        return self.scoped_commands, (json.dumps(scope, sort_keys=True), language)

    def menu_of(self, chat_id: int | None = None, language: str = "") -> list[str] | None:
        """The command names set for one chat's scope (None: the default scope) and one
        language code, as stored; None when nothing is set there."""
        if chat_id is None:
            found = self.commands.get(language)
        else:
            scope = json.dumps({"chat_id": chat_id, "type": "chat"}, sort_keys=True)
            found = self.scoped_commands.get((scope, language))
        return None if found is None else [entry["command"] for entry in found]

    def menu_seen(self, person: FakePerson) -> list[JsonDict]:
        """The menu Telegram shows this person in their private chat: the first set of the
        chat's scope in their app's language, the chat's scope, then the default scope in
        their language and the default scope (Telegram's documented order)."""
        chat = json.dumps({"chat_id": person.chat_id, "type": "chat"}, sort_keys=True)
        language = person.language_code or ""
        for store, key in (
            (self.scoped_commands, (chat, language)),
            (self.scoped_commands, (chat, "")),
            (self.commands, language),
            (self.commands, ""),
        ):
            if key in store:
                return list(store[key])
        return []

    async def _set_my_commands(self, params: JsonDict) -> bool:
        """setMyCommands (validated like Telegram)."""
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        cleaned: list[JsonDict] = []
        for entry in commands:
            command = str(entry.get("command", "")).removeprefix("/")
            description = str(entry.get("description", ""))
            if not _COMMAND.fullmatch(command):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": command, "description": description})
        store, key = self._command_store(params)
        store[key] = cleaned
        return True

    async def _get_my_commands(self, params: JsonDict) -> list[JsonDict]:
        """getMyCommands."""
        store, key = self._command_store(params)
        return store.get(key, [])

    async def _delete_my_commands(self, params: JsonDict) -> bool:
        """deleteMyCommands."""
        store, key = self._command_store(params)
        store.pop(key, None)
        return True


def _chat_of(update: JsonDict) -> object:
    """Whose update it is (a message's chat, a button press's person)."""
    if "message" in update:
        return update["message"]["chat"]["id"]
    if "callback_query" in update:
        return update["callback_query"]["from"]["id"]
    return update["update_id"]
