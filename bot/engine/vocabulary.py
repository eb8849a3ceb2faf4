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
from array import array
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from bot.engine.normalize import Normalizer, stem
from bot.engine.scoring import Scoring
from bot.knowledge import Entry, KnowledgeBase

T = TypeVar("T", bound=np.generic)
Entries = npt.NDArray[np.intp]
"""Positions of entries (or numbers of phrasings) in the base's order."""

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

FEW_TERMS = 16
"""An entry with at most this many question terms keeps them in a tuple (a quarter of a
frozenset's memory: 11 MB at 20,000 entries of five questions), one with more in a frozenset:
each query looks its terms up in the shortlisted entries', and a real entry's 110 terms in a
tuple cost 0.1 ms a question."""

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


class WrittenTerms:
    """`terms_key` → the position of the one entry whose phrasings have exactly these terms.

    Kept as two arrays (a 64-bit digest of each key, sorted, and the entries) rather than a
    dict of strings: 100,000 phrasings take 1.2 MB instead of 13. Two keys of a base share a
    digest with a chance of about one in 10⁹ at that size.
    """

    def __init__(self, digests: npt.NDArray[np.uint64], owners: npt.NDArray[np.intp]) -> None:
        """Each phrasing's key digest and its entry's position (any order, repeats allowed)."""
        order = np.lexsort((owners, digests))
        digests, owners = digests[order], owners[order]
        starts = np.flatnonzero(np.r_[True, digests[1:] != digests[:-1]]) if len(order) else order
        ends = np.r_[starts[1:], len(order)] - 1 if len(order) else order
        alone = owners[starts] == owners[ends]  # sorted by owner within a key: one owner
        self._digests = digests[starts[alone]]
        self._entries = owners[starts[alone]].astype(np.int32)

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
        read = _Reading(scoring.answer_terms)
        for position, entry in enumerate(self.entries):
            read.add(position, _read_entry(entry, normalizer, scoring.answer_terms, surface))
        self.question_terms: list[Collection[str]] = read.question_terms
        """Each entry's terms found in its questions (or name), not only in its answer (see
        `FEW_TERMS`)."""
        self.term_counts: list[dict[str, float]] = read.term_counts
        shared_floats(self.term_counts)
        count = len(self.entries)
        df = read.entry_counts()
        # IDF scaled to (0, 1]: scores then mean the same whatever the size of the base.
        raw_idf = {t: math.log(1 + count / n) for t, n in df.items()}
        top_idf = max(raw_idf.values(), default=1.0)
        self.idf: dict[str, float] = {t: v / top_idf for t, v in raw_idf.items()}
        self.postings: dict[str, npt.NDArray[np.intp]]
        """Term → the entries that hold it, in the base's order."""
        self.factors: dict[str, npt.NDArray[np.float64]]
        """Term → its factor in each of those entries' bags (1, or `answer_terms`)."""
        self.postings, self.factors = read.postings()
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
        self.phrasing_texts: list[str] = read.texts
        """Every phrasing of the base (a question, a name, a name in one word), entry by entry."""
        self.phrasing_words: list[str] = read.words
        """Each phrasing's content words, joined by spaces (what rapidfuzz compares)."""
        self.written = WrittenTerms(read.digests(), read.owners())
        """The terms of a phrasing (`terms_key`) → its entry's position, for the terms that only
        one entry's phrasings have."""
        self.phrasing_starts: npt.NDArray[np.intp] = np.array(read.starts, dtype=np.intp)
        """Each entry's first phrasing number (an entry's phrasings are consecutive)."""
        self.phrasing_ends: npt.NDArray[np.intp] = np.array(
            [*read.starts[1:], len(read.texts)] if read.starts else [], dtype=np.intp
        )
        self.phrasing_weights: npt.NDArray[np.float64] = read.weights(self.idf)
        """Each phrasing's terms' IDF weights, summed."""
        self.term_phrasings: dict[str, npt.NDArray[np.intp]] = read.term_phrasings()
        """Term → the phrasings that hold it, in increasing order."""
        del read
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


