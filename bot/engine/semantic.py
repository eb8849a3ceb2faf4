"""The meaning side of the index: sentence embeddings of the base, compared with the query's.

Every phrasing of an entry (its questions and name) and every sentence of its answer is
embedded once, when the index is built (the staff layer keeps them in a disk cache, so a restart
encodes nothing). A query is embedded once; its cosine with each phrasing gives, per entry, the
best phrasing similarity, and with the answer sentences of the shortlisted entries, their best
answer-sentence similarity. The lexical index finds entries that share words with a question;
this side finds the ones that share its meaning ("qui sort le chéquier ?" for the financing
entry, an English question for a French entry).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from bot.engine.encoder import Encoder, Vectors
from bot.engine.nearest import EightBitRows, ReducedSearch
from bot.engine.spans import span_max, span_rows
from bot.knowledge import Entry, KnowledgeBase, markup

Scores = npt.NDArray[np.float64]
HalfVectors = npt.NDArray[np.float16]
"""Vectors at the precision they are stored at: every value is exact in float32 too."""
Rows = Vectors | EightBitRows
"""A base's vectors as the index keeps them: `rows[indices]` gives float32 rows."""

MIN_ANSWER_SENTENCE = 20
"""Characters below which an answer fragment ("Plus d'infos :") says nothing of its topic."""

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
_ADDRESS = re.compile(r"https?://\S+|\S+@\S+")


def answer_sentences(entry: Entry) -> list[str]:
    """The sentences of an entry's answer worth embedding (mark-up, links and addresses out)."""
    plain = markup.to_plain(markup.parse(entry.answer))
    found = []
    for piece in _SENTENCE_END.split(_ADDRESS.sub(" ", plain)):
        sentence = " ".join(piece.strip(" •-").split())
        if len(sentence) >= MIN_ANSWER_SENTENCE:
            found.append(sentence)
    return found


def phrasings(entry: Entry) -> list[str]:
    """The texts that ask for an entry: its questions, and its name for a défi."""
    texts = list(entry.questions)
    if entry.name:
        texts.append(entry.name)
    return texts


@dataclass(frozen=True, slots=True)
class Stored:
    """What a `VectorStore` knew of a base's texts."""

    found: npt.NDArray[np.intp]
    """Positions (in the texts asked for) of the texts whose vector was stored."""
    vectors: HalfVectors
    """Their vectors, one row per position of `found`, in float16 (the precision kept)."""

    @classmethod
    def nothing(cls) -> Stored:
        return cls(np.zeros(0, dtype=np.intp), np.zeros((0, 0), dtype=np.float16))


class VectorStore(Protocol):
    """Where the vectors of a base's texts are kept between runs (the engine does no I/O)."""

    def load(self, version: str, texts: Sequence[str]) -> Stored:
        """The stored vectors of these texts for this encoder version (those known)."""
        ...

    def save(self, version: str, texts: Sequence[str], chunks: Iterable[HalfVectors]) -> None:
        """Keep these texts' vectors (and only these: the base as it is now), given in order a
        chunk of rows at a time (a large base's vectors are never all in memory at once)."""
        ...


ENCODE_CHUNK = 4096
"""Texts encoded per call when a base is indexed: the encoder's own output stays a few MB
instead of a second copy of every vector of a large base."""

Sink = Callable[[int, HalfVectors], None]
"""Takes a base's vectors a chunk at a time: the position of its first text, then its rows."""


def encode_base(texts: list[str], encoder: Encoder, store: VectorStore | None, sink: Sink) -> None:
    """Give `sink` the vectors of a base's texts, in order, `ENCODE_CHUNK` at a time: from the
    store where known, encoded where not (the store then keeps them all).

    Vectors are rounded to float16, the precision they are stored at, whether they were just
    encoded or read back: a decision never depends on whether the cache was warm. They are
    never all held in float16 as well as in the form the index keeps (150 MiB at 20,000
    entries).
    """
    stored = store.load(encoder.version, texts) if store is not None else Stored.nothing()
    if stored.vectors.shape[1:] != (encoder.dimensions,):
        stored = Stored.nothing()
    if len(stored.found) == len(texts):  # the usual restart: everything known, in order
        for start in range(0, len(texts), ENCODE_CHUNK):
            sink(start, stored.vectors[start : start + ENCODE_CHUNK])
        return
    row_of = np.full(len(texts), -1, dtype=np.intp)
    row_of[stored.found] = np.arange(len(stored.found))

    def chunks() -> Iterator[HalfVectors]:
        for start in range(0, len(texts), ENCODE_CHUNK):
            rows = row_of[start : start + ENCODE_CHUNK]
            half = np.empty((len(rows), encoder.dimensions), dtype=np.float16)
            known = rows >= 0
            if known.any():
                half[known] = stored.vectors[rows[known]]
            missing = np.flatnonzero(~known)
            if len(missing):
                half[missing] = encoder.encode([texts[start + i] for i in missing.tolist()])
            sink(start, half)
            yield half

    feed = chunks()
    if store is not None:
        store.save(encoder.version, texts, feed)
    for _ in feed:  # the chunks a store that could not write did not read
        pass


