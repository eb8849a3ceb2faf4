"""The index snapshot on disk: a restart on an unchanged base reads the built index back.

One file, `index.snapshot`, next to the embedding cache: a first line with the key of the base
it was built from (see `bot.engine.snapshot.key`), then the engine's parts. A reload that
changes the base writes it again, so it always holds one base. A snapshot of another base is
left alone; one that cannot be read or written (missing, damaged, a full disk) only costs the
time of building, and is said in the log.

The file is a pickle: only the bot writes it, in its own data folder, and reading it runs what
it says. Whoever can write there can already change what the bot answers; do not point
EMBEDDINGS_DIR at a folder others can write to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from bot.staff.atomic import replace_file

logger = logging.getLogger(__name__)

T = TypeVar("T")

FILE_NAME = "index.snapshot"
KEY_LINE_MAX = 200
"""A key is 40 hex digits: a longer first line is not a snapshot's."""


class FileSnapshotStore:
    """`SnapshotStore` backed by one file in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / FILE_NAME

    def read(self, key: str, reader: Callable[[BinaryIO], T]) -> T | None:
        try:
            with self.path.open("rb") as file:
                if file.readline(KEY_LINE_MAX).rstrip(b"\n") != key.encode():
                    logger.info("Index snapshot %s is of another base: built again", self.path)
                    return None
                return reader(file)
        except FileNotFoundError:
            return None
        except Exception as error:  # a damaged file can fail in any way pickle can
            logger.warning("Index snapshot %s unreadable (%r): built again", self.path, error)
            return None

    def write(self, key: str, writer: Callable[[BinaryIO], None]) -> None:
        def with_key(file: BinaryIO) -> None:
            file.write(key.encode() + b"\n")
            writer(file)

        try:
            replace_file(self.path, with_key)
        except OSError as error:
            logger.warning(
                "Index snapshot %s not written (%s): the next start builds again", self.path, error
            )
