"""What the index knows of the base's words: phrasings, term weights, postings, Bayes counts.

Built once per knowledge base (at start and at each reload); queries only read it.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import hashlib
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.engine.normalize import Normalizer, stem
from bot.engine.scoring import Scoring
from bot.knowledge import Entry, KnowledgeBase

ANCHOR_SHARE = 0.9
"""A term in the questions of this share of entries names the domain itself ("EIG")."""

ANCHOR_FROM = 0.8
"""Below `ANCHOR_SHARE`, a term names the domain less and less, down to not at all at this
share: with one cut, an entry added without « défi » in its questions (46 of 52 entries then
held it, under 90 %) took « défi » out of the domain's names, and questions on défis that had
nothing to do with the new entry fell back."""

ANCHOR_MIN_ENTRIES = 10
"""On a smaller base every shared word would look like the domain's name."""

_ADDRESSES = re.compile(r"https?://\S+|\S+@\S+")
"""Web and e-mail addresses in answers: their words (etalab, gouv…) would be in every entry."""

NO_TERMS: frozenset[str] = frozenset()
"""The terms of an entry without a name, an administration or a theme: one object for them all
(each empty frozenset costs 216 bytes, 13 MB on a base of 20,000 entries)."""


@dataclass(frozen=True, slots=True)
class _EntryTerms:
    """One entry's texts, read: its phrasings' terms, its bag and its Bayes counts."""

    phrasings: list[tuple[str, str, tuple[str, ...]]]
    """Each phrasing's text, its content words joined by spaces, and its terms."""
    bag: dict[str, float]
    """Term → 1.0 when it is in a question, `answer_terms` when only in the answer."""
    counts: dict[str, float]


def terms_key(terms: Iterable[str]) -> str:
    """A set of terms as one string, the same whatever their order or repeats: what
    `Vocabulary.written` is keyed by."""
    return " ".join(sorted(set(terms)))


SHARED = -1
"""In `WrittenTerms`' making: terms that the phrasings of more than one entry have."""


class WrittenTerms:
    """`terms_key` → the position of the one entry whose phrasings have exactly these terms.

    Kept as two arrays (a 64-bit digest of each key, sorted, and the entries) rather than a
    dict of strings: 100,000 phrasings take 1.2 MB instead of 13. Two keys of a base share a
    digest with a chance of about one in 10⁹ at that size.
    """

    def __init__(self, owners: Mapping[str, int]) -> None:
        """`owners`: each phrasing's key → its entry's position, or `SHARED`."""
        unique = [(digest(key), entry) for key, entry in owners.items() if entry != SHARED]
        unique.sort()
        self._digests = np.array([d for d, _ in unique], dtype=np.uint64)
        self._entries = np.array([e for _, e in unique], dtype=np.int32)

    def get(self, key: str) -> int | None:
        wanted = np.uint64(digest(key))
        at = int(np.searchsorted(self._digests, wanted))
        if at < len(self._digests) and self._digests[at] == wanted:
            return int(self._entries[at])
        return None


