"""A fake Telegram Bot API that refuses what Telegram refuses, and the updates to feed it.

`FakeBotApi` holds the behaviour: it records every call, serves `getUpdates` from a queue, answers
`sendMessage` and friends with real-looking objects, injects faults on demand, and rejects invalid
HTML, unsupported tags, empty or over-long text and over-long callback data with Telegram's 400.
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
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

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
DROPPED = 0
"""A fault status: the connection closes without an answer (a time-out for the client)."""


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


@dataclass
class _Fault:
    status: int
    retry_after: int | None = None
    description: str = ""


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
        self._faults: dict[str, deque[_Fault]] = {}
        self._changed = threading.Condition()

    # -- test side ----------------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates; returns it with its update_id."""
        with self._changed:
            update = {"update_id": next(self._update_ids), **update}
            self._updates.append(update)
            self._changed.notify_all()
        return update

    def fail_next(
        self, method: str, status: int, *, retry_after: int | None = None, description: str = ""
    ) -> None:
        """The next call of `method` fails with `status` (DROPPED: no answer at all)."""
        with self._changed:
            self._faults.setdefault(method, deque()).append(
                _Fault(status, retry_after, description)
            )

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

    def handle(self, token: str, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer one request: (HTTP status, JSON body)."""
        params = {key: _decode(value) for key, value in params.items()}
        if token != self.token:
            return self._record(
                method, params, HTTPStatus.UNAUTHORIZED, error="Unauthorized", result=None
            )
        with self._changed:
            faults = self._faults.get(method)
            fault = faults.popleft() if faults else None
        if fault is not None:
            return self._fault(method, params, fault)
        if method == "getUpdates":
            result: Any = self._get_updates(params)
            return self._record(method, params, HTTPStatus.OK, result=result)
        try:
            result = self._answer(method, params)
        except BadRequest as refused:
            return self._record(method, params, HTTPStatus.BAD_REQUEST, error=str(refused))
        except KeyError:
            return self._record(method, params, HTTPStatus.NOT_FOUND, error="Not Found")
        return self._record(method, params, HTTPStatus.OK, result=result)

    def _fault(self, method: str, params: dict[str, Any], fault: _Fault) -> tuple[int, Any]:
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
        wait = min(float(params.get("timeout") or 0), LONG_POLL_CAP)
        deadline = time.monotonic() + wait
        with self._changed:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
            return list(self._updates[:100])

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
        status, body = self.api.handle(token, endpoint, params)
        if status == DROPPED:
            raise TimedOut("fake: the connection was dropped")
        return status, json.dumps(body).encode()


def _route(path: str) -> tuple[str, str]:
    """("<token>", "<method>") from "/bot<token>/<method>"."""
    match = re.fullmatch(r".*/bot([^/]+)/(\w+)", path)
    return (match.group(1), match.group(2)) if match else ("", "")


# -- reached over loopback HTTP ---------------------------------------------------------------


class FakeBotApiServer:
    """`FakeBotApi` behind http://127.0.0.1:<free port>, served from a background thread."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        handler = type("Handler", (_Handler,), {"api": api})
        self._server = _QuietServer(("127.0.0.1", 0), handler)
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
        status, answer = self.api.handle(token, method, params)
        if status == DROPPED:
            self.close_connection = True
            return
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
