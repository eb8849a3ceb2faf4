"""A fake Telegram Bot API that refuses what Telegram refuses, and the updates to feed it.

`FakeBotApi` holds the behaviour: it records every call, serves `getUpdates` from a queue (an
update stays there until a later call's `offset` acknowledges it, as on Telegram), answers
`sendMessage` and friends with real-looking objects, injects faults on demand (an error status, a
dropped connection, an answer that never comes in time, 429 with `retry_after`, for one call or
for a period), and rejects invalid HTML, unsupported tags, empty or over-long text and over-long
callback data with Telegram's 400.
It is reached two ways:

- `FakeRequest`, a python-telegram-bot `BaseRequest`, for in-process handler tests;
- `FakeBotApiServer`, a loopback HTTP server (standard library), for the end-to-end tests that
  run `python -m bot run` with `TELEGRAM_API_URL` pointing at it.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.testing.faults import DROPPED, HANG, Fault, Faults
from bot.testing.telegram_rules import (
    MAX_ANSWER_CALLBACK_TEXT,
    MAX_TEXT,
    BadRequest,
    check_markup,
    check_text,
    keyboard_buttons,
)
from bot.testing.updates import (
    BOT_ID,
    BOT_USER,
    BOT_USERNAME,
    GROUP_ID,
    TOKEN,
    USER_ID,
    USER_NAME,
    bot_message,
    callback,
    chat,
    document,
    inline_query,
    location,
    message,
    photo,
    sticker,
    user,
    voice,
)

__all__ = [
    "BOT_ID",
    "BOT_USER",
    "BOT_USERNAME",
    "DROPPED",
    "GROUP_ID",
    "HANG",
    "MAX_TEXT",
    "TOKEN",
    "USER_ID",
    "USER_NAME",
    "BadRequest",
    "Call",
    "FakeBotApi",
    "FakeBotApiServer",
    "FakeRequest",
    "bot_message",
    "callback",
    "chat",
    "check_text",
    "document",
    "inline_query",
    "keyboard_buttons",
    "location",
    "message",
    "photo",
    "sticker",
    "user",
    "voice",
]

LONG_POLL_CAP = 0.5
"""getUpdates waits at most this long, whatever timeout the bot asks for, so shutdown is quick."""


@dataclass
class Call:
    """One request the bot made, what the fake answered, and when."""

    method: str
    params: dict[str, Any]
    status: int
    result: Any = None
    error: str | None = None
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return self.status == HTTPStatus.OK

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data) of the inline keyboard, row by row."""
        return keyboard_buttons(self.params.get("reply_markup"))


# -- the fake ---------------------------------------------------------------------------------


