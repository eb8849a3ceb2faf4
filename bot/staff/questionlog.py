"""The question log: what the bot could not answer for sure, and what helped.

It is kept in PostgreSQL when DATABASE_URL is set (what survives a PaaS deploy), else in a
SQLite file in DATA_DIR; both backends (`bot.staff.storage`) share one schema and its
migrations, applied when the log opens.

What is stored, and nothing more (see the README section « Données personnelles (RGPD) »):
- every `suggest` and `fallback`: the question as typed (cut, then e-mail addresses and phone
  numbers masked: `bot.staff.masking`), its normalised form, the UTC time, the decision, the top
  candidates with their scores, and which suggestion was tapped, if any; small talk ("bonjour",
  "merci") is not recorded;
- direct answers only as a count per entry id and per hour;
- "Utile" / "Pas utile" votes as a count per entry id and per hour.
No Telegram user id, name, username or chat id is ever written. Rows older than the retention
period are deleted when the log opens and then at most an hour apart, on the next write.

The methods are synchronous and each is one short transaction; the running bot calls them only
from `bot.staff.recorder.Recorder`'s thread, so that no reply ever waits on the disk.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from bot.config import Settings
from bot.engine import Decision
from bot.engine.normalize import Normalizer, fold
from bot.staff.masking import redact
from bot.staff.storage import DB_NAME, LOG_ERRORS, Backend, open_backend

__all__ = ["DB_NAME", "LOG_ERRORS", "LoggedQuestion", "QuestionLog", "Votes"]

logger = logging.getLogger(__name__)

PURGE_EVERY = timedelta(hours=1)

Clock = Callable[[], datetime]
LoggedStatus = Literal["suggest", "fallback"]

_NORMALIZER = Normalizer()  # no staff synonyms: the stored form must not change with the base


def utcnow() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _hour(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:00:00")


def _parse(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def normalized_form(text: str) -> str:
    """The form questions are grouped by: folded content words, independent of the base."""
    return " ".join(_NORMALIZER.content_words(text)) or fold(text)


@dataclass(frozen=True, slots=True)
class LoggedQuestion:
    """One recorded `suggest` or `fallback`."""

    id: int
    asked_at: datetime
    text: str
    normalized: str
    status: LoggedStatus
    candidates: tuple[tuple[str, float], ...]
    """(entry id, score), best first."""
    chosen: str | None


@dataclass(frozen=True, slots=True)
class Votes:
    useful: int = 0
    not_useful: int = 0


class QuestionLog:
    """The question log, in SQLite or PostgreSQL; safe to share between the event loop and
    worker threads."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        retention_days: int = 90,
        clock: Clock = utcnow,
        backend: Backend | None = None,
    ) -> None:
        """The log in `backend`, or else in the SQLite file `path`; migrated, then purged."""
        if backend is None:
            if path is None:
                raise ValueError("QuestionLog needs a SQLite path or a backend")
            from bot.staff.storage.schema import MIGRATIONS
            from bot.staff.storage.sqlite import SqliteBackend

            backend = SqliteBackend(path)
            backend.migrate(MIGRATIONS)
        self._db = backend
        self.path = backend.path
        """The SQLite file; None when the log is in PostgreSQL."""
        self.where = backend.where
        self.retention = timedelta(days=retention_days)
        self._clock = clock
        self._last_purge = self._clock()
        self.purge()

    @classmethod
    def open(cls, settings: Settings, *, clock: Clock = utcnow) -> QuestionLog:
        """The log DATABASE_URL names, else the one in `settings.data_dir` (created if needed)."""
        return cls(
            backend=open_backend(settings), retention_days=settings.retention_days, clock=clock
        )

    def close(self) -> None:
        self._db.close()

    # -- writing ---------------------------------------------------------------------------------

    def _write(self, sql: str, params: tuple[object, ...]) -> None:
        self._maybe_purge()
        self._db.write([(sql, params)])

    def record(self, decision: Decision) -> int | None:
        """Record one decision; the id of the stored question for suggest and fallback.

        Small talk ("bonjour", "merci") is not a question: nothing is recorded for it.
        """
        now = self._clock()
        if decision.status == "smalltalk":
            return None
        if decision.status == "answer":
            if decision.entry is not None:
                self._count("answers", decision.entry.id, now)
            return None
        text = redact(decision.query)
        candidates = [[c.entry.id, round(c.score, 4)] for c in decision.candidates]
        self._maybe_purge()
        return self._db.insert(
            "INSERT INTO questions (asked_at, text, normalized, status, candidates) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                _stamp(now),
                text,
                normalized_form(text),
                decision.status,
                json.dumps(candidates, ensure_ascii=False),
            ),
        )

    def record_choice(self, question_id: int, entry_id: str) -> None:
        """Note which suggestion was tapped after the question `question_id`."""
        self._write("UPDATE questions SET chosen = ? WHERE id = ?", (entry_id, question_id))

    def record_vote(self, entry_id: str, *, useful: bool) -> None:
        """Count one "Utile" (useful=True) or "Pas utile" vote for an entry."""
        now = self._clock()
        self._write(
            "INSERT INTO votes (hour, entry_id, useful, count) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (hour, entry_id, useful) DO UPDATE SET count = votes.count + 1",
            (_hour(now), entry_id, int(useful)),
        )

    def _count(self, table: Literal["answers"], entry_id: str, now: datetime) -> None:
        self._write(
            f"INSERT INTO {table} (hour, entry_id, count) VALUES (?, ?, 1) "
            f"ON CONFLICT (hour, entry_id) DO UPDATE SET count = {table}.count + 1",
            (_hour(now), entry_id),
        )

    # -- retention -------------------------------------------------------------------------------

    def purge(self) -> int:
        """Delete everything older than the retention period; the number of rows deleted."""
        now = self._clock()
        cutoff = now - self.retention
        # An hour bucket goes once the whole hour is past the cut-off.
        deleted = self._db.write(
            [
                ("DELETE FROM questions WHERE asked_at < ?", (_stamp(cutoff),)),
                ("DELETE FROM answers WHERE hour < ?", (_hour(cutoff),)),
                ("DELETE FROM votes WHERE hour < ?", (_hour(cutoff),)),
            ]
        )
        self._last_purge = now
        if deleted:
            logger.info(
                "Journal des questions : %d ligne(s) de plus de %s supprimée(s)",
                deleted,
                self.retention,
            )
        return deleted

    def _maybe_purge(self) -> None:
        if self._clock() - self._last_purge >= PURGE_EVERY:
            self.purge()

    # -- reading ---------------------------------------------------------------------------------

    def questions(self, since: datetime) -> list[LoggedQuestion]:
        """Recorded suggest and fallback questions asked at or after `since`, oldest first."""
        rows = self._db.query(
            "SELECT id, asked_at, text, normalized, status, candidates, chosen "
            "FROM questions WHERE asked_at >= ? ORDER BY asked_at, id",
            (_stamp(since),),
        )
        return [
            LoggedQuestion(
                id=row[0],
                asked_at=_parse(row[1]),
                text=row[2],
                normalized=row[3],
                status=row[4],
                candidates=tuple((str(c[0]), float(c[1])) for c in json.loads(row[5])),
                chosen=row[6],
            )
            for row in rows
        ]

    def answered(self, since: datetime) -> dict[str, int]:
        """Direct answers per entry id since `since` (to the hour)."""
        rows = self._db.query(
            "SELECT entry_id, SUM(count) FROM answers WHERE hour >= ? GROUP BY entry_id",
            (_hour(since),),
        )
        return {str(entry_id): int(total) for entry_id, total in rows}

    def votes(self, since: datetime) -> dict[str, Votes]:
        """ "Utile" / "Pas utile" counts per entry id since `since` (to the hour)."""
        found: dict[str, Votes] = {}
        rows = self._db.query(
            "SELECT entry_id, useful, SUM(count) FROM votes WHERE hour >= ? "
            "GROUP BY entry_id, useful",
            (_hour(since),),
        )
        for entry_id, useful, total in rows:
            current = found.get(entry_id, Votes())
            found[entry_id] = (
                Votes(current.useful + int(total), current.not_useful)
                if useful
                else Votes(current.useful, current.not_useful + int(total))
            )
        return found
