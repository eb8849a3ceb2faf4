"""`POST /api/ask` through the real web server: throughput and latency under a bounded load.

`python -m bot web` runs in its own process (uvicorn on 127.0.0.1, a free port, a temporary
DATA_DIR: the question log is written as in production). This process is the client: a few
keep-alive connections send a fixed number of requests, questions from the golden tables, each
from one of many simulated people (a conversation id and an X-Forwarded-For address each, as
behind a platform's router; the addresses are documentation ranges, written in a header only).
No request leaves 127.0.0.1 and the load stops by itself.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REQUESTS = 3_000
WARM_UP = 100
"""Requests sent first and not counted: the first answers fill caches."""
CONNECTIONS = 2
"""Keep-alive connections in flight at once. Two keep the server busy all the time (one core runs
it: while it answers one request the next is waiting); more only lengthen the queue, so the
latency grows and the rate does not (measured: 4 connections, same rate, p99 twice as long)."""
CLIENTS = 500
TIMEOUT = 120.0
"""Seconds the whole load may take before the measurement is called a failure."""
TEST_NETS = ("192.0.2", "198.51.100", "203.0.113")
"""Documentation address ranges (RFC 5737): client addresses that are nobody's."""


BOT = (sys.executable, "-m", "bot")


class WebBenchError(RuntimeError):
    """The server did not start or the load did not finish; the message says why."""


@dataclass(frozen=True, slots=True)
class WebThroughput:
    """The figures of one load."""

    requests: int
    seconds: float
    latencies_ms: tuple[float, ...]
    statuses: dict[int, int]
    connections: int
    clients: int
    server_cpu_s: float | None = None
    """CPU time the server process used during the timed load (None where /proc is missing)."""

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p99_ms(self) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]

    @property
    def cpu_ms_per_request(self) -> float | None:
        """The server's CPU per request: what one free core would bound the rate to."""
        return None if self.server_cpu_s is None else 1000 * self.server_cpu_s / self.requests

    @property
    def errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status != 200)


def client_address(client: int) -> str:
    net = TEST_NETS[client // 250 % len(TEST_NETS)]
    return f"{net}.{client % 250 + 1}"


def request_bytes(host: str, question: str, client: int) -> bytes:
    body = json.dumps(
        {"question": question, "conversation": f"bench-{client:06d}"}, ensure_ascii=False
    ).encode()
    head = (
        f"POST /api/ask HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nX-Forwarded-For: {client_address(client)}\r\n\r\n"
    )
    return head.encode() + body


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    """Send one request on a kept-alive connection; the response's status."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return int(lines[0].split()[1])


async def _load(
    url: str, requests: Sequence[bytes], connections: int
) -> tuple[float, list[float], Counter[int]]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    queue = iter(requests)

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for request in queue:
                started = time.perf_counter()
                status = await _exchange(reader, writer, request)
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[status] += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return time.perf_counter() - started, latencies, statuses


@contextmanager
def served(knowledge_dir: Path) -> Iterator[tuple[str, int]]:
    """`python -m bot web` on a free loopback port with a temporary DATA_DIR; its address and
    process id."""
    with tempfile.TemporaryDirectory(prefix="eig-bench-web-") as data:
        environment = {**_child_environment(), "DATA_DIR": data, "LOG_LEVEL": "WARNING"}
        errors = Path(data) / "stderr.txt"
        with open(errors, "wb") as stderr:
            process = subprocess.Popen(
                [
                    *BOT,
                    "--knowledge",
                    str(knowledge_dir),
                    "web",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                ],
                stdout=subprocess.PIPE,
                stderr=stderr,
                env=environment,
            )
            try:
                assert process.stdout is not None
                line = process.stdout.readline().decode("utf-8", "replace")
                if "http://" not in line:
                    process.wait(timeout=10)
                    raise WebBenchError(errors.read_text(errors="replace")[-2000:] or line)
                yield "http://" + line.split("http://", 1)[1].split()[0], process.pid
            finally:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                if process.stdout is not None:
                    process.stdout.close()


def _child_environment() -> dict[str, str]:
    """This environment for the server, Telegram left out: only the web chat is measured."""
    return {
        name: value
        for name, value in os.environ.items()
        if name not in {"TELEGRAM_BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET", "PORT"}
    }


def measure(
    knowledge_dir: Path,
    questions: Sequence[str],
    *,
    requests: int = REQUESTS,
    connections: int = CONNECTIONS,
    clients: int = CLIENTS,
) -> WebThroughput:
    """Serve the web chat and send it `requests` questions (after a warm-up) over `connections`."""
    if not questions:
        raise WebBenchError("aucune question pour le banc d'essai du chat web")
    with served(knowledge_dir) as (url, pid):
        host = urlsplit(url).netloc
        warm = [
            request_bytes(host, questions[i % len(questions)], i % clients) for i in range(WARM_UP)
        ]
        timed = [
            request_bytes(host, questions[(WARM_UP + i) % len(questions)], i % clients)
            for i in range(requests)
        ]
        try:
            asyncio.run(asyncio.wait_for(_load(url, warm, connections), TIMEOUT))
            cpu_before = cpu_seconds(pid)
            seconds, latencies, statuses = asyncio.run(
                asyncio.wait_for(_load(url, timed, connections), TIMEOUT)
            )
            cpu_after = cpu_seconds(pid)
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as error:
            raise WebBenchError(f"la charge n'a pas abouti : {error!r}") from None
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return WebThroughput(
        requests, seconds, tuple(latencies), dict(statuses), connections, clients, cpu
    )


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of process `pid` so far, from /proc (None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
