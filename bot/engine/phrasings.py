"""The best phrasing of each shortlisted entry for a query, scored in a few array operations.

A phrasing's score sets the weight of the query terms it holds against what the query and the
phrasing leave out (`Scoring.overlap_score`); rapidfuzz's `token_set_ratio` then moves it by at
most `Scoring.fuzz_share`, so it only runs on the phrasings that could still come first. The
overlaps are summed term by term in the query's order, as a loop over the phrasings would: the
same bits, whatever the size of the arrays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from bot.engine.scoring import Scoring
from bot.engine.spans import NO_ROWS, span_max, span_rows
from bot.engine.vocabulary import Vocabulary


@dataclass(frozen=True, slots=True)
class BestPhrasing:
    """An entry's best phrasing for a query."""

    score: float
    text: str
    precision: float
    """Share of the phrasing's term weight that the query holds (at most 1)."""


NO_PHRASING = BestPhrasing(0.0, "", 0.0)
"""An entry none of whose phrasings shares a term with the query."""


def best_phrasings(
    vocabulary: Vocabulary,
    scoring: Scoring,
    entries: Sequence[int],
    weights: Mapping[str, float],
    query: tuple[str, float],
) -> list[BestPhrasing]:
    """The best phrasing of each of `entries` (in that order); `query`: its content words joined
    by spaces (what rapidfuzz compares) and its total term weight."""
    query_words, total = query
    starts = vocabulary.phrasing_starts[list(entries)] if entries else NO_ROWS
    ends = vocabulary.phrasing_ends[list(entries)] if entries else NO_ROWS
    rows, owners = span_rows(starts, ends)
    overlap = _overlaps(vocabulary, rows, starts, ends, weights)
    scores = _overlap_scores(scoring, overlap, vocabulary.phrasing_weights[rows], total)
    top = span_max(scores, ends - starts)
    reachable = (1 - scoring.fuzz_share) * top if scoring.fuzz_share else top * 0.0
    keep = np.flatnonzero((scores > 0) & (scores >= reachable[owners]))
    kept_rows = rows[keep]
    kept_scores = scores[keep]
    if scoring.fuzz_share and len(keep):
        texts = [vocabulary.phrasing_words[row] for row in kept_rows.tolist()]
        ratios = process.cdist([query_words], texts, scorer=fuzz.token_set_ratio, dtype=np.float64)
        # `Scoring.with_similarity`, in its order (the same bits).
        share = scoring.fuzz_share
        kept_scores = (1 - share) * kept_scores + share * (ratios[0] / 100.0) * kept_scores
    best = [NO_PHRASING] * len(starts)
    kept = (owners[keep], kept_rows, kept_scores, overlap[keep])
    for slot, row, score, shared in zip(*(column.tolist() for column in kept), strict=True):
        if score > best[slot].score:  # the first of equals, in the base's order
            weight = float(vocabulary.phrasing_weights[row])
            precision = min(1.0, shared / weight) if weight else 0.0
            best[slot] = BestPhrasing(score, vocabulary.phrasing_texts[row], precision)
    return best


def _overlap_scores(
    scoring: Scoring,
    overlap: npt.NDArray[np.float64],
    weight: npt.NDArray[np.float64],
    total: float,
) -> npt.NDArray[np.float64]:
    """`Scoring.overlap_score` of each phrasing, term for term in its order (the same bits);
    0 for a phrasing that holds none of the query's terms."""
    missing = np.maximum(0.0, weight - overlap)
    denominator = overlap + scoring.damping
    denominator += scoring.unexplained * (total - overlap)
    denominator += scoring.extra * missing
    scores: npt.NDArray[np.float64] = overlap / denominator
    scores[overlap <= 0] = 0.0
    return scores


def _overlaps(
    vocabulary: Vocabulary,
    rows: npt.NDArray[np.intp],
    starts: npt.NDArray[np.intp],
    ends: npt.NDArray[np.intp],
    weights: Mapping[str, float],
) -> npt.NDArray[np.float64]:
    """For each of `rows`, the weight of the query terms its phrasing holds.

    Each term's phrasings are cut to the spans asked for by binary search: a common term's list
    runs through most of a large base, the shortlist's phrasings are a few hundred."""
    everywhere = np.zeros(len(vocabulary.phrasing_weights))  # calloc: untouched pages cost nothing
    for term, weight in weights.items():  # the query's order: the same sum every time
        holders = vocabulary.term_phrasings.get(term)
        if holders is None:
            continue
        low, high = holders.searchsorted(starts), holders.searchsorted(ends)
        inside, _ = span_rows(low, high)
        if len(inside):
            everywhere[holders[inside]] += weight
    overlap: npt.NDArray[np.float64] = everywhere[rows]
    return overlap