NEIGHBOURS = 10
"""Nearest phrasings that vote for their entry (see `Similarities.votes`)."""

EXACT_SCAN_LIMIT = 20_000
"""Phrasings up to which a query is compared with every one of them (about 3 ms at that size);
a larger base is searched on a reduced copy of its vectors first (`nearest.ReducedSearch`)."""

CANDIDATE_PHRASINGS = 1024
"""Phrasings compared in full after the reduced search, on a base larger than EXACT_SCAN_LIMIT."""


@dataclass(frozen=True, slots=True)
class Similarities:
    """A query's best cosine with each entry's phrasings, and how its nearest phrasings vote."""

    phrasing: Scores
    votes: Scores
    """Share of the query's `NEIGHBOURS` nearest phrasings that belong to each entry."""
    decline: float = 0.0
    """The best cosine with a question the bot must decline (`KnowledgeBase.declines`)."""
    exact: bool = True
    """False on a large base: `phrasing` holds, per entry, the best of its phrasings that the
    reduced search found (0 for the others) until `SemanticIndex.completed` reads them all."""


class SemanticIndex:
    """Embeddings of a knowledge base's phrasings and answer sentences, by entry."""

    def __init__(
        self, knowledge: KnowledgeBase, encoder: Encoder, store: VectorStore | None = None
    ) -> None:
        self.encoder = encoder
        self.store = store
        self.size = len(knowledge.entries)
        phrasing_texts: list[str] = []
        phrasing_owners: list[int] = []
        answer_texts: list[str] = []
        answer_owners: list[int] = []
        for number, entry in enumerate(knowledge.entries):
            for text in phrasings(entry):
                phrasing_texts.append(text)
                phrasing_owners.append(number)
            for text in answer_sentences(entry):
                answer_texts.append(text)
                answer_owners.append(number)
        answers_end = len(phrasing_texts) + len(answer_texts)
        large = len(phrasing_texts) > EXACT_SCAN_LIMIT

        # Every query reads all the vectors of a base scanned in full: float32, which BLAS
        # multiplies. A large base is read a few rows at a time: kept in 8 bits.
        def kept(count: int) -> Rows:
            shape = (count, encoder.dimensions)
            return EightBitRows(*shape) if large else np.empty(shape, dtype=np.float32)

        self._phrasings: Rows = kept(len(phrasing_texts))
        self._answers: Rows = kept(len(answer_texts))
        declines = (len(knowledge.declines), encoder.dimensions)
        self._declines: Vectors = np.empty(declines, dtype=np.float32)
        parts = (
            (0, self._phrasings),
            (len(phrasing_texts), self._answers),
            (answers_end, self._declines),
        )

        def keep(start: int, half: HalfVectors) -> None:
            """Copy a chunk of the base's vectors into the parts it spans."""
            for first, rows in parts:
                low, high = max(start, first), min(start + len(half), first + len(rows))
                if low < high:
                    rows[low - first : high - first] = half[low - start : high - start]

        texts = [*phrasing_texts, *answer_texts, *knowledge.declines]
        encode_base(texts, encoder, store, keep)
        self._reduced = ReducedSearch(self._phrasings) if large else None
        self._phrasing_owner = np.array(phrasing_owners, dtype=np.intp)
        self._answer_owner = np.array(answer_owners, dtype=np.intp)
        self._decline_texts = tuple(knowledge.declines)
        self._phrasing_groups = _Groups(self._phrasing_owner, self.size)
        self._answer_groups = _Groups(self._answer_owner, self.size)

    def __getstate__(self) -> dict[str, object]:
        """Pickled without the encoder and the store, which are attached again (`attach`)."""
        state = self.__dict__.copy()
        del state["encoder"], state["store"]
        return state

    def attach(self, encoder: Encoder, store: VectorStore | None) -> None:
        """Join an index read from a snapshot to the encoder it was built with."""
        self.encoder = encoder
        self.store = store

    def embed(self, text: str) -> Vectors:
        """The query's vector (one row)."""
        vector: Vectors = self.encoder.encode_message([text])[0]
        return vector

    def similarities(self, vector: Vectors) -> Similarities:
        """Per entry, the best cosine of `vector` with its phrasings (every entry: the nearest
        in meaning join the shortlist). On a large base, only the phrasings that the reduced
        search finds are compared (see `Similarities.exact`)."""
        if self._reduced is None:
            rows = None
            cosines = self._phrasings[:] @ vector  # all of them: a view of the float32 array
            best = self._phrasing_groups.best(cosines)
        else:
            rows = np.sort(self._reduced.candidates(vector, CANDIDATE_PHRASINGS))
            cosines = self._phrasings[rows] @ vector
            best = np.zeros(self.size, dtype=np.float64)
            np.maximum.at(best, self._phrasing_owner[rows], cosines)
        votes = np.zeros(self.size, dtype=np.float64)
        if len(cosines):
            count = min(NEIGHBOURS, len(cosines))
            nearest = np.argpartition(-cosines, count - 1)[:count]
            owners = self._phrasing_owner[nearest if rows is None else rows[nearest]]
            np.add.at(votes, owners, 1.0 / count)
        declines = self._declines @ vector
        return Similarities(
            phrasing=best,
            votes=votes,
            decline=float(declines.max()) if len(declines) else 0.0,
            exact=rows is None,
        )

    def completed(
        self, similarities: Similarities, vector: Vectors, entries: Sequence[int]
    ) -> Similarities:
        """`similarities` with the best cosine of each of `entries` read from all its phrasings
        (the shortlist's features must not depend on what the reduced search found)."""
        if similarities.exact or not entries:
            return similarities
        chosen = list(entries)
        phrasing = similarities.phrasing.copy()
        phrasing[chosen] = self._phrasing_groups.best_of(self._phrasings, vector, chosen)
        return dataclasses.replace(similarities, phrasing=phrasing)

    def closest_decline(self, text: str) -> tuple[str, float] | None:
        """The question to decline closest in meaning to `text`, with its cosine (None: the base
        has none): what makes the bot decline a question that looks like it."""
        if not self._decline_texts:
            return None
        cosines = self._declines @ self.embed(text)
        best = int(np.argmax(cosines))
        return self._decline_texts[best], float(cosines[best])

    def answers(self, vector: Vectors, entries: Sequence[int]) -> dict[int, float]:
        """The best cosine of `vector` with the answer sentences of each of `entries`, never
        below 0 (the shortlist: on a large base, reading every answer would cost more than the
        rest)."""
        chosen = list(entries)
        best = self._answer_groups.best_of(self._answers, vector, chosen)
        return dict(zip(chosen, best.tolist(), strict=True))


