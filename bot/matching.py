"""The question index: built once from the knowledge base, queried for each message.

It returns a `Decision` (answer, suggest or fallback), never text.

How a query is scored
---------------------
1. The query is normalised once (`normalize.Normalizer.analyze`): folded, SMS spellings and staff
   synonyms applied, stop words removed, Snowball stems. Words unknown to the base are corrected to
   the closest known word with rapidfuzz (`fuzz.ratio`, length-aware cut-off) so that typos in rare
   words still count — unless the word is an ordinary French word (`lexicon`): "passeport" is not
   a typo for "passerelle". Words that stay unknown keep a weight, so that off-topic words weigh
   against a match.
2. Every term has an IDF-like weight computed over entries (a term found in few entries weighs
   more: "salaire" counts more than "programme").
3. An inverted index (term → entries) gives a shortlist of entries sharing a term with the query;
   only these are scored, so the cost follows the query's terms, not the size of the base.
4. For each phrasing of a shortlisted entry, the weight of the shared terms is set against the
   query's unexplained weight and the phrasing's unmatched weight (a saturating ratio), blended
   with rapidfuzz's `token_set_ratio` on the content words (typos, word order). The entry keeps
   its best phrasing, plus a share of how much of the query its whole vocabulary (all phrasings,
   name, answer) explains; that lexical score is then blended with a naive Bayes posterior over
   the shortlist (how typical each query term is of the entry's phrasings).
5. `decide` turns the ranking into a decision: a small logistic model (`DecisionModel`) reads the
   features of the best entry (`FEATURES`: score, lead over the second, share of the query
   explained and known, length, matched terms, phrasing precision, posterior, agreement between
   the lexical and Bayes rankings, whether the query names the domain) and gives the probability
   that the best entry is right and that the question is about EIG at all; `Thresholds` on those
   probabilities choose answer, suggest or fallback.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import heapq
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from bot.knowledge import Entry, KnowledgeBase
from bot.lexicon import is_common_word
from bot.normalize import Analysis, Normalizer, stem

Status = Literal["answer", "suggest", "fallback"]


FEATURES = (
    "score",
    "lead",
    "coverage",
    "known",
    "length",
    "matched",
    "precision",
    "posterior",
    "agree",
    "anchor",
)
"""What the decision model looks at, for the best entry of a ranking (see `features`)."""


@dataclass(frozen=True, slots=True)
class DecisionModel:
    """Two logistic models over `FEATURES`, fitted by `python -m bot calibrate`.

    `answer` estimates the probability that the best entry is the right answer; `on_topic` the
    probability that the question is about EIG at all. Fitted (L2-regularised logistic regression)
    on the main golden table, checked on the holdout table; the weights are pasted here from the
    command's output. Raw features go in: the scaling is folded into the weights.
    """

    answer: tuple[float, ...] = (
        -7.715,
        0.889,
        0.314,
        3.478,
        0.951,
        -0.508,
        3.325,
        3.198,
        0.545,
        1.209,
        1.073,
    )
    on_topic: tuple[float, ...] = (
        -6.181,
        0.679,
        -0.691,
        4.364,
        1.14,
        -0.524,
        3.744,
        2.27,
        0.307,
        0.286,
        1.876,
    )

    @staticmethod
    def _probability(weights: tuple[float, ...], values: tuple[float, ...]) -> float:
        z = weights[0] + sum(w * v for w, v in zip(weights[1:], values, strict=True))
        z = max(-30.0, min(30.0, z))
        return 1.0 / (1.0 + math.exp(-z))

    def p_answer(self, values: tuple[float, ...]) -> float:
        return self._probability(self.answer, values)

    def p_on_topic(self, values: tuple[float, ...]) -> float:
        return self._probability(self.on_topic, values)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision thresholds on the model's probabilities, calibrated with `python -m bot calibrate`.

    Method (`calibration.calibrate`): every pair on a grid is run on the golden tables and the kept
    one maximises top-1 + resolved (rates) while confidently wrong answers stay
    under 1.5 % (`evaluation.MAX_CONFIDENTLY_WRONG`, target 2 %) and off-topic declined above 91 %
    (`evaluation.MIN_DECLINED`, target 90 %). A wrong answer given with confidence is the one
    outcome a candidate cannot recover from, whereas a suggestion or a fallback still shows the way.
    """

    answer: float = 0.84
    """Probability that the best entry is right, at or above which the bot answers directly."""
    suggest: float = 0.8
    """Probability that the question is about EIG, at or above which the bot suggests entries."""
    window: float = 0.25
    """Suggestions are the entries within this score distance of the best one."""
    max_suggestions: int = 3


