"""`python -m bot web` as a child process: started on a free port, its address read from stdout."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot_process import ROOT

ADDRESS = re.compile(r"http://127\.0\.0\.1:\d+/")


class WebProcess:
    def __init__(self, process: subprocess.Popen[bytes], folder: Path, url: str) -> None:
        self.process = process
        self.folder = folder
        self.url = url
        """The page's address, as the command printed it."""

    def output(self) -> str:
        return "".join(
            (self.folder / name).read_text(encoding="utf-8", errors="replace")
            for name in ("stdout.txt", "stderr.txt")
        )

    def terminate(self, timeout: float = 15.0) -> int:
        """SIGTERM, as a platform sends on a restart; the exit code."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)


@contextmanager
def web_process(folder: Path, *args: str, **env: str) -> Iterator[WebProcess]:
    """Run `python -m bot web --host 127.0.0.1 --port 0 ARGS` with only `env` (plus PATH)."""
    folder.mkdir(parents=True, exist_ok=True)
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "KNOWLEDGE_DIR": str(ROOT / "knowledge"),
        "DATA_DIR": str(folder / "data"),
        **env,
    }
    command = [sys.executable, "-m", "bot", "web", "--host", "127.0.0.1", "--port", "0", *args]
    with (
        open(folder / "stdout.txt", "wb") as stdout,
        open(folder / "stderr.txt", "wb") as stderr,
    ):
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=stdout, stderr=stderr)
        try:
            deadline = time.monotonic() + 30
            while not (found := ADDRESS.search((folder / "stdout.txt").read_text())):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("python -m bot web printed no address:\n" + _tail(folder))
                time.sleep(0.05)
            yield WebProcess(process, folder, found.group(0))
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def _tail(folder: Path) -> str:
    return "".join(
        (folder / n).read_text(errors="replace")[-2000:] for n in ("stdout.txt", "stderr.txt")
    )
