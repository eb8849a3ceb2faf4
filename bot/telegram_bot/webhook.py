"""Telegram's webhook inside the web application: the secret, parsing, the update queue.

The web application (`bot.web`) owns the HTTP side: it asks `WebhookReceiver.authorized` before it
reads a byte of the body, caps the body at `MAX_UPDATE_BYTES`, then hands it to `receive`. Here the
body becomes a python-telegram-bot `Update` on the application's update queue, as in
python-telegram-bot's "custom webhook bot" example, and `serve_webhook` runs the `Application`
(initialize, start, stop, shutdown) around the web server.

A body that cannot be parsed is answered all the same (Telegram would otherwise send it again and
again), counted in `BotData.unreadable_updates` and logged in one bounded line with its update id
and the reason, never its content; a burst of them is rate-limited in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from telegram import Update

from bot.config import Settings
from bot.staff.holder import IndexHolder
from bot.staff.recorder import Recorder
from bot.telegram_bot.app import ALLOWED_UPDATES, build_application
from bot.telegram_bot.context import BotApplication
from bot.telegram_bot.serve import BotApiUnreachable, TokenRefused, bot_api_errors

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
"""The header in which Telegram repeats the secret given to setWebhook."""
MAX_UPDATE_BYTES = 256 * 1024
"""Telegram's updates weigh a few KB (a 4,096-character message and its entities); 256 KB is
ample, and bounds what anyone can make the bot read."""
SKIP_LOG_INTERVAL = 10.0
"""Seconds between two log lines about skipped updates; the ones in between are counted."""
RETRY_SECONDS = 60.0
"""Seconds between two attempts to start the Telegram side while the Bot API cannot be reached
(each attempt retries its calls for about a minute itself)."""
MAX_REASON = 120
"""Characters of the reason in a log line: an exception name and where it was raised."""


def webhook_secret(settings: Settings) -> str:
    """WEBHOOK_SECRET, or a value derived from the token: the same in every instance."""
    if settings.webhook_secret:
        return settings.webhook_secret
    return hashlib.sha256(f"eig-bot webhook:{settings.require_token()}".encode()).hexdigest()


def carries(secret: str | None, expected: bytes) -> bool:
    """Whether a request's secret header is `expected` (compared in constant time)."""
    return secret is not None and hmac.compare_digest(secret.encode(), expected)


def failure_reason(error: BaseException) -> str:
    """'TypeError in Message.de_json': the exception's name and innermost function, no values."""
    where = ""
    trace: TracebackType | None = error.__traceback__
    while trace is not None:
        where = trace.tb_frame.f_code.co_qualname
        trace = trace.tb_next
    reason = type(error).__name__ + (f" in {where}" if where else "")
    return reason[:MAX_REASON]


def update_id_of(data: object) -> int | None:
    """The update id of a decoded body, when it has a numeric one."""
    if isinstance(data, dict):
        update_id = data.get("update_id")
        if isinstance(update_id, int) and not isinstance(update_id, bool):
            return update_id
    return None