@dataclass(frozen=True, slots=True)
class Candidate:
    """One entry and how well it matches the query."""

    entry: Entry
    score: float
    phrasing: str
    """The phrasing of the entry that matched best."""
    coverage: float = 0.0
    """Share of the query's weight that the entry's vocabulary explains."""
    matched: int = 0
    """How many of the query's terms appear in the entry's questions."""
    precision: float = 0.0
    """Share of the best phrasing's weight found in the query (1.0: every word of it is there)."""
    posterior: float = 0.0
    """Naive Bayes probability of this entry among the shortlisted ones."""


@dataclass(frozen=True, slots=True)
class Ranking:
    """The entries that match a query, best first, and what the query itself looks like."""

    analysis: Analysis
    candidates: tuple[Candidate, ...]
    known: float
    """Share of the query's weight made of words the base knows."""
    agree: float = 0.0
    """1.0 when the word-overlap score and naive Bayes put the same entry first."""
    anchor: float = 0.0
    """1.0 when the query names the domain itself (a term found in nearly every entry: "EIG")."""

    def features(self) -> tuple[float, ...]:
        """The values of `FEATURES` for the best entry (all zero when nothing matched)."""
        if not self.candidates:
            return (0.0,) * len(FEATURES)
        best = self.candidates[0]
        second = self.candidates[1].score if len(self.candidates) > 1 else 0.0
        return (
            best.score,
            best.score - second,
            best.coverage,
            self.known,
            math.log1p(len(self.analysis.words)),
            min(best.matched, 5) / 5,
            best.precision,
            best.posterior,
            self.agree,
            self.anchor,
        )


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


@dataclass(frozen=True, slots=True)
class Scoring:
    """The constants of the score (see the module docstring), tuned on the main golden table
    and checked on the holdout table with `python -m bot eval` before and after any change."""

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


_ADDRESSES = re.compile(r"https?://\S+|\S+@\S+")
"""Web and e-mail addresses in answers: their words (etalab, gouv…) would be in every entry."""


ANCHOR_SHARE = 0.9
"""A term in the questions of this share of entries names the domain itself (see `anchor`)."""

CORRECTION_CACHE = 16384
"""How many typo corrections an index remembers before starting afresh."""

NOMINATE_MAX = 1000
"""A query term found in more entries than this scores the entries that rarer terms nominate,
but nominates none itself (see `Index._shared`)."""


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block (reference counting still frees)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _typo_cutoff(word: str) -> float:
    """The rapidfuzz ratio a correction needs: short words need to be closer."""
    if len(word) <= 4:
        return 85.0
    if len(word) <= 6:
        return 80.0
    return 75.0


