"""Long polling that acknowledges an update only once it is handled, and stops within seconds.

python-telegram-bot's `run_polling` acknowledges every fetched update at the next `getUpdates`,
before handling it, and parses a whole batch at once: a crash (`kill -9`) loses every update
fetched but not yet answered, and one update it cannot parse fails its batch again and again, so
that nobody is answered any more. This loop instead:

- keeps at most `window` updates in flight (the application's concurrency) and passes Telegram,
  as `offset`, the id after the last update *handled* whose predecessors are all handled too: a
  crash loses no update; those in flight are fetched again at restart (a few answers may then be
  sent twice, none is lost);
- polls again as soon as an update is handled, at most every `POLL_SPACING` seconds, so that the
  acknowledgement follows the handling closely;
- reads each update on its own (`Update.de_json` on the raw JSON): one that cannot be read is
  skipped and acknowledged, logged once in one line with its id and the reason, never its content,
  and counted in `BotData.unreadable_updates` (shown by /stats);
- on SIGTERM or SIGINT stops fetching at once, lets the updates in flight finish for up to
  `DRAIN_SECONDS`, hands the others back to Telegram (they are not acknowledged: the next start
  gets them) and exits well within the 10 seconds a platform grants.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
import re
import signal
import traceback
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError, TimedOut

from bot.logs import RateLimited
from bot.telegram_bot.context import BotApplication

logger = logging.getLogger(__name__)

LONG_POLL = 10
"""Seconds Telegram may hold a `getUpdates` when nothing is in flight and nothing is new."""
READ_MARGIN = 5.0
"""Seconds of read time-out beyond the long poll (the answer may take a moment to come)."""
BUSY_WAIT = 1.0
"""While updates are in flight and none is new: the longest wait before polling again."""
POLL_SPACING = 0.1
"""Shortest time between two polls: a poll acknowledges every update handled since the last."""
DRAIN_SECONDS = 4.0
"""On SIGTERM, how long updates in flight may take to finish; the others are handed back."""
STEP_SECONDS = 1.0
"""Each later step of a stop takes at most this long: cancelling what is late, the last
acknowledgement, stopping the application, closing its connections (with the question log's
own second, `serve.RECORDER_STOP`, the whole stop stays under 10 s)."""
MAX_BACKOFF = 30.0
"""Longest wait between two failing polls (the Bot API unreachable, answering 5xx…)."""
MAX_UPDATES = 100
"""The Bot API's limit on updates per `getUpdates`."""
_FIELD = re.compile(r"^[a-z_]{1,32}$")


def serve(application: BotApplication, *, allowed_updates: Sequence[str]) -> None:
    """Run `application` with this loop until SIGTERM or SIGINT (serve.py's polling path).

    Errors of the start (a refused token, the Bot API unreachable) are raised as they come.
    """
    asyncio.run(_main(application, allowed_updates))


async def _main(application: BotApplication, allowed_updates: Sequence[str]) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.bot.delete_webhook()
        await application.start()
        try:
            await Poller(application, allowed_updates).run(stop)
        finally:
            await _stop(application)
    finally:
        try:
            await asyncio.wait_for(application.shutdown(), STEP_SECONDS)
        except TimeoutError:
            logger.warning("Closing the connections took over %.1f s; exiting anyway", STEP_SECONDS)


async def _stop(application: BotApplication) -> None:
    """Stop the jobs at once (a reload waiting on a disk is abandoned), then the application."""
    if application.job_queue is not None:
        await application.job_queue.stop(wait=False)
    try:
        await asyncio.wait_for(application.stop(), STEP_SECONDS)
    except TimeoutError:
        logger.warning("The application did not stop within %.1f s; exiting anyway", STEP_SECONDS)


def _describe(raw: dict[str, Any], error: Exception) -> str:
    """Why an update could not be read, naming only its kind and code: never its content."""
    kinds = [key for key in raw if key != "update_id" and _FIELD.match(str(key))][:2]
    frames = traceback.extract_tb(error.__traceback__)
    where = f" in {frames[-1].name}" if frames else ""
    return f"{'/'.join(kinds) or 'unknown kind'}: {type(error).__name__}{where}"


