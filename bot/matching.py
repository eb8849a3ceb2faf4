"""The question index: built once from the knowledge base, queried for each message.

It returns a `Decision` (answer, suggest or fallback), never text.

How a query is scored
---------------------
1. The query is normalised once (`normalize.Normalizer.analyze`): folded, SMS spellings and staff
   synonyms applied, stop words removed, Snowball stems. Words unknown to the base are corrected to
   the closest known word with rapidfuzz (`fuzz.ratio`, length-aware cut-off) so that typos in rare
   words still count; words that stay unknown keep a weight, so that off-topic words weigh against
   a match.
2. Every term has an IDF-like weight computed over entries (a term found in few entries weighs
   more: "salaire" counts more than "programme").
3. An inverted index (term → entries) gives a shortlist of entries sharing a term with the query;
   only these are scored, so the cost follows the query's terms, not the size of the base.
4. For each phrasing of a shortlisted entry: `coverage` = weighted share of the query's terms
   found in the phrasing, `precision` = weighted share of the phrasing's terms found in the query;
   their weighted harmonic mean (F-beta) is blended with rapidfuzz's `token_set_ratio` on the
   content words (typos, word order). The entry keeps its best phrasing, plus a share of how much of
   the query its whole vocabulary (all phrasings, name, answer) explains.
5. `decide` turns the ranking into a decision with three thresholds (see `Thresholds`).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process

from bot.knowledge import Entry, KnowledgeBase
from bot.normalize import Analysis, Normalizer, stem, unique

Status = Literal["answer", "suggest", "fallback"]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision thresholds, calibrated with `python -m bot calibrate` on the golden tables.

    Method: every combination on a grid is scored on the golden tables; the kept one maximises
    top-1 accuracy + off-topic declined − 4 × confidently-wrong rate, among those whose resolved
    rate (right answer or right entry among the suggestions) is within a point of the best.
    Confidently wrong answers cost four times as much as a suggestion: a wrong answer given with
    confidence is the one outcome a candidate cannot recover from.
    """

    answer: float = 0.62
    """Best score at or above which the bot answers directly (if the margin allows)."""
    margin: float = 0.06
    """How far ahead of the second entry the best must be to answer directly."""
    suggest: float = 0.42
    """Best score at or above which the bot offers suggestions; below it, fallback."""
    window: float = 0.25
    """Suggestions are the entries within this distance of the best score."""
    max_suggestions: int = 3


@dataclass(frozen=True, slots=True)
class Candidate:
    """One entry and how well it matches the query."""

    entry: Entry
    score: float
    phrasing: str
    """The phrasing of the entry that matched best."""