class Index:
    """The knowledge base, normalised and indexed for fast matching."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        thresholds: Thresholds | None = None,
        scoring: Scoring | None = None,
        model: DecisionModel | None = None,
    ) -> None:
        # Building allocates millions of objects and no reference cycles: a full collection,
        # which would walk the whole base each time, is only wasted work until it is done.
        with _gc_paused():
            self._build(knowledge, thresholds, scoring, model)

    def _build(
        self,
        knowledge: KnowledgeBase,
        thresholds: Thresholds | None,
        scoring: Scoring | None,
        model: DecisionModel | None,
    ) -> None:
        self.knowledge = knowledge
        self.thresholds = thresholds or Thresholds()
        self.scoring = scoring or Scoring()
        self.model = model or DecisionModel()
        self.normalizer = Normalizer(knowledge.synonyms)
        self.entries: tuple[Entry, ...] = knowledge.entries
        self._position = {entry.id: i for i, entry in enumerate(self.entries)}
        phrasings: list[tuple[int, str, str, frozenset[str]]] = []
        self._by_entry: list[list[int]] = [[] for _ in self.entries]
        bags: list[dict[str, float]] = []
        term_counts: list[dict[str, float]] = []
        surface: dict[str, str] = {}
        content_words = self.normalizer.content_words
        answer_terms = self.scoring.answer_terms
        for index, entry in enumerate(self.entries):
            bag: dict[str, float] = {}
            counts: dict[str, float] = {}
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
                self._by_entry[index].append(len(phrasings))
                phrasings.append((index, text, " ".join(words), frozenset(terms)))
            extra = " ".join(filter(None, (entry.administration, entry.answer)))
            if "@" in extra or "://" in extra:
                extra = _ADDRESSES.sub(" ", extra)
            for term in dict.fromkeys(map(stem, content_words(extra))):
                bag.setdefault(term, answer_terms)
                counts[term] = counts.get(term, 0.0) + answer_terms
            bags.append(bag)
            term_counts.append(counts)

        count = len(self.entries)
        df = collections.Counter(itertools.chain.from_iterable(bags))
        # IDF scaled to (0, 1]: scores then mean the same whatever the size of the base.
        raw_idf = {t: math.log(1 + count / n) for t, n in df.items()}
        top_idf = max(raw_idf.values(), default=1.0)
        self._idf: dict[str, float] = {t: v / top_idf for t, v in raw_idf.items()}
        self._postings: dict[str, tuple[int, ...]] = {}
        postings: dict[str, list[int]] = defaultdict(list)
        for index, bag in enumerate(bags):
            for term in bag:
                postings[term].append(index)
        self._postings = {t: tuple(ids) for t, ids in postings.items()}
        self._bags = bags
        # The domain's own words: terms in the questions of nearly every entry ("EIG").
        question_df = collections.Counter(t for bag in bags for t, w in bag.items() if w == 1.0)
        self._anchors = frozenset(
            t for t, n in question_df.items() if n >= ANCHOR_SHARE * count and count >= 10
        )
        # Naive Bayes over entries: how typical of an entry each term is (Laplace smoothing).
        vocabulary = len(df) or 1
        alpha = self.scoring.smoothing
        self._term_counts = term_counts
        self._nb_norm = [math.log(sum(c.values()) + alpha * vocabulary) for c in term_counts]
        idf = self._idf.__getitem__
        self._phrasings = [
            _Phrasing(entry_index, text, words, terms, sum(map(idf, terms)))
            for entry_index, text, words, terms in phrasings
        ]
        # Typos of a synonym ("remunreation") are corrected to the word it stands for.
        for variant, term in self.normalizer.synonym_terms().items():
            if term in self._idf:
                surface.setdefault(variant, term)
        # Typo correction looks only at known words of about the same length.
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in surface:
            if len(word) >= 4 and not word.isdigit():
                by_length[len(word)].append(word)
        self._surface = surface
        self._by_length = {n: tuple(words) for n, words in by_length.items()}
        self._corrections: dict[str, tuple[str, float] | None] = {}

    # -- query side -----------------------------------------------------------------------------

    def _correct(self, word: str) -> tuple[str, float] | None:
        """`_find_correction`, remembered (a plain dict: no reference cycle through a cache)."""
        if word not in self._corrections:
            if len(self._corrections) >= CORRECTION_CACHE:
                self._corrections.clear()
            self._corrections[word] = self._find_correction(word)
        return self._corrections[word]

    def _find_correction(self, word: str) -> tuple[str, float] | None:
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
        sc = self.scoring
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
            typo = len(word) >= 4 and not word.isdigit() and not is_common_word(word)
            corrected = self._correct(word) if typo else None
            if corrected is not None:
                term, quality = corrected
                if term not in terms:
                    terms[term] = _QueryTerm(term, self._idf[term] * quality, True)
            elif term not in terms:
                weight = sc.unknown_common if is_common_word(word) else sc.unknown
                terms[term] = _QueryTerm(term, weight, False)
        return list(terms.values())

    def _shared(self, known: list[_QueryTerm], size: int) -> dict[int, float]:
        """Entry → weight of the query terms it shares, for the entries worth scoring.

        The query's rare enough terms (in at most NOMINATE_MAX entries) nominate entries; while
        fewer than `size` are nominated, so do its common terms, rarest first. The remaining
        common terms only add their weight to the nominated entries: their long postings are
        never walked, so a query costs about the same on 2,000 entries as on 20,000. On a base of
        at most NOMINATE_MAX entries every term nominates: the plain scan, as before.
        """
        postings, bags = self._postings, self._bags
        nominators = [t for t in known if len(postings.get(t.term, ())) <= NOMINATE_MAX]
        reached = {e for t in nominators for e in postings.get(t.term, ())}
        for t in sorted(known, key=lambda t: len(postings.get(t.term, ()))):
            if len(reached) >= size:
                break
            if t not in nominators:
                nominators.append(t)
                reached.update(postings.get(t.term, ()))
        shared: dict[int, float] = defaultdict(float)
        for t in known:
            if t in nominators:
                for entry_index in postings.get(t.term, ()):
                    shared[entry_index] += t.weight * bags[entry_index][t.term]
        for t in known:
            if t not in nominators:
                for entry_index in shared:
                    factor = bags[entry_index].get(t.term)
                    if factor is not None:
                        shared[entry_index] += t.weight * factor
        return shared

    def search(self, query: str, *, limit: int = 5) -> Ranking:
        """Rank entries for `query`; at most `limit` candidates, best first. Never raises."""
        analysis = self.normalizer.analyze(query if isinstance(query, str) else "")
        qterms = self._query_terms(analysis)
        known = [t for t in qterms if t.known]
        if not known:
            return Ranking(analysis, (), 0.0)
        total = sum(t.weight for t in qterms)
        weights = {t.term: t.weight for t in known}

        sc = self.scoring
        shared = self._shared(known, sc.shortlist)
        shortlist = heapq.nlargest(sc.shortlist, shared, key=shared.__getitem__)
        query_words = " ".join(analysis.words)
        scored: list[Candidate] = []
        for entry_index in shortlist:
            matched = shared[entry_index]
            bag_score = matched / (matched + sc.damping + sc.unexplained * (total - matched))
            best_score, best_text, best_precision = 0.0, "", 0.0
            for p_index in self._by_entry[entry_index]:
                phrasing = self._phrasings[p_index]
                overlap = sum(w for term, w in weights.items() if term in phrasing.terms)
                if overlap <= 0:
                    continue
                missing = max(0.0, phrasing.weight - overlap)
                score = overlap / (
                    overlap + sc.damping + sc.unexplained * (total - overlap) + sc.extra * missing
                )
                if sc.fuzz_share:
                    similarity = fuzz.token_set_ratio(query_words, phrasing.words) / 100.0
                    score = (1 - sc.fuzz_share) * score + sc.fuzz_share * similarity * score
                if score > best_score:
                    best_score, best_text = score, phrasing.text
                    best_precision = min(1.0, overlap / phrasing.weight) if phrasing.weight else 0.0
            final = sc.bag_share * bag_score + (1 - sc.bag_share) * best_score
            if final > 0:
                entry = self.entries[entry_index]
                bag = self._bags[entry_index]
                scored.append(
                    Candidate(
                        entry,
                        round(final, 4),
                        best_text or entry.title,
                        coverage=matched / total,
                        matched=sum(1 for t in known if bag.get(t.term) == 1.0),
                        precision=best_precision,
                    )
                )
        if scored:
            alpha = sc.smoothing
            logs = []
            for c in scored:
                e_index = self._position[c.entry.id]
                counts = self._term_counts[e_index]
                norm = self._nb_norm[e_index]
                logs.append(
                    sum(
                        t.weight * (math.log(counts.get(t.term, 0.0) + alpha) - norm) for t in known
                    )
                )
            top = max(logs)
            exp = [math.exp(v - top) for v in logs]
            norm_sum = sum(exp)
            lexical_best = max(range(len(scored)), key=lambda i: scored[i].score)
            agree = float(exp[lexical_best] == max(exp))
            scored = [
                Candidate(
                    c.entry,
                    round((1 - sc.bayes_share) * c.score + sc.bayes_share * e / norm_sum, 4),
                    c.phrasing,
                    c.coverage,
                    c.matched,
                    c.precision,
                    round(e / norm_sum, 4),
                )
                for c, e in zip(scored, exp, strict=True)
            ]
        scored.sort(key=lambda c: c.score, reverse=True)
        known_share = sum(t.weight for t in known) / total
        anchor = float(any(t.term in self._anchors for t in known))
        return Ranking(
            analysis, tuple(scored[:limit]), known_share, agree if scored else 0.0, anchor
        )

    def decide(self, query: str, *, thresholds: Thresholds | None = None) -> Decision:
        """Answer, suggest or fall back for one message. Never raises."""
        limits = thresholds or self.thresholds
        ranking = self.search(query, limit=max(5, limits.max_suggestions))
        return decide_from(query, ranking, self.model, limits)


def decide_from(query: str, ranking: Ranking, model: DecisionModel, limits: Thresholds) -> Decision:
    """Apply the model and thresholds to a ranking (separate so calibration reuses rankings)."""
    ranked = ranking.candidates
    analysis = ranking.analysis
    values = ranking.features()
    if not ranked or model.p_on_topic(values) < limits.suggest:
        return Decision(query, "fallback", ranked[: limits.max_suggestions], analysis)
    if model.p_answer(values) >= limits.answer:
        return Decision(query, "answer", (ranked[0],), analysis)
    best = ranked[0].score
    close = [c for c in ranked if c.score >= best - limits.window][: limits.max_suggestions]
    if len(close) < 2:
        close = list(ranked[:2])
    return Decision(query, "suggest", tuple(close), analysis)
