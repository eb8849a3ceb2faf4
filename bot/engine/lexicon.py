"""General French vocabulary (from wordfreq): tells a real word from a typo."""

from __future__ import annotations

from functools import lru_cache

from bot.engine.normalize import fold


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Folded forms of the ~30,000 most frequent French words (wordfreq's small list)."""
    import wordfreq  # imported here: it takes a second, and only the index needs it

    words: set[str] = set()
    for word in wordfreq.get_frequency_dict("fr", wordlist="small"):
        words.update(fold(word).split())
    return frozenset(words)


def is_common_word(word: str) -> bool:
    """True when a folded word is an ordinary French word, so not a typo to correct."""
    return word in common_words()
