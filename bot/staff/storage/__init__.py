"""Where the question log lives: SQLite in DATA_DIR, or PostgreSQL when DATABASE_URL is set.

Both backends take the same SQL (written with `?` placeholders), apply the same migrations at
start (`schema.MIGRATIONS`) and are safe to share between the event loop and worker threads:
each call is one short statement or transaction under a lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import psycopg

from bot.config import Settings
from bot.staff.storage.schema import MIGRATIONS, Dialect, Migration

DB_NAME = "questions.sqlite3"
"""The SQLite file in DATA_DIR."""

LOG_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, psycopg.Error)
"""What a failing question log raises, whichever the backend: callers that must never let the
log cost a user an answer catch these."""

Statement = tuple[str, Sequence[object]]


class Backend(Protocol):
    """A database the question log reads and writes."""

    dialect: Dialect
    where: str
    """Where the rows are, for messages ('data/questions.sqlite3', 'PostgreSQL (DATABASE_URL)')."""
    path: Path | None
    """The SQLite file; None for PostgreSQL."""

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """The rows of a SELECT."""
        ...

    def insert(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run an INSERT into a table with an `id` column; the new row's id."""
        ...

    def write(self, statements: Sequence[Statement]) -> int:
        """Run the statements in one transaction; the number of rows they changed."""
        ...

    def migrate(self, migrations: Sequence[Migration]) -> list[int]:
        """Apply the migrations not applied yet, in order; their versions."""
        ...

    def close(self) -> None: ...


def open_backend(settings: Settings) -> Backend:
    """PostgreSQL when DATABASE_URL is set, else the SQLite file in DATA_DIR; migrated."""
    backend: Backend
    if settings.database_url:
        from bot.staff.storage.postgres import PostgresBackend

        backend = PostgresBackend(settings.database_url)
    else:
        from bot.staff.storage.sqlite import SqliteBackend

        backend = SqliteBackend(settings.data_dir / DB_NAME)
    try:
        backend.migrate(MIGRATIONS)
    except BaseException:
        backend.close()
        raise
    return backend


def open_error(settings: Settings, error: BaseException) -> str:
    """Why the log could not open or answer, in French, with no secret of DATABASE_URL."""
    lines = str(error).strip().splitlines()
    reason = lines[0] if lines else type(error).__name__
    for secret in sorted(settings.secrets(), key=len, reverse=True):
        reason = reason.replace(secret, "[redacted]")
    if settings.database_url:
        return (
            "impossible d'utiliser le journal des questions dans la base PostgreSQL de "
            f"DATABASE_URL ({reason}) : vérifiez l'adresse, le mot de passe et que la base "
            "accepte les connexions"
        )
    return (
        f"impossible d'ouvrir le journal des questions dans {settings.data_dir} ({reason}) : "
        "vérifiez DATA_DIR et que le bot a le droit d'y écrire"
    )


def log_location(settings: Settings) -> str:
    """Where the question log is, for messages: the PostgreSQL database, or DATA_DIR."""
    return "la base PostgreSQL de DATABASE_URL" if settings.database_url else str(settings.data_dir)
