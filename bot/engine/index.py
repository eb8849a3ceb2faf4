"""The question index: built once from the knowledge base, queried for each message.

It returns a `Decision` (answer, suggest, fallback or small talk), never text.

How a query is scored
---------------------
1. The query is normalised once (`normalize.Normalizer.analyze`): folded, SMS spellings and staff
   synonyms applied, stop words removed, Snowball stems. Words unknown to the base are corrected
   to the closest known word (`typos`) so that typos in rare words still count, unless the word is
   an ordinary French word (`lexicon`): "passeport" is not a typo for "passerelle". Words that stay
   unknown keep a weight, so that off-topic words weigh against a match.
2. Every term has an IDF-like weight computed over entries (`vocabulary`): a term found in few
   entries weighs more, "salaire" counts more than "programme".
3. An inverted index (term → entries) gives a shortlist of entries sharing a term with the query;
   only these are scored, so the cost follows the query's terms, not the size of the base.
4. For each phrasing of a shortlisted entry, the weight of the shared terms is set against the
   query's unexplained weight and the phrasing's unmatched weight (`Scoring.overlap_score`),
   blended with rapidfuzz's `token_set_ratio` on the content words (typos, word order). The entry
   keeps its best phrasing, plus a share of how much of the query its whole vocabulary (all
   phrasings, name, answer) explains; that lexical score is then blended with a naive Bayes
   posterior over the shortlist (how typical each query term is of the entry's phrasings).
5. `decision.decide_from` turns the ranking into a decision: a fitted logistic model reads named
   `Features` of the best entry and gives the probability that it is right and that the question
   is about EIG at all; thresholds on those probabilities choose answer, suggest or fallback.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.engine.decision import (
    Candidate,
    Decision,
    DecisionModel,
    Ranking,
    Thresholds,
    decide_from,
    load_model,
)
from bot.engine.lexicon import is_common_word
from bot.engine.normalize import Analysis, Normalizer, stem
from bot.engine.scoring import Scoring, log_likelihood, posteriors
from bot.engine.smalltalk import small_talk
from bot.engine.typos import MIN_CORRECTED_LENGTH, TypoCorrector
from bot.engine.vocabulary import Vocabulary, gc_paused
from bot.knowledge import Entry, KnowledgeBase

RANKING_DEPTH = 5
"""Entries a ranking keeps: enough for three suggestions and the features of the first two."""

NOMINATE_MAX = 1000
"""A query term found in more entries than this scores the entries that rarer terms nominate,
but nominates none itself (see `Index._shared`)."""


@dataclass(frozen=True, slots=True)
class _QueryTerm:
    term: str
    weight: float
    known: bool


class Index:
    """The knowledge base, normalised and indexed for fast matching."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        *,
        thresholds: Thresholds | None = None,
        scoring: Scoring | None = None,
        model: DecisionModel | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.scoring = scoring or Scoring()
        self.model = model or load_model()
        if thresholds is not None:
            self.model = dataclasses.replace(self.model, thresholds=thresholds)
        self.normalizer = Normalizer(knowledge.synonyms)
        with gc_paused():
            self.vocabulary = Vocabulary(knowledge, self.normalizer, self.scoring)
            self._typos = TypoCorrector(self.vocabulary.surface)
        self._position = {entry.id: i for i, entry in enumerate(knowledge.entries)}

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.knowledge.entries

    @property
    def thresholds(self) -> Thresholds:
        return self.model.thresholds

    # -- query side -----------------------------------------------------------------------------

    def _query_terms(self, analysis: Analysis) -> list[_QueryTerm]:
        sc, idf = self.scoring, self.vocabulary.idf
        terms: dict[str, _QueryTerm] = {}
        words = list(analysis.words)
        # Words typed apart that the base knows as one ("lex impact" → "leximpact").
        for first, second in itertools.pairwise(words):
            joined = self._typos.term_of(first + second)
            if joined is not None and stem(first + second) not in terms:
                terms[joined] = _QueryTerm(joined, idf[joined], True)
        for word in words:
            term = stem(word)
            if term in idf:
                terms.setdefault(term, _QueryTerm(term, idf[term], True))
                continue
            common = is_common_word(word)
            typo = len(word) >= MIN_CORRECTED_LENGTH and not word.isdigit() and not common
            corrected = self._typos.correct(word) if typo else None
            if corrected is not None:
                term, quality = corrected
                if term not in terms:
                    terms[term] = _QueryTerm(term, idf[term] * quality, True)
            elif term not in terms:
                weight = sc.unknown_common if common else sc.unknown
                terms[term] = _QueryTerm(term, weight, False)
        return list(terms.values())

    def _shared(self, known: list[_QueryTerm], size: int) -> dict[int, float]:
        """Entry → weight of the query terms it shares, for the entries worth scoring.

        The query's rare enough terms (in at most NOMINATE_MAX entries) nominate entries; while
        fewer than `size` are nominated, so do its common terms, rarest first. The remaining
        common terms only add their weight to the nominated entries: their long postings are
        never walked, so a query costs about the same on 2,000 entries as on 20,000. On a base of
        at most NOMINATE_MAX entries every term nominates: the plain scan.
        """
        postings, bags = self.vocabulary.postings, self.vocabulary.bags
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

    def _best_phrasing(
        self, entry_index: int, weights: dict[str, float], query_words: str, total: float
    ) -> tuple[float, str, float]:
        """The entry's best phrasing for the query: (score, text, precision)."""
        sc, vocabulary = self.scoring, self.vocabulary
        best_score, best_text, best_precision = 0.0, "", 0.0
        for p_index in vocabulary.by_entry[entry_index]:
            phrasing = vocabulary.phrasings[p_index]
            overlap = sum(w for term, w in weights.items() if term in phrasing.terms)
            if overlap <= 0:
                continue
            score = sc.overlap_score(overlap, total, max(0.0, phrasing.weight - overlap))
            if sc.fuzz_share:
                similarity = fuzz.token_set_ratio(query_words, phrasing.words) / 100.0
                score = sc.with_similarity(score, similarity)
            if score > best_score:
                best_score, best_text = score, phrasing.text
                best_precision = min(1.0, overlap / phrasing.weight) if phrasing.weight else 0.0
        return best_score, best_text, best_precision

    def _lexical(
        self, analysis: Analysis, known: list[_QueryTerm], total: float
    ) -> list[Candidate]:
        """The shortlisted entries with their lexical score (before naive Bayes)."""
        sc = self.scoring
        weights = {t.term: t.weight for t in known}
        shared = self._shared(known, sc.shortlist)
        query_words = " ".join(analysis.words)
        scored: list[Candidate] = []
        for entry_index in heapq.nlargest(sc.shortlist, shared, key=shared.__getitem__):
            matched = shared[entry_index]
            bag_score = sc.overlap_score(matched, total)
            best, text, precision = self._best_phrasing(entry_index, weights, query_words, total)
            final = sc.bag_share * bag_score + (1 - sc.bag_share) * best
            if final > 0:
                entry = self.entries[entry_index]
                bag = self.vocabulary.bags[entry_index]
                scored.append(
                    Candidate(
                        entry,
                        round(final, 4),
                        text or entry.title,
                        coverage=matched / total,
                        matched=sum(1 for t in known if bag.get(t.term) == 1.0),
                        precision=precision,
                    )
                )
        return scored

    def _with_bayes(
        self, scored: list[Candidate], known: list[_QueryTerm]
    ) -> tuple[list[Candidate], float]:
        """Blend each candidate's score with its naive Bayes posterior; whether both agree."""
        sc, vocabulary = self.scoring, self.vocabulary
        weights = {t.term: t.weight for t in known}
        likelihoods = []
        for c in scored:
            position = self._position[c.entry.id]
            likelihoods.append(
                log_likelihood(
                    weights,
                    vocabulary.term_counts[position],
                    vocabulary.nb_norm[position],
                    sc.smoothing,
                )
            )
        probabilities = posteriors(likelihoods)
        lexical_best = max(range(len(scored)), key=lambda i: scored[i].score)
        agree = float(probabilities[lexical_best] == max(probabilities))
        blended = [
            Candidate(
                c.entry,
                round(sc.blend(c.score, p), 4),
                c.phrasing,
                c.coverage,
                c.matched,
                c.precision,
                round(p, 4),
            )
            for c, p in zip(scored, probabilities, strict=True)
        ]
        return blended, agree

    def search(self, query: str, *, limit: int = RANKING_DEPTH) -> Ranking:
        """Rank entries for `query`; at most `limit` candidates, best first. Never raises."""
        analysis = self.normalizer.analyze(query if isinstance(query, str) else "")
        return self.rank(analysis, limit=limit)

    def rank(self, analysis: Analysis, *, limit: int = RANKING_DEPTH) -> Ranking:
        """Rank entries for an analysed query."""
        qterms = self._query_terms(analysis)
        known = [t for t in qterms if t.known]
        if not known:
            return Ranking(analysis, (), 0.0)
        total = sum(t.weight for t in qterms)
        scored = self._lexical(analysis, known, total)
        agree = 0.0
        if scored:
            scored, agree = self._with_bayes(scored, known)
        scored.sort(key=lambda c: c.score, reverse=True)
        known_share = sum(t.weight for t in known) / total
        anchor = float(any(t.term in self.vocabulary.anchors for t in known))
        return Ranking(analysis, tuple(scored[:limit]), known_share, agree, anchor)

    def decide(
        self,
        query: str,
        *,
        thresholds: Thresholds | None = None,
        context: Sequence[str] = (),
    ) -> Decision:
        """Answer, suggest, fall back or reply to small talk, for one message. Never raises.

        `context` is the ids of the entries the bot gave just before in the same conversation
        (see `bot.engine.dialogue`), for messages that only make sense after them.
        """
        limits = thresholds or self.thresholds
        analysis = self.normalizer.analyze(query if isinstance(query, str) else "")
        kind = small_talk(analysis)
        if kind is not None:
            return Decision(query, "smalltalk", (), analysis, small_talk=kind)
        ranking = self.rank(analysis, limit=max(RANKING_DEPTH, limits.max_suggestions))
        return decide_from(query, ranking, self.model, limits)
