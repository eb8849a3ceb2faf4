"""The embedding cache on disk: a restart on an unchanged base encodes nothing.

One file per encoder version in `DATA_DIR/embeddings/`: a `.npy` array with one record per text
of the base, the BLAKE2 digest of the text then its vector in float16. A reload encodes only the
texts that are new, and the file is rewritten with the base as it now is, so it never grows
beyond one base. The file is read through a memory map, and when the base has not changed (same
texts in the same order, the usual restart) the vectors are converted in one pass, with no
lookup per text. A cache that cannot be read or written (missing, read-only or full disk, a
damaged file) only costs time: the texts are encoded again and the bot answers as usual.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.config import Settings
from bot.engine import Index
from bot.engine.encoder import Vectors
from bot.engine.semantic import Stored
from bot.knowledge import KnowledgeBase

logger = logging.getLogger(__name__)

KEY_BYTES = 16
"""A 128-bit BLAKE2 digest per text: collisions are out of reach for a base of any size."""

STORED_TYPE = np.float16
"""Vectors are stored at half precision: half the disk, and the engine reads them at that
precision whether they were just encoded or read back (see `bot.engine.semantic.encode_base`)."""

_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")

Records = npt.NDArray[np.uint8]


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=KEY_BYTES).digest()


def text_keys(texts: Sequence[str]) -> Records:
    """One row of KEY_BYTES per text."""
    joined = b"".join(text_key(t) for t in texts)
    return np.frombuffer(joined, dtype=np.uint8).reshape(len(texts), KEY_BYTES)


class FileVectorStore:
    """`VectorStore` backed by one `.npy` file of records per encoder version in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, version: str) -> Path:
        return self.folder / f"{_SAFE_NAME.sub('_', version)}.npy"

    def load(self, version: str, texts: Sequence[str]) -> Stored:
        path = self._path(version)
        try:
            records = np.load(path, mmap_mode="r", allow_pickle=False)
            _check(records)
        except FileNotFoundError:
            return Stored.nothing()
        except (OSError, ValueError) as error:
            logger.warning("Embedding cache %s unreadable (%s): texts encoded again", path, error)
            return Stored.nothing()
        wanted = text_keys(texts)
        keys = records[:, :KEY_BYTES]
        if keys.shape == wanted.shape and np.array_equal(keys, wanted):
            found = np.arange(len(texts), dtype=np.intp)
            rows: npt.NDArray[np.intp] | slice = slice(None)
        else:
            at = {key: row for row, key in enumerate(_rows_as_bytes(keys))}
            pairs = [(i, at.get(key)) for i, key in enumerate(_rows_as_bytes(wanted))]
            hits = [(i, row) for i, row in pairs if row is not None]
            found = np.array([i for i, _ in hits], dtype=np.intp)
            rows = np.array([row for _, row in hits], dtype=np.intp)
        vectors = records[rows, KEY_BYTES:].view(STORED_TYPE)  # last axis contiguous: a view
        return Stored(found, vectors.astype(np.float32))

    def save(self, version: str, texts: Sequence[str], vectors: Vectors) -> None:
        path = self._path(version)
        width = vectors.shape[1] * np.dtype(STORED_TYPE).itemsize
        records = np.empty((len(texts), KEY_BYTES + width), np.uint8)
        records[:, :KEY_BYTES] = text_keys(texts)
        records[:, KEY_BYTES:].view(STORED_TYPE)[:] = vectors  # converted in place, no copy
        temporary: Path | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.folder, suffix=".tmp", delete=False) as tmp:
                temporary = Path(tmp.name)
                np.save(tmp, records, allow_pickle=False)
            os.replace(temporary, path)
            path.with_suffix(".npz").unlink(missing_ok=True)  # the format before this one
        except OSError as error:
            logger.warning(
                "Embedding cache %s not written (%s): the next start encodes again", path, error
            )
            if temporary is not None:
                with contextlib.suppress(OSError):
                    temporary.unlink()


def _check(records: npt.NDArray[np.generic]) -> None:
    """ValueError unless `records` is a table of digests followed by float16 vectors."""
    width = records.shape[1] - KEY_BYTES if records.ndim == 2 else -1
    if records.dtype != np.uint8 or width <= 0 or width % np.dtype(STORED_TYPE).itemsize:
        raise ValueError(f"not a table of embeddings ({records.dtype}, {records.shape})")


def _rows_as_bytes(keys: Records) -> list[bytes]:
    data = np.ascontiguousarray(keys).tobytes()
    return [data[i : i + KEY_BYTES] for i in range(0, len(data), KEY_BYTES)]


def cached_index(knowledge: KnowledgeBase, settings: Settings) -> Index:
    """The engine for `knowledge`, its embeddings kept in the settings' cache folder."""
    return Index(knowledge, store=FileVectorStore(settings.embedding_cache))
