"""The slow parts of a built index, kept between runs: a restart on an unchanged base reads them.

Reading every phrasing's words (`Vocabulary`) and every answer's sentences (`SemanticIndex`)
takes seconds on a large base; what they build is written once, as a pickle, under a key that
names everything it was built from: the base's content, the scoring constants, the encoder's
version, this package's code and the versions of the libraries that read words. Another key is
another base, built again. The engine does no I/O: a `SnapshotStore` (a file, in the staff layer)
keeps the bytes, and a snapshot it cannot read only costs the time of building.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import BinaryIO, Protocol, TypeVar

from bot.engine.encoder import Encoder
from bot.engine.scoring import Scoring
from bot.engine.semantic import SemanticIndex, VectorStore
from bot.engine.vocabulary import Vocabulary, gc_paused
from bot.knowledge import Entry, KnowledgeBase

T = TypeVar("T")

FORMAT = 1
"""Bumped by hand when what a snapshot holds changes in a way the code digest cannot see."""

WORD_LIBRARIES = ("numpy", "snowballstemmer", "stopwords-iso", "rapidfuzz")
"""Libraries whose version changes the words read or the arrays kept: part of the key."""

_CODE = (Path(__file__).parent, Path(__file__).parent.parent / "knowledge")
"""The packages whose code builds the snapshot's parts (the engine, and the base it reads)."""

_ENTRY_FIELDS = tuple(f.name for f in dataclasses.fields(Entry) if f.compare)
"""An entry's content (its lines in the YAML file are left out: they move with every edit)."""


class SnapshotStore(Protocol):
    """Where a built index's parts are kept between runs (one snapshot: the base as it is)."""

    def read(self, key: str, reader: Callable[[BinaryIO], T]) -> T | None:
        """`reader` applied to the snapshot kept under `key`; None when there is none, or when
        it cannot be read (the index is then built)."""
        ...

    def write(self, key: str, writer: Callable[[BinaryIO], None]) -> None:
        """Keep what `writer` writes as the snapshot of `key`, in place of any other."""
        ...


@dataclass(frozen=True, slots=True)
class Built:
    """The parts of an index that a snapshot keeps."""

    vocabulary: Vocabulary
    semantic: SemanticIndex


def key(knowledge: KnowledgeBase, scoring: Scoring, encoder_version: str) -> str:
    """The name of what `Built` depends on: equal keys, equal parts."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(_code_digest().encode())
    digest.update(json.dumps([FORMAT, encoder_version, repr(scoring)]).encode())
    for entry in knowledge.entries:
        content = [getattr(entry, name) for name in _ENTRY_FIELDS]
        digest.update(json.dumps(content, ensure_ascii=False).encode())
    digest.update(json.dumps(sorted(knowledge.synonyms.items()), ensure_ascii=False).encode())
    digest.update(json.dumps(knowledge.declines, ensure_ascii=False).encode())
    return digest.hexdigest()


@cache
def _code_digest() -> str:
    """This code and the versions of the word libraries (read once per process)."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(sys.version.encode())
    for name in WORD_LIBRARIES:
        try:
            digest.update(f"{name} {package_version(name)}".encode())
        except PackageNotFoundError:
            digest.update(f"{name} -".encode())
    for folder in _CODE:
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def dump(built: Built, file: BinaryIO) -> None:
    """Write `built` (without the base's entries, the encoder or the vector store)."""
    pickle.dump(built, file, protocol=pickle.HIGHEST_PROTOCOL)


def load(
    file: BinaryIO, knowledge: KnowledgeBase, encoder: Encoder, store: VectorStore | None
) -> Built:
    """The parts `dump` wrote, joined to the base and encoder they belong to.

    ValueError when the file does not hold the parts of a base of this size.
    """
    with gc_paused():  # millions of objects and no cycles: see `gc_paused`
        built = pickle.load(file)
    if not isinstance(built, Built):
        raise ValueError(f"not an index snapshot ({type(built).__name__})")
    size = len(knowledge.entries)
    if len(built.vocabulary.term_counts) != size or built.semantic.size != size:
        raise ValueError(f"a snapshot of {built.semantic.size} entries for a base of {size}")
    built.vocabulary.attach(knowledge)
    built.semantic.attach(encoder, store)
    return built
