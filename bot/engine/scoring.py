"""The constants of the lexical score and the naive Bayes blend (see `bot.engine.index`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scoring:
    """The constants of the score, tuned on the golden tables with `python -m bot eval` before
    and after any change."""

    damping: float = 0.26
    """Added to the denominator of every score: a single weak shared term never scores high."""
    unexplained: float = 0.35
    """Weight of the query's terms that an entry does not explain (off-topic words weigh here)."""
    extra: float = 0.15
    """Weight of a phrasing's terms that the query does not contain."""
    bag_share: float = 0.5
    """Share of the whole-entry vocabulary score in an entry's score (the rest: best phrasing)."""
    fuzz_share: float = 0.1
    """Share of rapidfuzz's token_set_ratio (typos, word order) in a phrasing's score."""
    answer_terms: float = 0.3
    """A term found only in an entry's answer or administration counts this much for the entry."""
    unknown: float = 0.8
    """Weight of a query word the base does not know (IDF weights are at most 1)."""
    unknown_common: float = 0.5
    """Weight of an unknown word that is an ordinary French word (context in long messages)."""
    shortlist: int = 40
    """How many entries, ranked by shared term weight, are scored in full."""
    smoothing: float = 0.5
    """Laplace smoothing of the naive Bayes term counts."""
    bayes_share: float = 0.5
    """Share of the naive Bayes posterior in an entry's score."""

    def overlap_score(self, overlap: float, total: float, missing: float = 0.0) -> float:
        """A saturating ratio: the shared weight against what the query and phrasing leave out."""
        return overlap / (
            overlap + self.damping + self.unexplained * (total - overlap) + self.extra * missing
        )

    def with_similarity(self, score: float, similarity: float) -> float:
        """Blend rapidfuzz's similarity (0 to 1) into a phrasing's score."""
        return (1 - self.fuzz_share) * score + self.fuzz_share * similarity * score

    def blend(self, lexical: float, posterior: float) -> float:
        """An entry's final score: its lexical score and its naive Bayes posterior."""
        return (1 - self.bayes_share) * lexical + self.bayes_share * posterior


def posteriors(log_likelihoods: Sequence[float]) -> list[float]:
    """Softmax of naive Bayes log-likelihoods: each entry's probability among the shortlist."""
    top = max(log_likelihoods)
    exp = [math.exp(value - top) for value in log_likelihoods]
    total = sum(exp)
    return [value / total for value in exp]


def log_likelihood(
    weights: Mapping[str, float], counts: Mapping[str, float], norm: float, smoothing: float
) -> float:
    """Weighted naive Bayes log-likelihood of the query's terms under one entry's term counts."""
    return sum(
        weight * (math.log(counts.get(term, 0.0) + smoothing) - norm)
        for term, weight in weights.items()
    )