class FakeBotApi:
    """The Bot API's behaviour, thread-safe: the HTTP server calls it from its threads."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.commands: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self.faults = Faults()
        self._changed = threading.Condition()
        self.deliveries: Counter[int] = Counter()
        """How many times each update id was returned by getUpdates."""

    # -- test side ----------------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates; returns it with its update_id."""
        with self._changed:
            update = {"update_id": next(self._update_ids), **update}
            self._updates.append(update)
            self._changed.notify_all()
        return update

    def push_many(self, updates: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Queue several updates at once; returns them with their update_id."""
        with self._changed:
            queued = [{"update_id": next(self._update_ids), **u} for u in updates]
            self._updates.extend(queued)
            self._changed.notify_all()
        return queued

    def fail_next(
        self,
        method: str,
        status: int,
        *,
        retry_after: int | None = None,
        description: str = "",
        hang: float = 0.0,
    ) -> None:
        """The next call of `method` fails with `status` (DROPPED: no answer at all; HANG: done,
        but answered only after `hang` seconds)."""
        self.faults.fail_next(method, Fault(status, retry_after, description, hang))

    def fail_for(self, method: str, seconds: float, statuses: Sequence[int]) -> None:
        """Every call of `method` in the next `seconds` fails, with each of `statuses` in turn."""
        self.faults.fail_for(method, seconds, statuses)

    def flood(self, method: str, retry_after: int) -> None:
        """Telegram's flood control: every call of `method` in the next `retry_after` seconds
        gets 429 with the seconds left as `retry_after`."""
        self.faults.flood(method, retry_after)

    def mark(self) -> int:
        """A position in the call log, for `calls_since` and `wait_for`."""
        with self._changed:
            return len(self.calls)

    def calls_since(self, mark: int, method: str | None = None) -> list[Call]:
        with self._changed:
            return [c for c in self.calls[mark:] if method is None or c.method == method]

    def wait_for(
        self,
        method: str,
        *,
        after: int = 0,
        where: Callable[[Call], bool] = lambda call: True,
        ok: bool = True,
        timeout: float = 10.0,
    ) -> Call:
        """The first call of `method` after `after` that matches; AssertionError after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for call in self.calls[after:]:
                    if call.method == method and call.ok == ok and where(call):
                        return call
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.method, c.status) for c in self.calls[after:]]
                    raise AssertionError(f"no {method} call within {timeout} s; calls: {seen}")
                self._changed.wait(left)

    def sent_messages(self, after: int = 0) -> list[Call]:
        return [c for c in self.calls_since(after, "sendMessage") if c.ok]

    # -- bot side -----------------------------------------------------------------------------

    def handle(
        self, token: str, method: str, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any], float]:
        """Answer one request: (HTTP status, JSON body, seconds to wait before answering)."""
        params = {key: _decode(value) for key, value in params.items()}
        if token != self.token:
            status, body = self._record(
                method, params, HTTPStatus.UNAUTHORIZED, error="Unauthorized", result=None
            )
            return status, body, 0.0
        fault = self.faults.next(method)
        if fault is not None and fault.status != HANG:
            return (*self._fault(method, params, fault), 0.0)
        delay = fault.hang if fault is not None else 0.0
        if method == "getUpdates":
            result: Any = self._get_updates(params)
            return (*self._record(method, params, HTTPStatus.OK, result=result), delay)
        try:
            result = self._answer(method, params)
        except BadRequest as refused:
            status, body = self._record(method, params, HTTPStatus.BAD_REQUEST, error=str(refused))
            return status, body, delay
        except KeyError:
            return (*self._record(method, params, HTTPStatus.NOT_FOUND, error="Not Found"), delay)
        return (*self._record(method, params, HTTPStatus.OK, result=result), delay)

    def _fault(self, method: str, params: dict[str, Any], fault: Fault) -> tuple[int, Any]:
        if fault.status == DROPPED:
            self._record(method, params, DROPPED, error="connection dropped")
            return DROPPED, {}
        description = fault.description or HTTPStatus(fault.status).phrase
        status, body = self._record(method, params, fault.status, error=description)
        if fault.retry_after is not None:
            body["parameters"] = {"retry_after": fault.retry_after}
        return status, body

    def _record(
        self,
        method: str,
        params: dict[str, Any],
        status: int,
        *,
        result: Any = None,
        error: Any = None,
    ) -> tuple[int, dict[str, Any]]:
        with self._changed:
            self.calls.append(Call(method, params, status, result, error))
            self._changed.notify_all()
        if status == HTTPStatus.OK:
            return status, {"ok": True, "result": result}
        return status, {"ok": False, "error_code": status, "description": error}

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = min(100, max(1, int(params.get("limit") or 100)))
        wait = min(float(params.get("timeout") or 0), LONG_POLL_CAP)
        deadline = time.monotonic() + wait
        with self._changed:
            if offset:  # Telegram forgets what an offset acknowledges
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
            sent = list(self._updates[:limit])
            self.deliveries.update(u["update_id"] for u in sent)
            return sent

    def pending_updates(self) -> int:
        """Updates not acknowledged yet."""
        with self._changed:
            return len(self._updates)

    def _answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in {"deleteWebhook", "close", "logOut"}:
            self.webhook = {}
            return True
        if method == "setWebhook":
            if not str(params.get("url", "")).startswith("https://"):
                raise BadRequest("Bad Request: bad webhook: An HTTPS URL must be provided")
            self.webhook = params
            return True
        if method == "getWebhookInfo":
            return {
                "url": self.webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": 0,
            }
        if method == "setMyCommands":
            for command in params["commands"]:
                if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]):
                    raise BadRequest("Bad Request: BOT_COMMAND_INVALID")
                if not 1 <= len(command["description"]) <= 256:
                    raise BadRequest("Bad Request: command description is invalid")
            self.commands = params["commands"]
            return True
        if method == "getMyCommands":
            return self.commands
        if method == "sendMessage":
            visible = check_text(params.get("text"), params.get("parse_mode"))
            check_markup(params.get("reply_markup"))
            return self._message(int(params["chat_id"]), visible, params.get("reply_markup"))
        if method == "editMessageText":
            visible = check_text(params.get("text"), params.get("parse_mode"))
            check_markup(params.get("reply_markup"))
            if params.get("inline_message_id"):
                return True
            return self._message(int(params["chat_id"]), visible, params.get("reply_markup"))
        if method == "answerCallbackQuery":
            if len(str(params.get("text") or "")) > MAX_ANSWER_CALLBACK_TEXT:
                raise BadRequest("Bad Request: MESSAGE_TOO_LONG")
            return True
        if method == "answerInlineQuery":
            results = params["results"]
            if len(results) > 50:
                raise BadRequest("Bad Request: RESULTS_TOO_MUCH")
            if len({r["id"] for r in results}) != len(results):
                raise BadRequest("Bad Request: RESULT_ID_DUPLICATE")
            for result in results:
                if not 1 <= len(result["id"].encode()) <= 64:
                    raise BadRequest("Bad Request: RESULT_ID_INVALID")
                content = result["input_message_content"]
                check_text(content.get("message_text"), content.get("parse_mode"))
                check_markup(result.get("reply_markup"))
            return True
        raise KeyError(method)

    def _message(self, chat_id: int, text: str, markup: Any) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat(chat_id),
            "from": BOT_USER,
            "text": text,
        }
        if markup:
            message["reply_markup"] = markup
        return message