class _Groups:
    """Texts grouped by the entry they belong to (consecutive: the base is read entry by entry)."""

    def __init__(self, owner: npt.NDArray[np.intp], size: int) -> None:
        if len(owner) and bool(np.any(np.diff(owner) < 0)):
            raise ValueError("texts must come entry by entry")
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else owner
        ends = np.r_[starts[1:], len(owner)] if len(owner) else owner
        self.starts_of = np.zeros(size, dtype=np.intp)
        """Each entry's first row (an entry without texts: an empty span)."""
        self.ends_of = np.zeros(size, dtype=np.intp)
        self.starts_of[owner[starts]] = starts
        self.ends_of[owner[starts]] = ends

    def best(self, cosines: Vectors) -> Scores:
        """Per entry, its texts' best cosine, never below 0 (0 for an entry without texts)."""
        return np.maximum(span_max(cosines, self.ends_of - self.starts_of), 0.0)

    def best_of(self, vectors: Rows, vector: Vectors, entries: list[int]) -> Scores:
        """For each of `entries`, the best cosine of `vector` with its texts' rows of `vectors`,
        never below 0: only those rows are read."""
        starts, ends = self.starts_of[entries], self.ends_of[entries]
        rows, _ = span_rows(starts, ends)
        return np.maximum(span_max(vectors[rows] @ vector, ends - starts), 0.0)
