"""The embedding cache on disk: a restart on an unchanged base encodes nothing.

One file per encoder version in `DATA_DIR/embeddings/`: a `.npy` array with one record per text
of the base, the BLAKE2 digest of the text then its vector in float16. A reload encodes only the
texts that are new, and the file is rewritten with the base as it now is, so it never grows
beyond one base; the files of other encoder versions are removed then. The file is read a few
MB at a time into the vectors the engine keeps (in float16), and when the base has not changed
(same texts in the same order, the usual restart) they are used as read, with no lookup per
text. A cache that cannot be read or written (missing, read-only or full disk, a damaged file)
only costs time: the texts are encoded again and the bot answers as usual.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from bot.config import Settings
from bot.engine import Index
from bot.engine.semantic import HalfVectors, Stored
from bot.engine.use_weights import npy_header
from bot.knowledge import KnowledgeBase
from bot.staff.atomic import replace_file
from bot.staff.snapshots import FileSnapshotStore

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
            keys, vectors = _read(path)
        except FileNotFoundError:
            return Stored.nothing()
        except (OSError, ValueError) as error:
            logger.warning("Embedding cache %s unreadable (%s): texts encoded again", path, error)
            return Stored.nothing()
        wanted = text_keys(texts)
        if keys.shape == wanted.shape and np.array_equal(keys, wanted):
            return Stored(np.arange(len(texts), dtype=np.intp), vectors)
        at = {key: row for row, key in enumerate(_rows_as_bytes(keys))}
        pairs = [(i, at.get(key)) for i, key in enumerate(_rows_as_bytes(wanted))]
        hits = [(i, row) for i, row in pairs if row is not None]
        found = np.array([i for i, _ in hits], dtype=np.intp)
        rows = np.array([row for _, row in hits], dtype=np.intp)
        return Stored(found, vectors[rows])

    def save(self, version: str, texts: Sequence[str], chunks: Iterable[HalfVectors]) -> None:
        path = self._path(version)
        try:
            replace_file(path, lambda file: _write(file, texts, chunks))
            self._drop_others(path)
        except OSError as error:
            logger.warning(
                "Embedding cache %s not written (%s): the next start encodes again", path, error
            )

    def _drop_others(self, kept: Path) -> None:
        """Remove the caches of other encoder versions (and of the formats before this one):
        after an encoder change, the old vectors only take room."""
        for other in [*self.folder.glob("*.npy"), *self.folder.glob("*.npz")]:
            if other != kept:
                with contextlib.suppress(OSError):
                    other.unlink()


READ_ROWS = 8192
"""Records read per step (about 8 MB): the file is never in memory next to the vectors."""


def _read(path: Path) -> tuple[Records, HalfVectors]:
    """The digests and the vectors of a cache file, read a few MB at a time.

    ValueError unless the file is a table of digests followed by float16 vectors.
    """
    with path.open("rb") as file:
        shape, fortran, dtype = npy_header(file)
        width = shape[1] - KEY_BYTES if len(shape) == 2 else -1
        item = np.dtype(STORED_TYPE).itemsize
        if dtype != np.uint8 or fortran or width <= 0 or width % item:
            raise ValueError(f"not a table of embeddings ({dtype}, {shape})")
        if os.fstat(file.fileno()).st_size - file.tell() != shape[0] * shape[1]:
            raise ValueError(f"the file does not hold the {shape[0]} records it announces")
        keys = np.empty((shape[0], KEY_BYTES), np.uint8)
        vectors = np.empty((shape[0], width // item), STORED_TYPE)
        for start in range(0, shape[0], READ_ROWS):
            count = min(READ_ROWS, shape[0] - start)
            records = np.fromfile(file, np.uint8, count * shape[1]).reshape(count, shape[1])
            keys[start : start + count] = records[:, :KEY_BYTES]
            vectors[start : start + count] = records[:, KEY_BYTES:].view(STORED_TYPE)
    return keys, vectors


def _write(file: BinaryIO, texts: Sequence[str], chunks: Iterable[HalfVectors]) -> None:
    """The records of `texts`, written a chunk of vectors at a time, as they come (a `.npy`
    file that `np.load` reads too).

    ValueError (nothing kept) when the chunks do not hold one vector per text.
    """
    header: dict[str, object] = {"descr": "|u1", "fortran_order": False}
    written = 0
    for vectors in chunks:
        if not written:
            width = KEY_BYTES + vectors.shape[1] * np.dtype(STORED_TYPE).itemsize
            np.lib.format.write_array_header_1_0(file, {**header, "shape": (len(texts), width)})
        chunk = texts[written : written + len(vectors)]
        if len(chunk) != len(vectors):
            raise ValueError(f"more vectors than the {len(texts)} texts")
        records = np.empty((len(chunk), width), np.uint8)
        records[:, :KEY_BYTES] = text_keys(chunk)
        records[:, KEY_BYTES:].view(STORED_TYPE)[:] = vectors
        file.write(records.tobytes())
        written += len(chunk)
    if written != len(texts):
        raise ValueError(f"{written} vectors for {len(texts)} texts")


def _rows_as_bytes(keys: Records) -> list[bytes]:
    data = np.ascontiguousarray(keys).tobytes()
    return [data[i : i + KEY_BYTES] for i in range(0, len(data), KEY_BYTES)]


def cached_index(knowledge: KnowledgeBase, settings: Settings) -> Index:
    """The engine for `knowledge`, its embeddings and its snapshot kept in the settings' cache
    folder."""
    folder = settings.embedding_cache
    return Index(knowledge, store=FileVectorStore(folder), snapshots=FileSnapshotStore(folder))