def _decode(value: Any) -> Any:
    """Form fields carry JSON for objects and arrays; everything else stays a string."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


# -- reached in-process ---------------------------------------------------------------------


class FakeRequest(BaseRequest):
    """A `BaseRequest` that hands every call to a `FakeBotApi`: no network."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        token, endpoint = _route(urllib.parse.urlsplit(url).path)
        params = dict(request_data.json_parameters) if request_data else {}
        status, body, delay = self.api.handle(token, endpoint, params)
        # What python-telegram-bot's HTTPXRequest raises for the same faults.
        if status == DROPPED:
            dropped = httpx.RemoteProtocolError("Server disconnected without sending a response.")
            raise NetworkError(f"httpx.RemoteProtocolError: {dropped}") from dropped
        if delay > 0:  # the answer comes after any read time-out the tests use
            raise TimedOut from httpx.ReadTimeout("fake: no answer in time")
        return status, json.dumps(body).encode()


def _route(path: str) -> tuple[str, str]:
    """("<token>", "<method>") from "/bot<token>/<method>"."""
    match = re.fullmatch(r".*/bot([^/]+)/(\w+)", path)
    return (match.group(1), match.group(2)) if match else ("", "")


# -- reached over loopback HTTP ---------------------------------------------------------------


class FakeBotApiServer:
    """`FakeBotApi` behind http://127.0.0.1:<port> (a free one by default), served from a
    background thread."""

    def __init__(self, api: FakeBotApi, port: int = 0) -> None:
        self.api = api
        handler = type("Handler", (_Handler,), {"api": api})
        self._server = _QuietServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeBotApiServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up (the bot stopping mid-request) is not an error here."""


class _Handler(BaseHTTPRequestHandler):
    api: FakeBotApi
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve(urllib.parse.urlsplit(self.path).query.encode(), "")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._serve(self.rfile.read(length), self.headers.get("Content-Type") or "")

    def _serve(self, body: bytes, content_type: str) -> None:
        if content_type.startswith("application/json"):
            params = json.loads(body or b"{}")
        else:
            params = {k: v[-1] for k, v in urllib.parse.parse_qs(body.decode()).items()}
        token, method = _route(urllib.parse.urlsplit(self.path).path)
        status, answer, delay = self.api.handle(token, method, params)
        if status == DROPPED:
            self.close_connection = True
            return
        if delay:
            time.sleep(delay)  # this request's own thread: other calls are answered meanwhile
        payload = json.dumps(answer).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the bot stopped waiting (shutdown during a long poll)

    def log_message(self, format: str, *args: Any) -> None:
        return None
