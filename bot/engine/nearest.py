"""Nearest rows of a large matrix of unit vectors, found on a reduced copy first.

Comparing a query with every phrasing of a large base reads all their vectors (100,000 × 512
numbers at 20,000 entries: 15 ms, most of a query). The directions along which the base's
vectors vary most (the leading eigenvectors of their second-moment matrix, computed on a
sample) keep most of every dot product in 48 numbers: the query is compared with that reduced
copy (a tenth of the reading), and only the best rows are compared in full.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from bot.engine.encoder import Vectors

REDUCED_DIMENSIONS = 48
"""Numbers kept per row. On the 20,000-entry bench base, the row nearest to a query is among the
1,024 best of the reduced copy for 294 of 300 queries (64 numbers: 296, 128: all 300), and every
query's best entry stays the same; comparing a query with the copy takes half the time of 64
numbers (0.7 against 1.5 ms here: 19 MB of rows against 26)."""

SAMPLE_ROWS = 8000
"""Rows that estimate the directions (more changes them little and costs more at start)."""

SAMPLE_SEED = 20261202
"""The sample is drawn the same way at every start: the same base, the same directions."""

SAMPLE_STEP = 16
"""Every 16th score estimates the threshold of the best ones (see `best_rows`)."""

THRESHOLD_MARGIN = 1.5
"""Scores let through per score wanted, on average: on the 20,000-entry bench base, fewer than
`count` pass for no query (each such query would only cost the full selection)."""

_CHUNK = 4096
"""Rows reduced per step while building (a float32 copy of a chunk, not of the whole matrix)."""


class ReducedSearch:
    """The rows of `vectors` projected on their leading directions."""

    def __init__(
        self, vectors: npt.NDArray[np.floating] | EightBitRows, dimensions: int = REDUCED_DIMENSIONS
    ):
        rng = np.random.default_rng(SAMPLE_SEED)
        sample = np.sort(rng.choice(len(vectors), min(SAMPLE_ROWS, len(vectors)), replace=False))
        rows = np.asarray(vectors[sample], dtype=np.float32)
        _, directions = np.linalg.eigh((rows.T @ rows).astype(np.float64))  # ascending order
        self.basis: Vectors = np.ascontiguousarray(directions[:, ::-1][:, :dimensions], np.float32)
        self.reduced: Vectors = np.empty((len(vectors), dimensions), dtype=np.float32)
        for start in range(0, len(vectors), _CHUNK):
            chunk = np.asarray(vectors[start : start + _CHUNK], dtype=np.float32)
            self.reduced[start : start + len(chunk)] = chunk @ self.basis

    def candidates(self, vector: Vectors, count: int) -> npt.NDArray[np.intp]:
        """The `count` rows whose reduced dot product with `vector` is the largest (any order)."""
        scores = self.reduced @ (vector @ self.basis)
        if count >= len(scores):
            return np.arange(len(scores), dtype=np.intp)
        return best_rows(scores, count)


def best_rows(scores: npt.NDArray[np.float32], count: int) -> npt.NDArray[np.intp]:
    """The positions of the `count` largest scores (any order; `count` < their number).

    A selection among 100,000 scores costs 0.8 ms, more than the product that gave them. A
    sample of them gives a threshold that about `THRESHOLD_MARGIN` times `count` scores pass
    (0.06 ms), and the selection runs on those; when fewer than `count` pass, on all of them.
    Either way, the same rows as a selection among all the scores.
    """
    sample = scores[::SAMPLE_STEP]
    rank = int(count * THRESHOLD_MARGIN) // SAMPLE_STEP
    if 0 < rank < len(sample):
        threshold = np.partition(sample, len(sample) - rank)[len(sample) - rank]
        passed = np.flatnonzero(scores >= threshold)
        if len(passed) >= count:
            return passed[np.argpartition(-scores[passed], count - 1)[:count]]
    return np.argpartition(-scores, count - 1)[:count]


class EightBitRows:
    """Unit vectors in 8 bits, one scale per row: a quarter of float32's memory.

    Read a few rows at a time (`rows[indices]` gives them in float32). Each number is off by at
    most half a step (its row's largest magnitude / 254), so a cosine moves by about 4e-4.
    Widening float16 rows instead costs numpy 3 ns a number, 1.5 ms for the 1,024 candidates
    of a query; 8-bit rows widen twenty times faster.
    """

    def __init__(self, count: int, dimensions: int) -> None:
        """`count` rows of `dimensions` numbers, to be filled (`rows[start:stop] = vectors`)."""
        self.codes = np.zeros((count, dimensions), dtype=np.int8)
        self.scales = np.ones(count, dtype=np.float32)

    def __setitem__(self, rows: slice, vectors: npt.NDArray[np.floating]) -> None:
        """Store these consecutive rows, `_CHUNK` at a time (a float32 copy of a chunk only)."""
        first, stop, step = rows.indices(len(self))
        if step != 1 or stop - first != len(vectors):
            raise ValueError(f"{len(vectors)} rows for the rows {first}:{stop}:{step}")
        for start in range(0, len(vectors), _CHUNK):
            chunk = np.asarray(vectors[start : start + _CHUNK], dtype=np.float32)
            scale = np.abs(chunk).max(axis=1, initial=0.0) / 127.0
            scale[scale == 0] = 1.0
            at = slice(first + start, first + start + len(chunk))
            self.codes[at] = np.rint(chunk / scale[:, None])
            self.scales[at] = scale

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, rows: npt.NDArray[np.intp] | slice) -> Vectors:
        widened: Vectors = self.codes[rows].astype(np.float32)
        widened *= self.scales[rows, None]
        return widened
