"""The question log off the answer path: writes wait in a bounded queue, a daemon thread does them.

A reply never waits for SQLite: `record`, `record_choice`, `record_vote` and `purge` only queue a
write and return. One daemon thread opens the log and does the writes in order; reads for the
staff reports go through the same thread (`read`), so that only it ever touches the file.

When the log cannot be opened or written (DATA_DIR missing, read-only or full, the file locked by
another process), the bot answers anyway: the writes wait in the queue (up to `QUEUE_CAPACITY`;
beyond, new ones are dropped and counted), the thread tries again every `RETRY_SECONDS`, reopening
the file, and `news` says once that recording stopped and once that it works again. Each write
keeps the time it was queued, so a question written late is stored at the time it was asked.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import sqlite3
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import psycopg

from bot.engine import Decision
from bot.staff.questionlog import LOG_ERRORS, Clock, QuestionLog, utcnow

logger = logging.getLogger(__name__)

T = TypeVar("T")

QUEUE_CAPACITY = 2000
"""Writes waiting at most: minutes of questions at a busy hour, a few megabytes of memory."""
RETRY_SECONDS = 5.0
"""Seconds between two tries while the log cannot be written."""
CHOICE_KEYS = 10_000
"""Suggestions whose logged question is remembered, to note the one tapped (a few minutes' worth
at a busy hour; older taps still open the entry, they are just not noted)."""
CHOICE_KEY_BYTES = 6
"""Random bytes of a choice key: 8 characters in button data, not guessable."""

LogOpener = Callable[[Clock], QuestionLog]
"""Opens the log with the clock it must use (the recorder's: the time each write was queued)."""

_ITEM_ERRORS = (
    sqlite3.IntegrityError,
    sqlite3.ProgrammingError,
    sqlite3.InterfaceError,
    sqlite3.DataError,
    sqlite3.NotSupportedError,
    psycopg.IntegrityError,
    psycopg.ProgrammingError,
    psycopg.InterfaceError,
    psycopg.DataError,
    psycopg.NotSupportedError,
)
"""Errors that belong to one write (it is dropped); any other database or OS error is the
storage's (the disk, the database server): the write is kept and tried again later."""


_STORAGE_ERRORS: tuple[type[Exception], ...] = (*LOG_ERRORS, OSError)
"""The storage is unavailable (disk, file lock, database server): try again later."""


class LogUnavailable(Exception):
    """The question log cannot be read now; the message says why, in French."""


@dataclass(eq=False)
class _Task:
    run: Callable[[QuestionLog], Any]
    at: datetime = field(default_factory=utcnow)
    future: Future[Any] | None = None
    """Set for reads: the caller waits for it; a read is never retried."""


_REASONS = (
    ("disk is full", "disque plein"),
    ("readonly", "écriture refusée : disque en lecture seule ou droits insuffisants"),
    ("read-only", "écriture refusée : disque en lecture seule ou droits insuffisants"),
    ("permission denied", "écriture refusée : droits insuffisants"),
    ("locked", "fichier verrouillé par un autre programme"),
    ("not a directory", "dossier impossible à créer"),
    ("no such file", "dossier introuvable"),
    ("unable to open", "fichier impossible à ouvrir"),
    ("not a database", "le fichier n'est pas une base SQLite"),
)
"""How staff read the usual SQLite and system errors (the log keeps the original)."""


def _in_french(error: BaseException) -> str:
    text = str(error).lower()
    for marker, reason in _REASONS:
        if marker in text:
            return reason
    return f"erreur « {error} »"


def new_choice_key() -> str:
    """A random key for one offered suggestion list (URL-safe, 8 characters)."""
    return secrets.token_urlsafe(CHOICE_KEY_BYTES)


class Recorder:
    """Queues writes to the question log and does them in a daemon thread; see the module."""

    def __init__(
        self,
        open_log: LogOpener,
        *,
        location: Path | str = "",
        capacity: int = QUEUE_CAPACITY,
        retry: float = RETRY_SECONDS,
    ) -> None:
        self._open_log = open_log
        self.location = str(location)
        self._capacity = capacity
        self._retry = retry
        self._tasks: deque[_Task] = deque()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._busy = False
        self._log: QuestionLog | None = None
        self._now: datetime | None = None
        self._choice_ids: OrderedDict[str, int] = OrderedDict()
        self._news: list[str] = []
        self.problem: str | None = None
        """Why the log cannot be written now (French), None while it works."""
        self.dropped = 0
        """Writes dropped because the queue was full."""
        self._dropped_before = 0  # `dropped` at the last write that worked

    # -- the answer path: queue and return ------------------------------------------------------

    def record(self, decision: Decision) -> str | None:
        """Queue the record of a decision; for a suggestion, the key its buttons carry."""
        key = new_choice_key() if decision.status == "suggest" else None

        def write(log: QuestionLog) -> None:
            question_id = log.record(decision)
            if key is not None and question_id is not None:
                self._choice_ids[key] = question_id
                while len(self._choice_ids) > CHOICE_KEYS:
                    self._choice_ids.popitem(last=False)

        self._submit(_Task(write))
        return key

    def record_choice(self, key: str, entry_id: str) -> None:
        """Queue the note that `entry_id` was tapped among the suggestions offered under `key`."""

        def write(log: QuestionLog) -> None:
            question_id = self._choice_ids.get(key)
            if question_id is not None:
                log.record_choice(question_id, entry_id)

        self._submit(_Task(write))

    def record_vote(self, entry_id: str, *, useful: bool) -> None:
        """Queue one "Utile" / "Pas utile" vote."""
        self._submit(_Task(lambda log: log.record_vote(entry_id, useful=useful)))

    def purge(self) -> None:
        """Queue the deletion of what is older than the retention period."""
        self._submit(_Task(lambda log: log.purge()))

    def read(self, call: Callable[[QuestionLog], T]) -> Future[T]:
        """Run `call` on the log in the recorder's thread; fails at once with `LogUnavailable`
        while the log cannot be used."""
        future: Future[T] = Future()
        if self.problem is not None:
            future.set_exception(LogUnavailable(self.problem))
            return future
        self._submit(_Task(call, future=future), limit=False)
        return future

    def news(self) -> list[str]:
        """What admins have not been told yet (French): recording stopped, or works again."""
        with self._changed:
            news, self._news = self._news, []
        return news

    def _submit(self, task: _Task, *, limit: bool = True) -> None:
        with self._changed:
            if limit and len(self._tasks) >= self._capacity:
                self.dropped += 1
                if self.dropped == 1 or self.dropped % self._capacity == 0:
                    logger.warning(
                        "Question log queue full (%d waiting): %d record(s) dropped so far",
                        len(self._tasks),
                        self.dropped,
                    )
                return
            self._tasks.append(task)
            self._changed.notify_all()

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the thread that opens the log and writes (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="question-log", daemon=True)
            self._thread.start()

    def flush(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for every queued write to be done; whether it was."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._tasks and not self._busy, timeout)

    def stop(self, timeout: float) -> None:
        """Write what is queued for at most `timeout` seconds, then close the log."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                logger.warning("The question log did not finish writing in %.0f s", timeout)
                return
        with self._changed:
            left = len(self._tasks)
        if left:
            logger.warning("Stopped with %d question log record(s) not written", left)
        self._close()

    # -- the thread -----------------------------------------------------------------------------

    def clock(self) -> datetime:
        """The time of the write being done (when it was queued), for the log's timestamps."""
        return self._now or utcnow()

    def _work(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._tasks or self._stopping)
                if not self._tasks:
                    return
                task = self._tasks[0]
                self._busy = True
            done = self._attempt(task)
            with self._changed:
                if done:
                    self._tasks.popleft()
                self._busy = False
                self._changed.notify_all()
                if not done and self._changed.wait_for(lambda: self._stopping, self._retry):
                    return

    def _attempt(self, task: _Task) -> bool:
        """Do one task; False when it must be tried again later (the log is unavailable)."""
        if task.future is not None and not task.future.set_running_or_notify_cancel():
            return True  # a read nobody waits for any more
        self._now = task.at
        try:
            if self._log is None:
                self._log = self._open_log(self.clock)
            result = task.run(self._log)
        except _ITEM_ERRORS as error:
            logger.error("A question log write failed and is dropped: %r", error)
            self._fail(task, LogUnavailable(f"erreur du journal des questions ({error})"))
            return True
        except _STORAGE_ERRORS as error:
            self._unavailable(error)
            self._fail(task, LogUnavailable(self.problem or str(error)))
            return task.future is not None
        except Exception as error:
            logger.exception("A question log task failed and is dropped")
            self._fail(task, error)
            return True
        finally:
            self._now = None
        if task.future is not None:
            task.future.set_result(result)
        self._available()
        return True

    @staticmethod
    def _fail(task: _Task, error: BaseException) -> None:
        if task.future is not None:
            task.future.set_exception(error)

    def _unavailable(self, error: BaseException) -> None:
        self._close()
        if self.problem is not None:
            return
        reason = str(error) or type(error).__name__
        every = f"{self._retry:g}".replace(".", ",")
        self.problem = (
            f"Le journal des questions est indisponible ({_in_french(error)}, dossier "
            f"{self.location}) : "
            "le bot répond normalement mais n'enregistre plus les questions. Il réessaie toutes "
            f"les {every} secondes et reprendra seul ; vérifiez que DATA_DIR existe, "
            "que le bot peut y écrire et que le disque n'est pas plein."
        )
        logger.warning(
            "Question log unavailable (%s): answering without recording, retrying every %.0f s",
            reason,
            self._retry,
        )
        with self._changed:
            self._news.append(self.problem)

    def _available(self) -> None:
        if self.problem is None:
            self._dropped_before = self.dropped
            return
        self.problem = None
        lost = self.dropped - self._dropped_before
        logger.info("Question log available again: recording resumes (%d record(s) lost)", lost)
        since = (
            "y compris celles posées pendant l'interruption."
            if not lost
            else f"sauf {lost} enregistrement(s) de l'interruption, au-delà de ce que le bot "
            "pouvait garder en attente."
        )
        with self._changed:
            self._news.append(
                "Le journal des questions fonctionne à nouveau : les questions sont de nouveau "
                f"enregistrées, {since}"
            )

    def _close(self) -> None:
        log, self._log = self._log, None
        if log is not None:
            with contextlib.suppress(*_STORAGE_ERRORS):
                log.close()
