"""Ranking the candidate entries of a query: named features per candidate, one fitted model.

A candidate is an entry that the lexical index shortlisted or whose meaning is close to the
query's. Each gets `CandidateFeatures`; `RankModel` weighs them (weights by name, fitted by
`python -m bot calibrate` as a conditional logit over each query's candidates) into a score,
and a softmax over the candidates turns scores into each entry's probability of being the one.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields


@dataclass(frozen=True, slots=True)
class CandidateFeatures:
    """What the ranking model reads about one candidate entry."""

    lexical: float = 0.0
    """Word-overlap score blended with naive Bayes (0 when not shortlisted by words)."""
    posterior: float = 0.0
    """Naive Bayes probability among the lexical shortlist."""
    coverage: float = 0.0
    """Share of the query's weight its vocabulary explains."""
    precision: float = 0.0
    """Share of its best phrasing found in the query."""
    semantic: float = 0.0
    """Best cosine between the query and one of its phrasings."""
    answer: float = 0.0
    """Best cosine between the query and a sentence of its answer."""
    votes: float = 0.0
    """Share of the query's nearest phrasings (in meaning) that are its own."""
    semantic_gap: float = 0.0
    """`semantic` minus the best candidate's (0 for the closest in meaning)."""
    lexical_gap: float = 0.0
    """`lexical` minus the best candidate's (0 for the best by words)."""
    semantic_unknown: float = 0.0
    """`semantic` × the share of the query the base's words do not know (English, slang)."""
    context_link: float = 0.0
    """1 when it is the entry just given and the message opens with "et", "mais"…"""
    context_pointer: float = 0.0
    """1 when it is the entry just given and the message points back ("qui l'a porté ?")."""
    context_short: float = 0.0
    """1 when it is the entry just given and the message is a few words."""
    kin_short: float = 0.0
    """1 when it shares its topic with the entry just given and the message is short."""
    semantic_context: float = 0.0
    """Cosine of its best phrasing with the query read after the previous answer's title."""
    named: float = 0.0
    """1 when the query contains a word of its name (a défi asked for by name)."""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def as_dict(self) -> dict[str, float]:
        # Not dataclasses.asdict: it deep-copies every value, a third of a query's time.
        return {name: float(getattr(self, name)) for name in self.__dataclass_fields__}


CANDIDATE_FEATURES = CandidateFeatures.names()


class RankModelError(ValueError):
    """The ranking weights do not match the candidate features."""


@dataclass(frozen=True, slots=True)
class RankModel:
    """Linear weights over `CandidateFeatures`, by name."""

    weights: Mapping[str, float]
    _read: Callable[[CandidateFeatures], tuple[float, ...]] = field(
        init=False, repr=False, compare=False
    )
    """The features named in `weights`, in its order, read in one call."""
    _coefficients: tuple[float, ...] = field(init=False, repr=False, compare=False)
    """`weights`' values, in its order."""

    def __post_init__(self) -> None:
        if set(self.weights) != set(CANDIDATE_FEATURES):
            missing = sorted(set(CANDIDATE_FEATURES) - set(self.weights))
            unknown = sorted(set(self.weights) - set(CANDIDATE_FEATURES))
            raise RankModelError(f"rank weights: missing {missing}, unknown {unknown}")
        object.__setattr__(self, "_read", operator.attrgetter(*self.weights))
        object.__setattr__(self, "_coefficients", tuple(self.weights.values()))

    def score(self, features: CandidateFeatures) -> float:
        # map() rather than a generator: a third of the time, for the same sum in the same order.
        products: Iterator[float] = map(
            operator.mul, self._coefficients, map(float, self._read(features))
        )
        return sum(products)


def softmax(scores: Sequence[float]) -> list[float]:
    """Probabilities from scores (empty in, empty out)."""
    if not scores:
        return []
    top = max(scores)
    exp = [math.exp(s - top) for s in scores]
    total = sum(exp)
    return [e / total for e in exp]