class Poller:
    """Fetches updates, hands them to the application, acknowledges them once handled."""

    def __init__(
        self,
        application: BotApplication,
        allowed_updates: Sequence[str],
        *,
        window: int | None = None,
        drain: float = DRAIN_SECONDS,
    ) -> None:
        self.application = application
        self.allowed_updates = list(allowed_updates)
        self.window = window or application.update_processor.max_concurrent_updates
        self.drain = drain
        self.offset = 0
        """The next `getUpdates` offset: every update before it is handled (or skipped)."""
        self._acknowledged = 0  # the offset Telegram last received
        self._pending: list[int] = []  # fetched, not acknowledged, in id order
        self._done: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._skips = RateLimited(logger, burst=5, period=60.0)
        self._failures = RateLimited(logger, burst=3, period=60.0)

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set; then drain, and acknowledge what was handled."""
        stopping = asyncio.ensure_future(stop.wait())
        backoff = 0.0
        try:
            while not stop.is_set():
                if len(self._tasks) >= self.window:
                    await asyncio.wait(
                        {*self._tasks, stopping}, return_when=asyncio.FIRST_COMPLETED
                    )
                    continue
                fetch = asyncio.ensure_future(self._fetch())
                await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if not fetch.done():
                    fetch.cancel()
                    with contextlib.suppress(asyncio.CancelledError, TelegramError):
                        await fetch
                    break
                try:
                    new = self._dispatch(fetch.result())
                except InvalidToken:
                    raise
                except Exception as error:
                    backoff = self._failed(error, backoff)
                    await asyncio.wait({stopping}, timeout=backoff)
                    continue
                backoff = 0.0
                if not new and self._tasks:
                    # Nothing new: wait for an update to be handled (to acknowledge it) or a while.
                    await asyncio.wait(
                        {*self._tasks, stopping},
                        timeout=BUSY_WAIT,
                        return_when=asyncio.FIRST_COMPLETED,
                    )
                await asyncio.sleep(POLL_SPACING)
        finally:
            stopping.cancel()
            await self._finish()

    async def _fetch(self) -> Any:
        """One `getUpdates`: raw JSON, so that each update is read on its own."""
        busy = bool(self._pending)
        wait = 0 if busy else LONG_POLL
        limit = min(MAX_UPDATES, len(self._pending) + self.window - len(self._tasks))
        offset = self.offset
        # `Bot.get_updates` would parse the whole batch at once (and log it whole when that
        # fails); `_post` is the call it makes underneath, without the parsing.
        result = await self.application.bot._post(
            "getUpdates",
            {
                "offset": offset,
                "limit": max(1, limit),
                "timeout": wait,
                "allowed_updates": self.allowed_updates,
            },
            read_timeout=wait + READ_MARGIN,
        )
        self._acknowledged = offset
        return result

    def _failed(self, error: Exception, backoff: float) -> float:
        """Log a failed poll (a few lines a minute at most); the wait before the next one."""
        if isinstance(error, RetryAfter):
            wait = error.retry_after
            return wait if isinstance(wait, int | float) else wait.total_seconds()
        if isinstance(error, TimedOut):
            return 0.0  # a long poll that outlived its read time-out: poll again
        if isinstance(error, Conflict):
            what = "another instance polls with this token, or a webhook is set"
        elif isinstance(error, TelegramError):
            what = error.message
        else:
            what = "an answer that is not a list of updates"
        backoff = min(MAX_BACKOFF, max(1.0, backoff * 2))
        self._failures.log(
            logging.WARNING,
            "Fetching updates failed (%s: %s); next try in %.0f s",
            type(error).__name__,
            what,
            backoff,
        )
        return backoff

    def _dispatch(self, batch: Any) -> int:
        """Start handling the updates not seen yet; how many were new."""
        if not isinstance(batch, list):
            raise TypeError("getUpdates did not answer with a list")
        new = 0
        for raw in batch:
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            if not isinstance(update_id, int) or isinstance(update_id, bool):
                self._skips.log(logging.WARNING, "An update without an id was left out")
                continue
            if update_id < self.offset or update_id in self._done or self._in_flight(update_id):
                continue  # handled, or being handled: Telegram sends it until acknowledged
            if len(self._tasks) >= self.window:
                break
            new += 1
            bisect.insort(self._pending, update_id)
            try:
                update = Update.de_json(raw, self.application.bot)
            except Exception as error:
                self._skip(update_id, raw, error)
                continue
            task = asyncio.create_task(self._handle(update_id, update))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self._advance()
        return new

    def _in_flight(self, update_id: int) -> bool:
        position = bisect.bisect_left(self._pending, update_id)
        return position < len(self._pending) and self._pending[position] == update_id

    def _skip(self, update_id: int, raw: dict[str, Any], error: Exception) -> None:
        """An update python-telegram-bot cannot read: counted, logged without its content."""
        self.application.bot_data.unreadable_updates += 1
        self._skips.log(
            logging.WARNING,
            "Skipped update %d: python-telegram-bot cannot read it (%s); acknowledged, not handled",
            update_id,
            _describe(raw, error),
        )
        self._done.add(update_id)

    async def _handle(self, update_id: int, update: Update) -> None:
        try:
            await self.application.process_update(update)
        except Exception:  # handlers' errors go to the error handler; this is the library's own
            logger.exception("Update %d could not be processed", update_id)
        # Not reached when cancelled at the end of a stop: the update is handed back.
        self._done.add(update_id)
        self._advance()

    def _advance(self) -> None:
        """Move the offset past every handled update that has no unhandled one before it."""
        while self._pending and self._pending[0] in self._done:
            update_id = self._pending.pop(0)
            self._done.discard(update_id)
            self.offset = update_id + 1

    async def _finish(self) -> None:
        """Let the updates in flight finish (for a while), hand back the rest, acknowledge."""
        if self._tasks:
            _, late = await asyncio.wait(set(self._tasks), timeout=self.drain)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late, timeout=STEP_SECONDS)
                logger.warning(
                    "Stopping: %d update(s) not finished in %.0f s, handed back to Telegram",
                    len(late),
                    self.drain,
                )
        self._skips.flush()
        self._failures.flush()
        if self.offset == self._acknowledged:
            return
        try:
            await asyncio.wait_for(
                self.application.bot._post(
                    "getUpdates",
                    {"offset": self.offset, "limit": 1, "timeout": 0},
                    read_timeout=STEP_SECONDS,
                ),
                STEP_SECONDS,
            )
        except (TelegramError, TimeoutError) as error:
            logger.warning(
                "Stopping: the last acknowledgement failed (%s); some updates may come again",
                type(error).__name__,
            )
