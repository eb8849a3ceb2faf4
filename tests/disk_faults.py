"""Disk faults for the question log, made real: a missing, full, read-only or locked DATA_DIR.

- missing: DATA_DIR under a regular file, so that it can be created by nobody, root included;
- full: the log file is a link to /dev/full, where every write fails with ENOSPC, SQLite's
  "database or disk is full";
- read-only: `chmod 555` for a normal user; root ignores permissions, so as root a read-only
  tmpfs is mounted there (a machine where root may not mount skips those tests, saying why);
- locked: another process holds SQLite's exclusive lock on the file.
Each fault can be lifted, to see the bot record again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.staff.questionlog import DB_NAME


def missing(folder: Path) -> Path:
    """A DATA_DIR that cannot be created (its parent is a file); `repair_missing` fixes it."""
    blocker = folder / "pas-un-dossier"
    blocker.write_text("", encoding="utf-8")
    return blocker / "data"


def repair_missing(data_dir: Path) -> None:
    data_dir.parent.unlink()


def full(folder: Path) -> Path:
    """A DATA_DIR whose log file is /dev/full; `repair_full` gives it a real file."""
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full to simulate a full disk")
    data_dir = folder / "plein"
    data_dir.mkdir()
    (data_dir / DB_NAME).symlink_to("/dev/full")
    return data_dir


def repair_full(data_dir: Path) -> None:
    for path in data_dir.iterdir():
        if path.is_symlink() or path.is_file():  # the log and its journals, not the cache folder
            path.unlink()


class ReadOnly:
    """A folder nobody can write to; `make_writable` lifts that."""

    def __init__(self, path: Path, mounted: bool) -> None:
        self.path = path
        self.mounted = mounted

    def make_writable(self) -> None:
        if self.mounted:
            subprocess.run(["mount", "-o", "remount,rw", str(self.path)], check=True)
        else:
            self.path.chmod(0o755)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[ReadOnly]:
    path = folder / "lecture-seule"
    path.mkdir()
    if os.geteuid() != 0:
        path.chmod(0o555)
        try:
            yield ReadOnly(path, mounted=False)
        finally:
            path.chmod(0o755)
        return
    mount = shutil.which("mount")
    done = (
        subprocess.run(
            [mount, "-t", "tmpfs", "-o", "ro,size=4m", "tmpfs", str(path)], capture_output=True
        )
        if mount
        else None
    )
    if done is None or done.returncode != 0:
        pytest.skip("as root, a read-only folder needs the right to mount a tmpfs")
    try:
        yield ReadOnly(path, mounted=True)
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True)


_HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("COMMIT")
"""


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Another process holds the exclusive lock on the SQLite file `path` until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield
    finally:
        if holder.stdin is not None:
            holder.stdin.close()
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()