class SkipLog:
    """Logs skipped updates: one line each, at most one per `interval` (the rest are counted)."""

    def __init__(
        self, interval: float = SKIP_LOG_INTERVAL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._last: float | None = None
        self._held = 0

    def skipped(self, update_id: int | None, reason: str) -> None:
        now = self._clock()
        if self._last is not None and now - self._last < self.interval:
            self._held += 1
            return
        held, self._held, self._last = self._held, 0, now
        logger.warning(
            "Skipped an update that cannot be parsed: update %s, %s%s",
            update_id if update_id is not None else "without id",
            reason,
            f" ({held} more skipped since the previous line)" if held else "",
        )


class WebhookReceiver:
    """Turns webhook bodies into updates on the application's queue."""

    secret_header = SECRET_HEADER
    max_bytes = MAX_UPDATE_BYTES
    ready = True

    def __init__(
        self, application: BotApplication, secret: str, path: str, skips: SkipLog | None = None
    ) -> None:
        self.application = application
        self.path = path
        self._secret = secret.encode()
        self._skips = skips or SkipLog()

    def authorized(self, secret: str | None) -> bool:
        """Whether the request carries Telegram's secret (compared in constant time)."""
        return carries(secret, self._secret)

    async def receive(self, body: bytes) -> None:
        """Queue the update in `body`; skip (count and log) one that cannot be parsed."""
        data: object = None
        try:
            data = json.loads(body)
            if not isinstance(data, dict):
                raise TypeError("an update is a JSON object")
            update = Update.de_json(data, self.application.bot)
        except Exception as error:  # whatever python-telegram-bot cannot read is skipped, once
            self.application.bot_data.unreadable_updates += 1
            self._skips.skipped(update_id_of(data), failure_reason(error))
            return
        self.application.bot.insert_callback_data(update)
        await self.application.update_queue.put(update)


@asynccontextmanager
async def serve_webhook(
    settings: Settings,
    holder: IndexHolder,
    *,
    recorder: Recorder | None,
    knowledge_dir: Path,
    started: Callable[[WebhookReceiver], None] | None = None,
) -> AsyncIterator[WebhookReceiver]:
    """Run the Telegram application while the web server runs: WEBHOOK_URL is declared to
    Telegram with its secret; every handler, job and the command menu work as in polling mode.

    `started` gets the receiver once the application runs, before Telegram is told the URL: the
    first update Telegram sends finds it ready."""
    if not settings.webhook_url:
        raise ValueError("serve_webhook needs WEBHOOK_URL")
    secret = webhook_secret(settings)
    application = build_application(
        settings, holder, recorder=recorder, knowledge_dir=knowledge_dir
    )
    with bot_api_errors(settings):
        await application.initialize()
    try:
        with bot_api_errors(settings):
            if application.post_init is not None:
                await application.post_init(application)
        await application.start()
        try:
            receiver = WebhookReceiver(
                application, secret, urlsplit(settings.webhook_url).path or "/"
            )
            if started is not None:
                started(receiver)
            with bot_api_errors(settings):
                await application.bot.set_webhook(
                    settings.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
                )
            logger.info("Telegram webhook declared; updates are served with the web chat")
            yield receiver
        finally:
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


class WebhookChannel:
    """Telegram's route in the web application, whatever the state of the Telegram side: the
    secret is checked at once; updates go to the application once it runs, and until then get
    503, which Telegram sends again later (see `serve_webhook_channel`)."""

    secret_header = SECRET_HEADER
    max_bytes = MAX_UPDATE_BYTES

    def __init__(self, secret: str, path: str) -> None:
        self.path = path
        self._secret = secret.encode()
        self.receiver: WebhookReceiver | None = None
        """The running application's receiver; None while it is not running."""

    @property
    def ready(self) -> bool:
        return self.receiver is not None

    def authorized(self, secret: str | None) -> bool:
        """Whether the request carries Telegram's secret (compared in constant time)."""
        return carries(secret, self._secret)

    async def receive(self, body: bytes) -> None:
        if self.receiver is None:
            raise RuntimeError("the Telegram application is not running")
        await self.receiver.receive(body)


@asynccontextmanager
async def serve_webhook_channel(
    settings: Settings,
    holder: IndexHolder,
    *,
    recorder: Recorder | None,
    knowledge_dir: Path,
    retry_seconds: float = RETRY_SECONDS,
) -> AsyncIterator[WebhookChannel]:
    """`serve_webhook` in the background: the web chat is served at once, whatever Telegram does.
    A Bot API that cannot be reached is tried again every `retry_seconds`; a token Telegram
    refuses is logged once (trying again would change nothing) and the web chat goes on alone."""
    path = urlsplit(settings.webhook_url or "").path or "/"
    channel = WebhookChannel(webhook_secret(settings), path)

    def ready(receiver: WebhookReceiver) -> None:
        channel.receiver = receiver

    async def keep_up() -> None:
        while True:
            try:
                async with serve_webhook(
                    settings, holder, recorder=recorder, knowledge_dir=knowledge_dir, started=ready
                ):
                    await asyncio.Future()  # until the web server stops (cancelled)
            except TokenRefused as error:
                logger.error("Telegram is not served, the web chat is: %s", error)
                return
            except BotApiUnreachable:
                logger.error("Telegram is not served yet; next attempt in %.0f s", retry_seconds)
            except Exception:
                logger.exception("Telegram stopped; next attempt in %.0f s", retry_seconds)
            finally:
                channel.receiver = None
            await asyncio.sleep(retry_seconds)

    task = asyncio.create_task(keep_up())
    try:
        yield channel
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
