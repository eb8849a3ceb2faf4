"""A real PostgreSQL server for the tests, started by scripts/postgres-test-server.

Where PostgreSQL is not installed the tests that need it are skipped with the script's reason;
with EIG_REQUIRE_POSTGRES=1 (as `.ci/run` sets) they fail instead, so CI always runs them.
One server per test session (127.0.0.1, a free port, a temporary folder), stopped at the end;
one new database per test.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from bot_process import free_port

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "postgres-test-server"
NOT_AVAILABLE = 3
"""The script's exit code when PostgreSQL is not installed."""
REQUIRED = "EIG_REQUIRE_POSTGRES"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The address of a running server's default database (stopped after the session)."""
    started = subprocess.run(
        [str(SCRIPT), "start", str(free_port())],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if started.returncode == NOT_AVAILABLE:
        reason = f"PostgreSQL indisponible : {started.stderr.strip()}"
        if os.environ.get(REQUIRED) == "1":
            pytest.fail(f"{REQUIRED}=1 mais {reason}")
        pytest.skip(reason)
    assert started.returncode == 0, started.stderr
    values = dict(line.split("=", 1) for line in started.stdout.splitlines() if "=" in line)
    try:
        yield values["DATABASE_URL"]
    finally:
        subprocess.run(
            [str(SCRIPT), "stop", values["PG_TEST_DIR"]],
            capture_output=True,
            timeout=120,
            check=True,
        )


@pytest.fixture
def database_url(postgres_server: str) -> Iterator[str]:
    """A new, empty database on the test server, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield _with_database(postgres_server, name)
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
