"""The web chat's way to the question log: opened once, written off the answer path.

`LogWriter.write` is the one door: the web chat never calls the log another way, so that moving
writes to the project's background queue changes this module only. Writes run in order in one
worker thread; a reply never waits for the disk, nor wakes the event loop when a write is done:
it gets a thread future, awaited (through `asyncio.wrap_future`) only in the rare case that
needs the result, the id of a logged question whose suggestion is tapped. At most
`MAX_PENDING` writes wait at once: past that, under an overload the disk cannot follow, a write is
skipped and counted, and the log says so at most once a minute. A failing write is logged and
otherwise ignored: recording a question never costs anyone an answer.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from bot.config import ConfigError, Settings
from bot.staff.questionlog import QuestionLog

logger = logging.getLogger(__name__)

T = TypeVar("T")

MAX_PENDING = 5_000
"""Writes waiting at once: minutes of normal traffic; bounds memory when the disk stalls."""
SKIPPED_LOG_INTERVAL = 60.0
"""Seconds between two log lines about skipped writes."""


def open_log(settings: Settings) -> QuestionLog:
    """The question log of DATA_DIR, or a `ConfigError` that says what to check."""
    try:
        return QuestionLog.open(settings)
    except (OSError, sqlite3.Error) as error:
        raise ConfigError(
            f"impossible d'ouvrir le journal des questions dans {settings.data_dir} ({error}) : "
            "vérifiez DATA_DIR et que le bot a le droit d'y écrire"
        ) from None


class LogWriter:
    """Runs question-log writes in one worker thread, in the order they were asked for."""

    def __init__(self, log: QuestionLog | None, *, max_pending: int = MAX_PENDING) -> None:
        self.log = log
        self.max_pending = max_pending
        self.skipped = 0
        self._asked = 0  # counted on the event loop's thread only
        self._done = [0]  # counted on the writer's thread only
        self._skipped_logged_at: float | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="question-log")

    @property
    def pending(self) -> int:
        """Writes asked for and not finished yet."""
        return self._asked - self._done[0]

    def write(self, call: Callable[[QuestionLog], T], what: str) -> Future[T | None]:
        """Start `call(log)` and return at once; the future gives its result (None without a
        log, when skipped or when the write fails)."""
        log = self.log
        if log is None or self.pending >= self.max_pending:
            if log is not None:
                self._skip(what)
            done: Future[T | None] = Future()
            done.set_result(None)
            return done
        self._asked += 1
        return self._thread.submit(_run, log, call, what, self._done)

    def _skip(self, what: str) -> None:
        self.skipped += 1
        now = time.monotonic()
        if self._skipped_logged_at is None or now - self._skipped_logged_at >= SKIPPED_LOG_INTERVAL:
            self._skipped_logged_at = now
            logger.warning(
                "The question log cannot keep up: %s not recorded (%d skipped so far)",
                what,
                self.skipped,
            )

    def drain(self) -> None:
        """Wait (from another thread than the event loop) until the writes asked so far are done."""
        self._thread.submit(lambda: None).result()

    def close(self) -> None:
        """Finish the writes already asked for (nothing asked is dropped on a clean stop)."""
        self._thread.shutdown(wait=True)


def _run(
    log: QuestionLog, call: Callable[[QuestionLog], T], what: str, done: list[int]
) -> T | None:
    try:
        return call(log)
    except Exception:  # SQLite's errors, or a bug: logged, and the chat goes on
        logger.exception("Could not record %s in the question log", what)
        return None
    finally:
        done[0] += 1
