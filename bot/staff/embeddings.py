"""The embedding cache on disk: a restart on an unchanged base encodes nothing.

One file per encoder version in `DATA_DIR/embeddings/`, holding the vectors (float16) of the
base's texts, keyed by a hash of each text. A reload encodes only the texts that are new, and the
file is rewritten with the base as it now is, so it never grows beyond one base. A cache that
cannot be read or written (missing, read-only or full disk, a damaged file) only costs time: the
texts are encoded again and the bot answers as usual.
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

from bot.config import Settings
from bot.engine import Index
from bot.engine.encoder import Vectors
from bot.knowledge import KnowledgeBase

logger = logging.getLogger(__name__)

KEY_BYTES = 16
"""A 128-bit BLAKE2 digest per text: collisions are out of reach for a base of any size."""

_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=KEY_BYTES).digest()


class FileVectorStore:
    """`VectorStore` backed by one `.npz` file per encoder version in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, version: str) -> Path:
        return self.folder / f"{_SAFE_NAME.sub('_', version)}.npz"

    def load(self, version: str, texts: Sequence[str]) -> list[Vectors | None]:
        path = self._path(version)
        found: list[Vectors | None] = [None] * len(texts)
        try:
            with np.load(path, allow_pickle=False) as stored:
                keys = stored["keys"]
                vectors = stored["vectors"]
        except FileNotFoundError:
            return found
        except (OSError, ValueError, KeyError) as error:
            logger.warning("Embedding cache %s unreadable (%s): texts encoded again", path, error)
            return found
        rows = {bytes(key): row for row, key in enumerate(keys)}
        wanted = [(i, rows.get(text_key(text))) for i, text in enumerate(texts)]
        hits = [(i, row) for i, row in wanted if row is not None]
        # One conversion for all the rows found, handed out as views: no copy per text.
        picked = vectors[[row for _, row in hits]].astype(np.float32)
        for j, (i, _) in enumerate(hits):
            found[i] = picked[j]
        return found

    def save(self, version: str, texts: Sequence[str], vectors: Vectors) -> None:
        path = self._path(version)
        keys = np.frombuffer(b"".join(text_key(t) for t in texts), dtype=np.uint8)
        temporary: Path | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.folder, suffix=".tmp", delete=False) as tmp:
                temporary = Path(tmp.name)
                np.savez(
                    tmp,
                    keys=keys.reshape(len(texts), KEY_BYTES),
                    vectors=vectors.astype(np.float16),
                )
            os.replace(temporary, path)
        except OSError as error:
            logger.warning(
                "Embedding cache %s not written (%s): the next start encodes again", path, error
            )
            if temporary is not None:
                with contextlib.suppress(OSError):
                    temporary.unlink()


def cached_index(knowledge: KnowledgeBase, settings: Settings) -> Index:
    """The engine for `knowledge`, its embeddings kept in the settings' cache folder."""
    return Index(knowledge, store=FileVectorStore(settings.embedding_cache))
