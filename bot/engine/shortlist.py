"""The entries a query's words point to: the weight of the query terms each entry holds.

The query's rare enough terms (in at most `nominate_max` entries) nominate entries; while fewer
than the shortlist's size are nominated, so do its common terms, rarest first. The remaining
common terms only add their weight to the nominated entries: their long postings are only
masked, never scored in full, so a query costs about the same on 2,000 entries as on 20,000.
On a base of at most `nominate_max` entries every term nominates: the plain scan.

Weights are summed term by term in the query's order, and ties are broken by the order in which
entries were first reached (the rarest nominating term first, then the base's order): the
shortlist is the same whatever the size of the arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.engine.spans import NO_ROWS, largest
from bot.engine.vocabulary import Vocabulary


@dataclass(frozen=True, slots=True)
class SharedWeights:
    """Per entry, the weight of the query terms it holds (0 where no nominating term reached)."""

    weights: npt.NDArray[np.float64]
    reached: npt.NDArray[np.bool_]
    first: npt.NDArray[np.intp]
    """Per entry, the position in the query of the first nominating term that reached it."""

    def best(self, count: int) -> list[int]:
        """The `count` reached entries with the largest weight, largest first; ties in the order
        entries were reached."""
        reached = np.flatnonzero(self.reached)
        picked = largest(self.weights[reached], count, self.first[reached])
        chosen: list[int] = reached[picked].tolist()
        return chosen


def shared_weights(
    vocabulary: Vocabulary, terms: Sequence[tuple[str, float]], size: int, nominate_max: int
) -> SharedWeights:
    """The weight of `terms` (known terms with their query weight, in the query's order) that each
    entry holds, for the entries that `size` and `nominate_max` let them reach."""
    postings, factors = vocabulary.postings, vocabulary.factors
    lengths = [len(postings.get(term, ())) for term, _ in terms]
    nominating = [length <= nominate_max for length in lengths]
    reached = np.zeros(len(vocabulary.entries), dtype=bool)
    for position, term_nominates in enumerate(nominating):
        if term_nominates:
            reached[postings.get(terms[position][0], NO_ROWS)] = True
    for position in sorted(range(len(terms)), key=lengths.__getitem__):  # rarest first
        if np.count_nonzero(reached) >= size:
            break
        if not nominating[position]:
            nominating[position] = True
            reached[postings.get(terms[position][0], NO_ROWS)] = True
    weights = np.zeros(len(vocabulary.entries))
    first = np.full(len(vocabulary.entries), len(terms), dtype=np.intp)
    for position, (term, weight) in enumerate(terms):
        if nominating[position] and term in postings:
            holders = postings[term]
            weights[holders] += weight * factors[term]
            first[holders] = np.minimum(first[holders], position)
    for position, (term, weight) in enumerate(terms):
        if not nominating[position] and term in postings:
            holders, factor = postings[term], factors[term]
            inside = reached[holders]
            weights[holders[inside]] += weight * factor[inside]
    return SharedWeights(weights, reached, first)
