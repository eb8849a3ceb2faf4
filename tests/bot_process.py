"""`python -m bot run` as a child process, its output in files (a full pipe cannot block it)."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class BotProcess:
    def __init__(self, process: subprocess.Popen[bytes], folder: Path) -> None:
        self.process = process
        self.folder = folder

    def output(self) -> str:
        """Everything the bot wrote on stdout and stderr so far."""
        return "".join(
            (self.folder / name).read_text(encoding="utf-8", errors="replace")
            for name in ("stdout.txt", "stderr.txt")
        )

    def terminate(self, timeout: float = 15.0) -> int:
        """Send SIGTERM, as a PaaS does on a restart; the exit code."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def wait(self, timeout: float = 15.0) -> int:
        return self.process.wait(timeout=timeout)


@contextmanager
def bot_process(folder: Path, **env: str) -> Iterator[BotProcess]:
    """Run the bot with only `env` (plus PATH and locale) as its environment."""
    folder.mkdir(parents=True, exist_ok=True)
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "KNOWLEDGE_DIR": str(ROOT / "knowledge"),
        "DATA_DIR": str(folder / "data"),
        **env,
    }
    with (
        open(folder / "stdout.txt", "wb") as stdout,
        open(folder / "stderr.txt", "wb") as stderr,
    ):
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=environment,
            stdout=stdout,
            stderr=stderr,
        )
        try:
            yield BotProcess(process, folder)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


LOWEST_PORT = 10_000
"""Ports below are often services' own; a test takes one between this and the ephemeral range."""


def port_outside_ephemeral_range() -> int:
    """A free port below the range the kernel gives outgoing connections, for a server started
    after a process has been connecting to it: in that range, one of those connections can be
    given the very port it connects to (a TCP self-connect, which succeeds) and hold it, and the
    server then cannot bind (« Address already in use », seen once in a fresh-clone run)."""
    try:
        lowest_ephemeral = int(
            Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0]
        )
    except (OSError, ValueError, IndexError):
        lowest_ephemeral = 32_768
    candidates = random.Random().sample(range(LOWEST_PORT, lowest_ephemeral), 200)
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    """Return once something accepts connections on 127.0.0.1:`port`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(f"nothing listens on port {port} after {timeout} s") from None
            time.sleep(0.05)
