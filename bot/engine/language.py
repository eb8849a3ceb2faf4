"""Which language a message is written in: French (the bot's) or English (answered in French)."""

from __future__ import annotations

from typing import Literal

Language = Literal["fr", "en"]

_ENGLISH = frozenset(
    "the a an is are was were be been do does did can could would should will what when where "
    "who why how which i you we they it my your our their this that these those there of to in "
    "on for with from about and or not if any have has had get need want am me us "
    "salary apply job work people anyone whats wats wat wheres whos hows whens thats".split()
)
_FRENCH = frozenset(
    "le la les un une des du de est sont etait etre fait faire peut peux pouvez quel quelle "
    "quels quelles quand ou qui pourquoi comment je tu il elle nous vous ils elles mon ton son "
    "ma ta sa mes tes ses ce cette ces et ou pas ne en au aux pour avec sur dans par combien "
    "c j qu est ce que quoi y a on".split()
)

MIN_ENGLISH_WORDS = 2
"""One shared word ("a", "on") says nothing; two English function words more than French do."""

_ALSO_FRENCH = frozenset("a an on in me or do job if".split())
"""English words that a French message may hold too (« on », « a », « un job »)."""


def language(folded: str) -> Language:
    """'en' when the message reads as English, else 'fr' (the default for anything unclear)."""
    tokens = folded.split()
    english = sum(1 for t in tokens if t in _ENGLISH)
    french = sum(1 for t in tokens if t in _FRENCH)
    if english >= MIN_ENGLISH_WORDS and english > french:
        return "en"
    # « eig salary », « who runs eig »: one word only English, and not one French word.
    only_english = any(t in _ENGLISH and t not in _ALSO_FRENCH for t in tokens)
    return "en" if only_english and french == 0 else "fr"