@dataclass(frozen=True, slots=True)
class Decision:
    """What the bot should do with a message."""

    query: str
    status: Status
    candidates: tuple[Candidate, ...]
    """The best entries, best first (the answer, or the suggestions, or the near misses)."""
    analysis: Analysis

    @property
    def entry(self) -> Entry | None:
        """The entry to answer with, when the status is `answer`."""
        return self.candidates[0].entry if self.status == "answer" else None

    @property
    def suggestions(self) -> tuple[Entry, ...]:
        """The entries to offer, best first, when the status is `suggest`."""
        return tuple(c.entry for c in self.candidates) if self.status == "suggest" else ()

    @property
    def score(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0


@dataclass(frozen=True, slots=True)
class _Phrasing:
    entry: int
    text: str
    words: str
    terms: frozenset[str]
    weight: float


@dataclass(frozen=True, slots=True)
class _QueryTerm:
    term: str
    weight: float
    known: bool


# Scoring constants (see the module docstring). Chosen on the golden tables; change them only
# with `python -m bot eval` before and after.
BETA = 1.4
"""F-beta: > 1 favours the share of the query explained over the share of the phrasing used."""
FUZZ_SHARE = 0.2
"""Share of rapidfuzz's token_set_ratio in a phrasing's score."""
BAG_SHARE = 0.2
"""Share of the whole-entry vocabulary coverage in an entry's score."""
ANSWER_TERM_FACTOR = 0.35
"""A term found only in an entry's answer counts this much in the entry's vocabulary."""
UNKNOWN_WEIGHT = 0.8
"""Weight of a query word the base does not know, as a share of the highest IDF."""
SHORTLIST = 40
"""How many entries, ranked by shared term weight, are scored in full."""


def _typo_cutoff(word: str) -> float:
    """The rapidfuzz ratio a correction needs: short words need to be closer."""
    if len(word) <= 4:
        return 85.0
    if len(word) <= 6:
        return 80.0
    return 75.0


class Index:
    """The knowledge base, normalised and indexed for fast matching."""

    def __init__(self, knowledge: KnowledgeBase, thresholds: Thresholds | None = None) -> None:
        self.knowledge = knowledge
        self.thresholds = thresholds or Thresholds()
        self.normalizer = Normalizer(knowledge.synonyms)
        self.entries: tuple[Entry, ...] = knowledge.entries
        self._phrasings: list[_Phrasing] = []
        self._by_entry: list[list[int]] = [[] for _ in self.entries]
        bags: list[dict[str, float]] = []
        surface: dict[str, str] = {}
        for index, entry in enumerate(self.entries):
            bag: dict[str, float] = {}
            texts = list(entry.questions)
            if entry.name:
                texts.append(entry.name)
                joined = "".join(self.normalizer.content_words(entry.name))
                if joined:
                    texts.append(joined)
            for text in texts:
                words = self.normalizer.content_words(text)
                terms = unique(stem(w) for w in words)
                if not terms:
                    continue
                for word, term in zip(words, (stem(w) for w in words), strict=True):
                    surface.setdefault(word, term)
                for term in terms:
                    bag[term] = 1.0
                self._by_entry[index].append(len(self._phrasings))
                self._phrasings.append(_Phrasing(index, text, " ".join(words), frozenset(terms), 0))
            extra = " ".join(filter(None, (entry.administration, entry.answer)))
            for word in self.normalizer.content_words(extra):
                bag.setdefault(stem(word), ANSWER_TERM_FACTOR)
            bags.append(bag)

        count = len(self.entries)
        df: dict[str, int] = defaultdict(int)
        for bag in bags:
            for term in bag:
                df[term] += 1
        self._idf: dict[str, float] = {t: math.log(1 + count / n) for t, n in df.items()}
        self._max_idf = max(self._idf.values(), default=1.0)
        self._postings: dict[str, tuple[int, ...]] = {}
        postings: dict[str, list[int]] = defaultdict(list)
        for index, bag in enumerate(bags):
            for term in bag:
                postings[term].append(index)
        self._postings = {t: tuple(ids) for t, ids in postings.items()}
        self._bags = bags
        self._phrasings = [
            _Phrasing(p.entry, p.text, p.words, p.terms, sum(self._idf[t] for t in p.terms))
            for p in self._phrasings
        ]
        # Typo correction looks only at known words of about the same length.
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in surface:
            if len(word) >= 4 and not word.isdigit():
                by_length[len(word)].append(word)
        self._surface = surface
        self._by_length = {n: tuple(words) for n, words in by_length.items()}
        self._correct = lru_cache(maxsize=16384)(self._correct_uncached)

    # -- query side -----------------------------------------------------------------------------

    def _correct_uncached(self, word: str) -> tuple[str, float] | None:
        """The known term closest to an unknown word, with the match quality, or None."""
        choices: list[str] = []
        for size in range(len(word) - 2, len(word) + 3):
            choices.extend(self._by_length.get(size, ()))
        if not choices:
            return None
        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=_typo_cutoff(word))
        if best is None:
            return None
        return self._surface[best[0]], best[1] / 100.0

    def _query_terms(self, analysis: Analysis) -> list[_QueryTerm]:
        terms: dict[str, _QueryTerm] = {}
        words = list(analysis.words)
        # Words typed apart that the base knows as one ("lex impact" → "leximpact").
        for first, second in itertools.pairwise(words):
            joined = first + second
            if joined in self._surface and stem(joined) not in terms:
                term = self._surface[joined]
                terms[term] = _QueryTerm(term, self._idf[term], True)
        for word in words:
            term = stem(word)
            if term in self._idf:
                terms.setdefault(term, _QueryTerm(term, self._idf[term], True))
                continue
            corrected = self._correct(word) if len(word) >= 4 and not word.isdigit() else None
            if corrected is not None:
                term, quality = corrected
                if term not in terms:
                    terms[term] = _QueryTerm(term, self._idf[term] * quality, True)
            elif term not in terms:
                terms[term] = _QueryTerm(term, UNKNOWN_WEIGHT * self._max_idf, False)
        return list(terms.values())

    def search(self, query: str, *, limit: int = 5) -> tuple[Analysis, list[Candidate]]:
        """Rank entries for `query`; at most `limit` candidates, best first. Never raises."""
        analysis = self.normalizer.analyze(query if isinstance(query, str) else "")
        qterms = self._query_terms(analysis)
        known = [t for t in qterms if t.known]
        if not known:
            return analysis, []
        total = sum(t.weight for t in qterms)
        weights = {t.term: t.weight for t in known}

        shared: dict[int, float] = defaultdict(float)
        for t in known:
            for entry_index in self._postings.get(t.term, ()):
                shared[entry_index] += t.weight * self._bags[entry_index][t.term]
        shortlist = sorted(shared, key=shared.__getitem__, reverse=True)[:SHORTLIST]

        query_words = " ".join(analysis.words)
        beta2 = BETA * BETA
        scored: list[Candidate] = []
        for entry_index in shortlist:
            best_score, best_text = 0.0, ""
            for p_index in self._by_entry[entry_index]:
                phrasing = self._phrasings[p_index]
                overlap = sum(w for term, w in weights.items() if term in phrasing.terms)
                if overlap <= 0:
                    continue
                coverage = overlap / total
                precision = min(1.0, overlap / phrasing.weight) if phrasing.weight else 0.0
                f_score = (1 + beta2) * coverage * precision / (beta2 * precision + coverage)
                similarity = fuzz.token_set_ratio(query_words, phrasing.words) / 100.0
                score = (1 - FUZZ_SHARE) * f_score + FUZZ_SHARE * similarity * coverage
                if score > best_score:
                    best_score, best_text = score, phrasing.text
            bag_coverage = shared[entry_index] / total
            final = (1 - BAG_SHARE) * best_score + BAG_SHARE * bag_coverage
            if final > 0:
                scored.append(
                    Candidate(
                        self.entries[entry_index],
                        round(final, 4),
                        best_text or self.entries[entry_index].title,
                    )
                )
        scored.sort(key=lambda c: c.score, reverse=True)
        return analysis, scored[:limit]

    def decide(self, query: str, *, thresholds: Thresholds | None = None) -> Decision:
        """Answer, suggest or fall back for one message. Never raises."""
        limits = thresholds or self.thresholds
        analysis, ranked = self.search(query, limit=max(5, limits.max_suggestions))
        return decide_from(query, analysis, ranked, limits)

    def ids(self) -> Iterable[str]:
        return (entry.id for entry in self.entries)


def decide_from(
    query: str, analysis: Analysis, ranked: list[Candidate], limits: Thresholds
) -> Decision:
    """Apply the thresholds to a ranking (separate so calibration can reuse one ranking)."""
    if not ranked or ranked[0].score < limits.suggest:
        return Decision(query, "fallback", tuple(ranked[: limits.max_suggestions]), analysis)
    best = ranked[0].score
    second = ranked[1].score if len(ranked) > 1 else 0.0
    if best >= limits.answer and best - second >= limits.margin:
        return Decision(query, "answer", (ranked[0],), analysis)
    close = [c for c in ranked if c.score >= best - limits.window][: limits.max_suggestions]
    if len(close) < 2:
        close = ranked[:2]
    return Decision(query, "suggest", tuple(close), analysis)
