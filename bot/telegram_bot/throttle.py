"""Keep every Bot API call within Telegram's flood limits; retry it when that cannot duplicate it.

Python-telegram-bot sends every request except `getUpdates` through the bot's rate limiter, so
this is the one place where limits and retries apply, whichever handler made the call:

- limits: 30 messages/s in all, 20/min per group, about one message per second per chat (short
  bursts allowed), as Telegram asks;
- HTTP 429: every request waits the `retry_after` Telegram gives (all of them: the limit is the
  bot's), then is sent again, for up to `MAX_RETRY_AFTER` seconds in all; the user then gets the
  real answer, late, rather than an apology;
- failures that Telegram surely did not act on are retried with exponential backoff for about 45
  seconds (`RETRY_ATTEMPTS`): HTTP 5xx, a refused connection, a connection dropped without an
  answer, a connection that could not be had from the pool;
- a request that was sent but got no answer in time (read time-out) is **not** sent again:
  Telegram may have delivered it, and a user would get the answer twice. Permanent refusals (400,
  403, 401) are raised at once: retrying cannot change the answer. The error handler logs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

import httpx
from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

logger = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]

RETRY_ATTEMPTS = 10
"""Sends of a request that fails in passing: with a backoff of 0.5, 1, 2, 4 then 8 s, the last
try comes about 45 s after the first, longer than a typical Telegram or network hiccup."""
MAX_RETRY_AFTER = 120.0
"""Seconds a request may wait in all on HTTP 429 before it fails (Telegram asks for seconds,
rarely more than a minute)."""
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Transport failures before the request left: it surely did not reach Telegram."""
DROPPED = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
"""The connection broke without an answer (a proxy restarting, a stale keep-alive connection)."""


def is_transient(error: BaseException) -> bool:
    """Whether sending the same request again may succeed without risk of a duplicate."""
    if isinstance(error, BadRequest) or not isinstance(error, NetworkError):
        return False
    cause = error.__cause__
    if isinstance(error, TimedOut):
        return isinstance(cause, NOT_SENT)  # a read time-out: Telegram may have acted on it
    if isinstance(cause, httpx.HTTPError):
        return isinstance(cause, NOT_SENT + DROPPED)
    # No transport error: Telegram answered with an error status (5xx, or a 429 without delay).
    return "Unknown error in HTTP implementation" not in error.message


def _seconds(period: int | float | timedelta) -> float:
    return period.total_seconds() if isinstance(period, timedelta) else float(period)


class Throttle(BaseRateLimiter[int]):
    """Telegram's flood limits, `retry_after` honoured, safe retries; see the module."""

    MAX_CHATS = 512
    """Above this many per-chat limiters, drop the idle ones."""

    def __init__(
        self,
        *,
        attempts: int = RETRY_ATTEMPTS,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        max_retry_after: float = MAX_RETRY_AFTER,
        chat_rate: float = 1.0,
        chat_burst: int = 3,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.attempts = attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self._overall = AsyncLimiter(30, 1)
        self._groups: dict[str, AsyncLimiter] = {}
        self._chat_rate = chat_rate
        self._chat_burst = chat_burst
        self._chat_limiters: dict[str, AsyncLimiter] = {}
        self._sleep = sleep
        self._clock = clock
        self._resume_at = 0.0  # after a 429, no request leaves before this time

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        """Send one request within the limits; send it again while that is safe and useful."""
        attempt, waited = 1, 0.0
        while True:
            await self._wait_for_resume()
            try:
                async with self._limits(data.get("chat_id")):
                    return await callback(*args, **kwargs)
            except RetryAfter as error:
                wait = _seconds(error.retry_after)
                if waited + wait > self.max_retry_after:
                    raise
                waited += wait
                self._resume_at = max(self._resume_at, self._clock() + wait)
                logger.info("%s: Telegram asks to wait %.0f s (HTTP 429); waiting", endpoint, wait)
            except NetworkError as error:
                if not is_transient(error) or attempt >= self.attempts:
                    raise
                delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
                logger.warning(
                    "%s failed (%s: %s); retry %d of %d in %.1f s",
                    endpoint,
                    type(error).__name__,
                    error.message,
                    attempt,
                    self.attempts - 1,
                    delay,
                )
                attempt += 1
                await self._sleep(delay)

    async def _wait_for_resume(self) -> None:
        while (left := self._resume_at - self._clock()) > 0:
            await self._sleep(left)

    @contextlib.asynccontextmanager
    async def _limits(self, chat_id: object) -> AsyncIterator[None]:
        """Pass the limiters of one request: its chat's, its group's, then the overall one
        (the narrowest first, so that a request waiting for its chat holds no overall slot)."""
        async with contextlib.AsyncExitStack() as stack:
            if chat_id is not None:
                key = str(chat_id)
                if self._chat_rate:
                    await stack.enter_async_context(
                        self._limiter(
                            self._chat_limiters,
                            key,
                            self._chat_burst,
                            self._chat_burst / self._chat_rate,
                        )
                    )
                if key.startswith("-") or not key.isdigit():  # a group, or a @channel name
                    await stack.enter_async_context(self._limiter(self._groups, key, 20, 60))
                await stack.enter_async_context(self._overall)
            yield

    def _limiter(
        self, limiters: dict[str, AsyncLimiter], key: str, rate: float, period: float
    ) -> AsyncLimiter:
        """The limiter of one chat or group; idle ones go once there are `MAX_CHATS`."""
        if key not in limiters:
            if len(limiters) >= self.MAX_CHATS:
                for idle in [k for k, lim in limiters.items() if lim.has_capacity(lim.max_rate)]:
                    del limiters[idle]
            limiters[key] = AsyncLimiter(rate, period)
        return limiters[key]


class NoLimits(Throttle):
    """The rate limiter switched off, for the benchmark: every request goes through at once."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        return await callback(*args, **kwargs)
