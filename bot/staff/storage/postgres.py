"""The question log in PostgreSQL (DATABASE_URL): what survives a PaaS deploy, whose disk does not.

One connection in autocommit mode, shared by threads under a lock; a lost connection (the
database restarted, a network cut) is opened again once, and the statement retried. Migrations
run under an advisory lock, so two instances starting together apply each migration once.
DATABASE_URL holds a password: it never appears in a message from this module.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import psycopg

from bot.staff.storage import Statement
from bot.staff.storage.schema import VERSIONS_TABLE, Dialect, Migration

CONNECT_TIMEOUT = 10
"""Seconds to reach the server: a deploy must fail clearly rather than hang."""
MIGRATION_LOCK = 0x45494762  # 'EIGb'
"""The advisory lock key that serialises migrations between instances."""

T = TypeVar("T")


def _sql(sql: str) -> str:
    """The project's `?` placeholders as psycopg's `%s`."""
    return sql.replace("?", "%s")


class PostgresBackend:
    """The question log's tables in the database DATABASE_URL names."""

    dialect: Dialect = "postgres"
    path: Path | None = None
    where = "PostgreSQL (DATABASE_URL)"

    def __init__(self, url: str) -> None:
        self._url = url
        self._lock = threading.Lock()
        self._conn = self._connect()

    def _connect(self) -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT)

    def _run(self, work: Callable[[psycopg.Connection[tuple[Any, ...]]], T]) -> T:
        with self._lock:
            if self._conn.closed:
                self._conn = self._connect()
            try:
                return work(self._conn)
            except psycopg.OperationalError:
                if not (self._conn.broken or self._conn.closed):
                    raise
                self._conn.close()
                self._conn = self._connect()
                return work(self._conn)

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        return self._run(lambda conn: conn.execute(_sql(sql), params).fetchall())

    def insert(self, sql: str, params: Sequence[object] = ()) -> int:
        def work(conn: psycopg.Connection[tuple[Any, ...]]) -> int:
            row = conn.execute(_sql(sql) + " RETURNING id", params).fetchone()
            return int(row[0]) if row else 0

        return self._run(work)

    def write(self, statements: Sequence[Statement]) -> int:
        def work(conn: psycopg.Connection[tuple[Any, ...]]) -> int:
            with conn.transaction():
                return sum(conn.execute(_sql(sql), p).rowcount for sql, p in statements)

        return self._run(work)

    def migrate(self, migrations: Sequence[Migration]) -> list[int]:
        def work(conn: psycopg.Connection[tuple[Any, ...]]) -> list[int]:
            applied: list[int] = []
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                conn.execute(VERSIONS_TABLE)
                done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
                for migration in migrations:
                    if migration.version in done:
                        continue
                    for sql in migration.sql(self.dialect):
                        conn.execute(sql)
                    conn.execute(
                        "INSERT INTO schema_migrations (version, applied_at, description) "
                        "VALUES (%s, %s, %s)",
                        (migration.version, _now(), migration.description),
                    )
                    applied.append(migration.version)
            return applied

        return self._run(work)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
