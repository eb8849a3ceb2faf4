"""The question log in a SQLite file (DATA_DIR/questions.sqlite3): the default, no server needed."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.staff.storage import Statement
from bot.staff.storage.schema import VERSIONS_TABLE, Dialect, Migration


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


BUSY_TIMEOUT = 5.0
"""Seconds a statement waits for another process's lock on the file before it fails (the
recorder then tries again later; replies never wait for it)."""


class SqliteBackend:
    """One connection in autocommit mode, shared by threads under a lock."""

    dialect: Dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path: Path | None = path
        self.where = str(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT
        )
        with self._lock:
            self._db.execute("PRAGMA journal_mode = WAL")
            # WAL's recommended setting: a commit survives the bot's crash (kill -9) without an
            # fsync of its own; only a power cut may lose the last ones. Saves ~0.3 ms of CPU per
            # recorded question (the fsync's kernel time).
            self._db.execute("PRAGMA synchronous = NORMAL")

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    def insert(self, sql: str, params: Sequence[object] = ()) -> int:
        with self._lock:
            cursor = self._db.execute(sql, tuple(params))
        return int(cursor.lastrowid or 0)

    def write(self, statements: Sequence[Statement]) -> int:
        with self._lock:
            self._db.execute("BEGIN")
            try:
                changed = sum(self._db.execute(sql, tuple(p)).rowcount for sql, p in statements)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return changed

    def migrate(self, migrations: Sequence[Migration]) -> list[int]:
        applied: list[int] = []
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")  # another process opening the file waits
            try:
                self._db.execute(VERSIONS_TABLE)
                done = {row[0] for row in self._db.execute("SELECT version FROM schema_migrations")}
                for migration in migrations:
                    if migration.version in done:
                        continue
                    for sql in migration.sql(self.dialect):
                        self._db.execute(sql)
                    self._db.execute(
                        "INSERT INTO schema_migrations (version, applied_at, description) "
                        "VALUES (?, ?, ?)",
                        (migration.version, _now(), migration.description),
                    )
                    applied.append(migration.version)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return applied

    def close(self) -> None:
        with self._lock:
            self._db.close()
