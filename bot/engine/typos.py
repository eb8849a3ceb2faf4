"""Typo correction: an unknown word → the closest word the base knows, when it is close enough."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from rapidfuzz import fuzz, process

CORRECTION_CACHE = 16384
"""How many corrections are remembered before starting afresh (bounds memory)."""

MIN_CORRECTED_LENGTH = 4
"""Shorter words are too ambiguous to correct ("cdi" vs "cdd")."""

LENGTH_SLACK = 2
"""A correction may be this many letters shorter or longer than the typed word."""

SHORT_WORD, MEDIUM_WORD = 4, 6
"""Word lengths up to which a correction must be closer (see `cutoff`)."""

SHORT_CUTOFF, MEDIUM_CUTOFF, LONG_CUTOFF = 85.0, 80.0, 75.0
"""rapidfuzz ratios a correction needs: one wrong letter weighs more in a short word."""


def cutoff(word: str) -> float:
    """The rapidfuzz ratio a correction of `word` needs."""
    if len(word) <= SHORT_WORD:
        return SHORT_CUTOFF
    if len(word) <= MEDIUM_WORD:
        return MEDIUM_CUTOFF
    return LONG_CUTOFF


class TypoCorrector:
    """Known surface words (grouped by length) and the term each stands for."""

    def __init__(self, surface: Mapping[str, str]) -> None:
        self._surface = dict(surface)
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in self._surface:
            if len(word) >= MIN_CORRECTED_LENGTH and not word.isdigit():
                by_length[len(word)].append(word)
        self._by_length = {n: tuple(words) for n, words in by_length.items()}
        self._cache: dict[str, tuple[str, float] | None] = {}

    def term_of(self, word: str) -> str | None:
        """The term a known surface word stands for (None when unknown)."""
        return self._surface.get(word)

    def correct(self, word: str) -> tuple[str, float] | None:
        """The term of the known word closest to `word`, with the match quality (0 to 1)."""
        found = self.closest(word)
        return None if found is None else (self._surface[found[0]], found[1])

    def closest(self, word: str) -> tuple[str, float] | None:
        """The known word closest to `word`, as written in the base, with the match quality."""
        if word not in self._cache:
            if len(self._cache) >= CORRECTION_CACHE:
                self._cache.clear()
            self._cache[word] = self._find(word)
        return self._cache[word]

    def _find(self, word: str) -> tuple[str, float] | None:
        choices: list[str] = []
        for size in range(len(word) - LENGTH_SLACK, len(word) + LENGTH_SLACK + 1):
            choices.extend(self._by_length.get(size, ()))
        if not choices:
            return None
        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff(word))
        if best is None:
            return None
        return best[0], best[1] / 100.0