def digest(key: str) -> int:
    """A key's 64-bit digest, the same in every process (Python's `hash` of a str is not)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")


def shared_floats(counts: Iterable[dict[str, float]]) -> None:
    """Make equal values of these dicts one float object each, in place: a base's counts take
    few values (1, 2, 0.3, 1.3…), and pickle reads each float back as an object of its own
    (28 MB of floats at 20,000 entries)."""
    canonical: dict[float, float] = {}
    for mapping in counts:
        for term, value in mapping.items():
            mapping[term] = canonical.setdefault(value, value)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block (reference counting still frees).

    Building allocates millions of objects and no reference cycles: a full collection, which
    would walk the whole base each time, is only wasted work until it is done.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Vocabulary:
    """The base's terms: IDF weights, postings, phrasings by entry, naive Bayes statistics."""

    def __init__(self, knowledge: KnowledgeBase, normalizer: Normalizer, scoring: Scoring) -> None:
        self.entries: tuple[Entry, ...] = knowledge.entries
        surface: dict[str, str] = {}
        read = [_read_entry(e, normalizer, scoring.answer_terms, surface) for e in self.entries]
        bags = [r.bag for r in read]
        self.question_terms: list[tuple[str, ...]] = [
            tuple(t for t, factor in bag.items() if factor == 1.0) for bag in bags
        ]
        """Each entry's terms found in its questions (or name), not only in its answer (a tuple:
        a quarter of a frozenset's memory, and an entry has a few dozen at most)."""
        self.term_counts: list[dict[str, float]] = [r.counts for r in read]
        shared_floats(self.term_counts)
        count = len(self.entries)
        df = collections.Counter(itertools.chain.from_iterable(bags))
        # IDF scaled to (0, 1]: scores then mean the same whatever the size of the base.
        raw_idf = {t: math.log(1 + count / n) for t, n in df.items()}
        top_idf = max(raw_idf.values(), default=1.0)
        self.idf: dict[str, float] = {t: v / top_idf for t, v in raw_idf.items()}
        postings: dict[str, list[int]] = defaultdict(list)
        factors: dict[str, list[float]] = defaultdict(list)
        for index, bag in enumerate(bags):
            for term, factor in bag.items():
                postings[term].append(index)
                factors[term].append(factor)
        self.postings: dict[str, npt.NDArray[np.intp]] = {
            t: np.array(i, dtype=np.intp) for t, i in postings.items()
        }
        """Term → the entries that hold it, in the base's order."""
        self.factors: dict[str, npt.NDArray[np.float64]] = {
            t: np.array(f, dtype=np.float64) for t, f in factors.items()
        }
        """Term → its factor in each of those entries' bags (1, or `answer_terms`)."""
        question_df = collections.Counter(itertools.chain.from_iterable(self.question_terms))
        self.anchors: dict[str, float] = {}
        """Term → how much it names the domain itself, from 0 (excluded) to 1 (see
        `ANCHOR_SHARE`, `ANCHOR_FROM`)."""
        if count >= ANCHOR_MIN_ENTRIES:
            for term, n in question_df.items():
                degree = (n / count - ANCHOR_FROM) / (ANCHOR_SHARE - ANCHOR_FROM)
                if degree > 0:
                    self.anchors[term] = min(1.0, degree)
        vocabulary_size = len(df) or 1
        self.nb_norm = [
            math.log(sum(c.values()) + scoring.smoothing * vocabulary_size)
            for c in self.term_counts
        ]
        self.phrasing_texts: list[str] = []
        """Every phrasing of the base (a question, a name, a name in one word), entry by entry."""
        self.phrasing_words: list[str] = []
        """Each phrasing's content words, joined by spaces (what rapidfuzz compares)."""
        weights: list[float] = []
        starts: list[int] = []
        by_term: dict[str, list[int]] = defaultdict(list)
        owners: dict[str, int] = {}
        for index, entry_read in enumerate(read):
            starts.append(len(weights))
            for text, words, terms in entry_read.phrasings:
                for term in terms:
                    by_term[term].append(len(weights))
                weights.append(math.fsum(map(self.idf.__getitem__, terms)))  # any order: same bits
                self.phrasing_texts.append(text)
                self.phrasing_words.append(words)
                key = terms_key(terms)
                owners[key] = index if owners.get(key, index) == index else SHARED
        del read, bags
        self.written = WrittenTerms(owners)
        """The terms of a phrasing (`terms_key`) → its entry's position, for the terms that only
        one entry's phrasings have."""
        del owners
        self.phrasing_starts: npt.NDArray[np.intp] = np.array(starts, dtype=np.intp)
        """Each entry's first phrasing number (an entry's phrasings are consecutive)."""
        self.phrasing_ends: npt.NDArray[np.intp] = np.array(
            [*starts[1:], len(weights)] if starts else [], dtype=np.intp
        )
        self.phrasing_weights: npt.NDArray[np.float64] = np.array(weights, dtype=np.float64)
        """Each phrasing's terms' IDF weights, summed."""
        self.term_phrasings: dict[str, npt.NDArray[np.intp]] = {
            t: np.array(numbers, dtype=np.intp) for t, numbers in by_term.items()
        }
        """Term → the phrasings that hold it, in increasing order."""
        # Typos of a synonym ("remunreation") are corrected to the word it stands for.
        for variant, term in normalizer.synonym_terms().items():
            if term in self.idf:
                surface.setdefault(variant, term)
        self.surface = surface
        """Every known surface word → its term (for typo correction and joined words)."""
        self.name_terms: list[frozenset[str]] = [
            frozenset(
                map(stem, normalizer.content_words(" ".join((e.name, joined(e.name), *e.people))))
            )
            if e.name
            else NO_TERMS
            for e in self.entries
        ]
        """The terms of each entry's name (a défi's), also written as one word (« Karfu'R » is
        typed « karfur », « IA Flash » « iaflash »), and of its people's names, to tell when a
        query names it."""
        self.administration_terms: list[frozenset[str]] = [
            frozenset(map(stem, normalizer.content_words(e.administration or ""))) or NO_TERMS
            for e in self.entries
        ]
        """The terms of each entry's administration (a défi's): « ARCEP », « Cour de cassation »."""
        self.theme_terms: list[frozenset[str]] = [
            frozenset(map(stem, normalizer.content_words(e.theme or ""))) or NO_TERMS
            for e in self.entries
        ]
        """The terms of each entry's theme (a défi's): « agriculture biologique » for CartoBIO."""

    def __getstate__(self) -> dict[str, object]:
        """Pickled without the entries: a snapshot is read back next to its base (`attach`)."""
        state = self.__dict__.copy()
        del state["entries"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        shared_floats(self.term_counts)  # pickle reads each float back as an object of its own

    def attach(self, knowledge: KnowledgeBase) -> None:
        """Join a vocabulary read from a snapshot to the base it was built from (its phrasings'
        texts become the base's own strings again, not a second copy of each)."""
        self.entries = knowledge.entries
        texts = {text: text for entry in knowledge.entries for text in entry.questions}
        self.phrasing_texts = [texts.get(text, text) for text in self.phrasing_texts]


_NAME_SEPARATORS = re.compile(r"[\s'’-]+")


def joined(name: str) -> str:
    """A name as one word, the way people type it: « Karfu'R » → « KarfuR »."""
    return _NAME_SEPARATORS.sub("", name)


def _read_entry(
    entry: Entry, normalizer: Normalizer, answer_terms: float, surface: dict[str, str]
) -> _EntryTerms:
    """Read one entry's questions, name and answer; add its surface words to `surface`."""
    content_words = normalizer.content_words
    bag: dict[str, float] = {}
    counts: dict[str, float] = {}
    phrasings: list[tuple[str, str, tuple[str, ...]]] = []
    texts = list(entry.questions)
    if entry.name:
        texts.append(entry.name)
        joined = "".join(content_words(entry.name))
        if joined:
            texts.append(joined)
    for text in texts:
        words = content_words(text)
        stems = list(map(stem, words))
        terms = list(dict.fromkeys(stems))  # first-seen order, no duplicates
        if not terms:
            continue
        for word, term in zip(words, stems, strict=True):
            surface.setdefault(word, term)
        for term in terms:
            bag[term] = 1.0
            counts[term] = counts.get(term, 0.0) + 1.0
        phrasings.append((text, " ".join(words), tuple(terms)))
    extra = " ".join(filter(None, (entry.administration, entry.answer)))
    if "@" in extra or "://" in extra:
        extra = _ADDRESSES.sub(" ", extra)
    for term in dict.fromkeys(map(stem, content_words(extra))):
        bag.setdefault(term, answer_terms)
        counts[term] = counts.get(term, 0.0) + answer_terms
    return _EntryTerms(phrasings, bag, counts)
