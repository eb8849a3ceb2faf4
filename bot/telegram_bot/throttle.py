"""Keep every Bot API call within Telegram's flood limits; retry it when it fails in passing.

Python-telegram-bot sends every request except `getUpdates` through the bot's rate limiter, so
this is the one place where limits and retries apply, whichever handler made the call:

- `AIORateLimiter`: 30 messages/s in all, 20/min per group, and `RetryAfter` (HTTP 429) honoured
  by waiting the time Telegram asks for, up to `RETRY_AFTER_TRIES` times;
- a per-chat limit of about one message per second (short bursts allowed), as Telegram asks;
- transient failures (HTTP 5xx, time-outs, network errors) retried with exponential backoff, a
  bounded number of times. Permanent refusals (400 bad request, 403 bot blocked, 401 token) are
  raised at once: retrying cannot change the answer. The error handler logs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

logger = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]

RETRY_AFTER_TRIES = 3
"""How many times a request refused with 429 is sent again after the wait Telegram asks for."""


def is_transient(error: BaseException) -> bool:
    """Whether sending the same request again may succeed (5xx, time-out, network failure)."""
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


class Throttle(AIORateLimiter):
    """`AIORateLimiter` with a per-chat limit and bounded retries of transient failures."""

    MAX_CHATS = 512
    """Above this many per-chat limiters, drop the idle ones."""

    def __init__(
        self,
        *,
        attempts: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        chat_rate: float = 1.0,
        chat_burst: int = 3,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(
            overall_max_rate=30,
            overall_time_period=1,
            group_max_rate=20,
            group_time_period=60,
            max_retries=RETRY_AFTER_TRIES,
        )
        self.attempts = attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._chat_rate = chat_rate
        self._chat_burst = chat_burst
        self._chat_limiters: dict[str, AsyncLimiter] = {}
        self._sleep = sleep

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        """Send one request within the limits; retry it while it fails for a transient reason."""
        for attempt in range(1, self.attempts + 1):
            try:
                async with self._chat_limiter(data.get("chat_id")):
                    return await super().process_request(
                        callback, args, kwargs, endpoint, data, rate_limit_args
                    )
            except NetworkError as error:
                if not is_transient(error) or attempt == self.attempts:
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
                await self._sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _chat_limiter(self, chat_id: object) -> contextlib.AbstractAsyncContextManager[Any]:
        if chat_id is None or not self._chat_rate:
            return contextlib.nullcontext()
        key = str(chat_id)
        if key not in self._chat_limiters:
            if len(self._chat_limiters) >= self.MAX_CHATS:
                for idle in [
                    k for k, lim in self._chat_limiters.items() if lim.has_capacity(lim.max_rate)
                ]:
                    del self._chat_limiters[idle]
            self._chat_limiters[key] = AsyncLimiter(
                self._chat_burst, self._chat_burst / self._chat_rate
            )
        return self._chat_limiters[key]


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
