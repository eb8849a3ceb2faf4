"""Rows grouped in consecutive spans (an entry's phrasings, its answer sentences), read in bulk."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Positions = npt.NDArray[np.intp]

NO_ROWS: Positions = np.zeros(0, dtype=np.intp)


def span_rows(starts: Positions, ends: Positions) -> tuple[Positions, Positions]:
    """The rows of the spans [start, end), one after the other, and the span each belongs to
    (its position in `starts`): the concatenation of `range(start, end)` in one pass."""
    counts = ends - starts
    owners = np.repeat(np.arange(len(starts), dtype=np.intp), counts)
    offsets = np.cumsum(counts) - counts
    rows = np.arange(int(counts.sum()), dtype=np.intp) - np.repeat(offsets - starts, counts)
    return rows, owners


def span_max(values: npt.NDArray[np.floating], counts: Positions) -> npt.NDArray[np.float64]:
    """The largest of each span's values (`values` holds the spans one after the other, `counts`
    their lengths), 0 for an empty span."""
    best = np.zeros(len(counts))
    present = np.flatnonzero(counts)
    if len(present):
        best[present] = np.maximum.reduceat(values, (np.cumsum(counts) - counts)[present])
    return best


def largest(
    values: npt.NDArray[np.floating], count: int, before: Positions | None = None
) -> Positions:
    """The positions of the `count` largest values, largest first; equal values by `before`
    (smaller first) when given, then in position order. A partial selection, not a sort of all
    of them (20,000 entries on a large base)."""
    if len(values) > count:
        chosen = np.argpartition(-values, count - 1)[:count]
        least = values[chosen].min()
        chosen = np.flatnonzero(values >= least)  # every tie at the boundary, ordered below
    else:
        chosen = np.arange(len(values), dtype=np.intp)
    keys = (
        (chosen, -values[chosen]) if before is None else (chosen, before[chosen], -values[chosen])
    )
    best: Positions = chosen[np.lexsort(keys)[:count]]
    return best