class _Reading:
    """What one pass over the base gathers, entry by entry, in flat arrays: a term is known by
    its number (in the order terms first appear), and an entry's words are let go once read.

    A list of numbers per term, and the terms of every phrasing kept as strings until the IDF
    weights were known, made building take 45 MB more at 20,000 entries (130 against 85).
    """

    def __init__(self, answer_terms: float) -> None:
        self.answer_terms = answer_terms
        """The factor of a term found only in an entry's answer (1 in its questions)."""
        self.numbers: dict[str, int] = {}
        """Term → its number."""
        self.question_terms: list[Collection[str]] = []
        self.term_counts: list[dict[str, float]] = []
        self.texts: list[str] = []
        self.words: list[str] = []
        self.starts: list[int] = []
        self._bag_terms = array("i")
        """Each entry's bag, in turn: its terms' numbers…"""
        self._bag_entries = array("i")
        """…the entry's position…"""
        self._bag_asked = array("B")
        """…and whether each term is in its questions (factor 1) or only in its answer."""
        self._phrasing_terms = array("i")
        """Each phrasing's terms' numbers, in turn…"""
        self._phrasing_lengths = array("i")
        """…and how many they are."""
        self._digests = array("Q")
        """Each phrasing's `terms_key` digest."""

    def add(self, position: int, read: _EntryTerms) -> None:
        numbers = self.numbers
        asked = tuple(t for t, factor in read.bag.items() if factor == 1.0)
        self.question_terms.append(asked if len(asked) <= FEW_TERMS else frozenset(asked))
        self.term_counts.append(read.counts)
        for term, factor in read.bag.items():
            self._bag_terms.append(numbers.setdefault(term, len(numbers)))
            self._bag_asked.append(factor == 1.0)
        self._bag_entries.extend(itertools.repeat(position, len(read.bag)))
        self.starts.append(len(self.texts))
        for text, words, terms in read.phrasings:  # its terms are in its bag: numbered
            self._phrasing_terms.extend(numbers[t] for t in terms)
            self._phrasing_lengths.append(len(terms))
            self._digests.append(digest(terms_key(terms)))
            self.texts.append(text)
            self.words.append(words)

    def entry_counts(self) -> dict[str, int]:
        """Term → how many entries hold it, in the order terms first appear."""
        counts = np.bincount(np.asarray(self._bag_terms), minlength=len(self.numbers))
        return dict(zip(self.numbers, counts.tolist(), strict=True))

    def postings(self) -> tuple[dict[str, Entries], dict[str, npt.NDArray[np.float64]]]:
        """Term → the entries that hold it, in the base's order, and its factor in each."""
        order, bounds = self._grouping(self._bag_terms)
        entries = np.asarray(self._bag_entries, dtype=np.intp)[order]
        asked = np.asarray(self._bag_asked, dtype=bool)[order]
        factors = np.where(asked, 1.0, self.answer_terms)
        return self._by_term(bounds, entries), self._by_term(bounds, factors)

    def term_phrasings(self) -> dict[str, npt.NDArray[np.intp]]:
        """Term → the phrasings that hold it, in increasing order."""
        order, bounds = self._grouping(self._phrasing_terms)
        lengths = np.asarray(self._phrasing_lengths, dtype=np.intp)
        holders = np.repeat(np.arange(len(lengths), dtype=np.intp), lengths)[order]
        return self._by_term(bounds, holders)

    def weights(self, idf: Mapping[str, float]) -> npt.NDArray[np.float64]:
        """Each phrasing's terms' IDF weights, summed (`math.fsum`: any order, the same bits)."""
        by_number = [idf[term] for term in self.numbers]
        terms = iter(self._phrasing_terms)
        return np.array(
            [math.fsum(by_number[next(terms)] for _ in range(n)) for n in self._phrasing_lengths],
            dtype=np.float64,
        )

    def digests(self) -> npt.NDArray[np.uint64]:
        return np.asarray(self._digests, dtype=np.uint64)

    def owners(self) -> npt.NDArray[np.intp]:
        """Each phrasing's entry position."""
        lengths = np.diff(np.r_[self.starts, len(self.texts)])
        return np.repeat(np.arange(len(self.starts), dtype=np.intp), lengths)

    def _grouping(self, terms: array[int]) -> tuple[npt.NDArray[np.intp], list[int]]:
        """The places of `terms` ordered by term number (each term's in their order), and where
        each term's places start in that order (one more for the end)."""
        numbers = np.asarray(terms)
        order = np.argsort(numbers, kind="stable")
        wanted = np.arange(len(self.numbers) + 1, dtype=numbers.dtype)
        return order, np.searchsorted(numbers[order], wanted).tolist()

    def _by_term(self, bounds: list[int], grouped: npt.NDArray[T]) -> dict[str, npt.NDArray[T]]:
        """`grouped` (in `_grouping`'s order) cut into one array per term found there, each
        sharing its memory."""
        return {
            term: grouped[bounds[n] : bounds[n + 1]]
            for n, term in enumerate(self.numbers)
            if bounds[n] < bounds[n + 1]
        }


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
