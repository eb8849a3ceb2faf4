"""The question of a long message: the sentence that asks, read on its own as well.

« Je suis développeuse dans une agence web à Nantes et une collègue m'a parlé des EIG à la
pause café. Concrètement, ça sert à quoi ce programme ? » The sentence encoder reads the whole
message as one meaning, where the story weighs as much as the question. Its last sentence that
asks is encoded too, and the message's vector leans towards it (`with_question`); only when
that sentence says something by itself: « C'était quoi ? » or « Comment je fais ? » ask about
the story, which stays the whole meaning.
"""

from __future__ import annotations

import re

import numpy as np

from bot.engine.encoder import Vectors, normalised

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")

MIN_KNOWN_WORDS = 3
"""Words the base knows that the asking sentence must hold to be read on its own: fewer, and it
asks about the story (« Vous pouvez m'en parler ? »)."""

ADDED_QUESTION_WORDS = 6
"""A last question this short, after another, adds to it (« c'est nouveau ? », « des gens de
l'administration ? ») rather than asking on its own."""

QUESTION_WEIGHT = 0.5
"""Weight of the asking sentence's vector next to the whole message's (of weight 1). On the
golden tables, the nearest phrasing in meaning is then the right entry's for 84 instead of 77
of the 111 long stories, with no table losing any."""


def sentences(text: str) -> list[str]:
    """The text's sentences, cut after « . », « ! », « ? » or « … »."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]


_ASKS = re.compile(
    r"\b(?:savoir|conna[iî]tre|demande\w*|combien|comment|quand|pourquoi|quel\w*|où"
    r"|est-ce|wonder\w*|know|how|what|when|where|who|why|which)\b",
    re.IGNORECASE,
)
"""Words of a sentence that asks without a question mark: « Elle voudrait savoir combien on
touche », « I wonder how long it lasts »."""


def asking_sentence(text: str) -> str | None:
    """The last sentence with a question mark, else the last one that asks in words (a letter
    ends with « Merci d'avance, Sylvie », which asks nothing), else the last one, for a message
    of two sentences or more; None for a single sentence."""
    parts = sentences(text)
    if len(parts) < 2:
        return None
    in_words = next((s for s in reversed(parts) if _ASKS.search(s)), None)
    return _last_question(parts) or in_words or parts[-1]


def question_sentence(text: str) -> str | None:
    """The last sentence with a question mark, for a message of two sentences or more; None
    when there is none (a story that asks nothing in so many words)."""
    parts = sentences(text)
    return _last_question(parts) if len(parts) >= 2 else None


_CLAUSE_END = re.compile(r"\s*[,;:]\s+|\s+[-–—]\s+")

MIN_STORY_WORDS = 4
"""Words the clauses before the question must hold to be a story: « salut, c'est quoi ? » or
« ok, et le salaire ? » open with a word, not a situation."""


_ASKS_TOO = re.compile(r"\bd'?ou\b|\bquoi\b|\bc['’ ]?est qui\b|^\W*qui\b", re.IGNORECASE)
"""« d'ou vient le pognon » (typed without its accent: it asks as « où » does), « c'est quoi le
statut » (before a list of what it may be), « c'est qui l'employeur des EIG, nous ou la
DINSIC ? » (tryout e66; « qui » elsewhere is more often a relative: « un dev qui a 3 ans
d'expérience »)."""

_ASKS_FIRST = re.compile(r"(?:do|does|did|can|could|is|are|will|would|should)\b", re.IGNORECASE)
"""The first word of an English clause that asks (« do i need a visa for this »)."""


def asking_clause(text: str) -> str | None:
    """The last clause of a message of one sentence, when it ends with a question mark and the
    clauses before it tell a story of at least `MIN_STORY_WORDS` words (« j'habite à Lille et je
    suis présélectionné, l'entretien je peux le faire en visio ? »); None otherwise."""
    if len(sentences(text)) != 1:
        return None
    clauses = _CLAUSE_END.split(text.strip())
    if len(clauses) < 2 or "?" not in clauses[-1]:
        return None
    story = clauses[:-1]
    if len(" ".join(story).split()) < MIN_STORY_WORDS or any(map(_asks, story)):
        return None
    return clauses[-1]


_REFERS_BACK = re.compile(
    r"\b(?:on|je|j|tu|il|elle|nous|vous|ils|elles)\s+(?:l['’]|(?:le|la|les|lui|leur)\b)",
    re.IGNORECASE,
)
"""A subject then an object pronoun: « où est-ce qu'on l'inscrit ? », « vous les prenez ? »."""


def refers_back(clause: str) -> bool:
    """Whether a clause names its object by a pronoun, which stands for something of the story
    before it (« mon fils veut faire le SNU, où est-ce qu'on l'inscrit ? »): read alone, the
    clause would ask about something else."""
    return bool(_REFERS_BACK.search(clause))


def _asks(clause: str) -> bool:
    """Whether a clause asks something: then the message asks twice, not after a story."""
    return bool(_ASKS.search(clause) or _ASKS_TOO.search(clause) or _ASKS_FIRST.match(clause))


def _last_question(parts: list[str]) -> str | None:
    """The last sentence with a question mark, with the one before it when that one asks too
    and the last is short (« ça existe depuis quand ce programme ? c'est nouveau ? »: the second
    only adds to the first)."""
    asked = [i for i, s in enumerate(parts) if "?" in s]
    if not asked:
        return None
    last = asked[-1]
    if last >= 1 and last - 1 in asked and len(parts[last].split()) <= ADDED_QUESTION_WORDS:
        return f"{parts[last - 1]} {parts[last]}"
    return parts[last]


def with_question(message: Vectors, question: Vectors) -> Vectors:
    """The message's vector leaning towards its asking sentence's (one row, unit length)."""
    combined: Vectors = np.asarray(message + QUESTION_WEIGHT * question, dtype=np.float32)
    row: Vectors = normalised(combined.reshape(1, -1))[0]
    return row
