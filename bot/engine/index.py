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
5. `decision.decide_from` turns the ranking into a decision: fitted models read named `Features`
   of the best entry (boosted trees: the probability that it is right; a logistic model: that the
   question is about EIG at all); thresholds on those probabilities choose answer, suggest or
   fallback.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.engine import snapshot
from bot.engine.clause import (
    MIN_KNOWN_WORDS,
    asking_clause,
    asking_sentence,
    question_sentence,
    refers_back,
    sentences,
    with_question,
)
from bot.engine.decision import (
    NEAR_MISS_ON_TOPIC,
    Candidate,
    Decision,
    DecisionModel,
    Gathered,
    Ranking,
    Thresholds,
    decide_from,
    load_model,
    rank_gathered,
)
from bot.engine.defi_rules import DefiRules
from bot.engine.defis import (
    DEFI_WORDS,
    HOW_MANY,
    PROJECT_WORDS,
    WHAT_WAS_DONE,
    WORK,
    WORKING,
    asks_for_a_part,
    asks_what_was_done,
    speaks_of_another,
    speaks_of_oneself,
    speaks_of_the_defi,
    told_in_the_past,
)
from bot.engine.encoder import Encoder, Vectors, default_encoder
from bot.engine.followup import (
    Dependence,
    asks_about_it,
    asks_for_the_link,
    asks_if_it_changed,
    asks_the_same,
    dependence,
    resumes_its_subject,
    speaks_of_them,
    without_link,
)
from bot.engine.language import Language
from bot.engine.lexicon import is_common_word
from bot.engine.memory import return_free_memory
from bot.engine.multi import halves
from bot.engine.normalize import (
    Analysis,
    Normalizer,
    fold,
    mark_where,
    stem,
    without_set_aside,
)
from bot.engine.passage import (
    MIN_FOLLOW_UP_LEAD_WEIGHT,
    MIN_LEAD_WEIGHT,
    AnswerLines,
    asked_line,
    leads,
)
from bot.engine.phrasings import best_phrasings
from bot.engine.promotions import (
    RELATIVE_TO_ONE,
    names_others_relatively,
    promotion_by_rank,
    promotions_after,
    promotions_named,
    promotions_of_years,
    without_promotions,
    years_of,
)
from bot.engine.ranking import CandidateFeatures
from bot.engine.scoring import Scoring, log_likelihood, posteriors
from bot.engine.semantic import SemanticIndex, Similarities, VectorStore
from bot.engine.shortlist import shared_weights
from bot.engine.smalltalk import SmallTalk, is_laugh, small_talk, small_talk_language
from bot.engine.snapshot import SnapshotStore
from bot.engine.spans import largest
from bot.engine.texting import written_out
from bot.engine.typos import MIN_CORRECTED_LENGTH, TypoCorrector
from bot.engine.vocabulary import Vocabulary, gc_paused, terms_key
from bot.knowledge import ADMINISTRATIONS_CATEGORY, CANDIDATES_CATEGORY, Entry, KnowledgeBase
from bot.knowledge.topics import PROMOTIONS

_WORD = re.compile(r"[^\W\d_]+")
"""A run of letters: a word the encoder reads (apostrophes and hyphens cut words)."""

ELIDED = frozenset("cdjlmnst")
"""Letters that stand for an elided word typed without its apostrophe (« jpeux », « cest »)."""

SPELLED_QUALITY = 0.85
"""How close a typo must be to a word of the base for the encoder to read that word: one
letter off or two swapped in a word of seven (« salaiire », « etudaints ») is, while words the
base lacks are not (« arcanes » is 0.8 from « vacances », « expat » from « exact »)."""

REACTIONS: frozenset[SmallTalk] = frozenset({"thanks", "bye", "ack", "laugh", "insult"})
"""Small talk that reacts to an answer: what may open a message that then asks nothing."""

_ENGLISH_QUESTION = re.compile(r"^\W*(?:what|which|whom|whose)\b", re.IGNORECASE)
"""A text that opens with « what » or « which » asks, even without « ? » (« ok. what's the
weather in Paris today lol »; not « ok thanks, that's what I needed »): « who », « when »,
« how » and the French question words are intents of the analysis already."""

RANKING_DEPTH = 5
"""Entries a ranking keeps: enough for three suggestions and the features of the first two."""

ANOTHER_SHARE = 0.5
"""Share of what the ranking leaves besides the entries just given that the first other défi
needs, for « et l'autre … ? » to get it (see `Index._another_defi`)."""

NOMINATE_MAX = 1000
"""A query term found in more entries than this scores the entries that rarer terms nominate,
but nominates none itself (see `shortlist.shared_weights`)."""

SEMANTIC_SHORTLIST = 10
"""Entries closest in meaning added to the lexical shortlist (questions sharing no word)."""


def _may_be_typo(word: str) -> bool:
    """Whether a folded word the base does not know may be a typo of one it knows: long enough
    to tell (`MIN_CORRECTED_LENGTH`), not a number, not an ordinary French word."""
    return len(word) >= MIN_CORRECTED_LENGTH and not word.isdigit() and not is_common_word(word)


@dataclass(frozen=True, slots=True)
class _Lexical:
    """What the words say about one entry."""

    score: float = 0.0
    phrasing: str = ""
    coverage: float = 0.0
    matched: int = 0
    precision: float = 0.0
    posterior: float = 0.0


_NO_LEXICAL = _Lexical()


@dataclass(frozen=True, slots=True)
class Reading:
    """How a message relates to the conversation: its follow-up signs, the entries just given
    (positions), and its meaning read after them (None when it was not read that way)."""

    signs: Dependence
    given: set[int]
    after: Similarities | None


@dataclass(frozen=True, slots=True)
class _QueryTerm:
    term: str
    weight: float
    known: bool


CLAUSE_KNOWN_WORDS = 2
"""Words the base knows that the last clause of a one-sentence story must hold to be read alone:
« …, est-ce que je peux tenter ma chance ? » after « ingénieur en poste dans un ministère »
asks about the story (a civil servant), « …, l'entretien je peux le faire en visio ? » does not."""


APPLYING = stem("candidater")
"""The term of applying as a candidate (« candidater », « postuler »…, see the synonyms)."""


MONEY = frozenset(
    stem(word) for word in ("salaire", "financement", "cout", "prix", "tarif", "frais")
)
"""The terms of paying or costing (after the synonyms: « payer », « budget », « qui paie »)."""

MAX_OTHER_CHOICES = 3
"""Entries offered for « d'autres défis sur … ? » when no défi of the promotion is on it."""

SURE_ON_ITS_OWN = 0.8
"""Ranking probability of a message's own answer, read alone, above which it is taken from a
choice led by another entry than the one just given (`Index._clear_alone`): « il va être payé
ou c'est du bénévolat ? » (0.89) is the pay; « et les autres défis de cette promo ? » (0.54)
is not the other promotions' défis (cross-validated, a confident wrong answer)."""

OUR_DEFI = re.compile(
    r"\b(?:notre|nos) (?:defis?|projets?)\b"
    r"|\b(?:proposer|deposer|soumettre) (?:un|des|notre|nos) defis?\b"
    r"|\bdepots? (?:d un|des|du|de notre|de nos) defis?\b"
    r"|\bcote (?:administrations?|admin)\b"
    r"|\bdefis? (?:soit |est |sont |sera |seront )?(?:ils? |elles? )?(?:retenus?|selectionnes?"
    r"|choisis?)\b"
    r"|\b(?:dossiers?|candidatures?) (?:de candidature |de depot )?(?:du|d un|des|de notre|de nos)"
    r" defis?\b"
    r"|\b(?:presenter|presentent|pitcher|pitchent|defendre|defendent) (?:le|les|un|notre|nos)"
    r" defis?\b"
    r"|\b(?:choisit|choisissez|choisissent|selectionne|selectionnez|selectionnent|retient|"
    r"retenez|retiennent) (?:les|des) defis\b"
    r"|\b(?:sont|seront|ont ete|etaient) (?:retenus|selectionnes|choisis) les defis\b"
    r"|\b(?:evalue|evaluez|evaluent|notez|notent|jugez|jugent) (?:les|des|nos|un) defis?\b"
    r"|\bcriteres? (?:de selection |d evaluation )?(?:des|pour les|pour un) defis?\b"
    r"|\b(?:defis?|projets?) (?:est |sont |sera |seront )?(?:refuses?|rejetes?|ecartes?)\b"
    r"|\bprojects? (?:get |gets |are |is )?(?:turned down|rejected|refused)\b"
)
"""« notre défi », « nos projets », « proposer un défi », « dépôt des défis », « côté
administration », « pour qu'un défi soit retenu », « le jury qui choisit les défis », « vous
évaluez les défis sur quels critères » (tryout e39), « quel genre de projet est refusé » (e36),
« what kind of projects get turned down » (e43), « les défis sont-ils sélectionnés sur quels
critères », « où dépose-t-on le dossier de candidature du défi », « les mentors doivent-ils
présenter le défi devant le jury » (e57): an administration speaks of the défi it proposes."""

COUNTED = re.compile(r"\bhow (?:many|much)\b")
"""« how many challenges in the 4th cohort? »: a count, in a message's folded form (« how » alone
reads « comment »)."""

HE_OR_SHE = re.compile(r"\b(?:il|elle|ils|elles|lui|he|she|they)\b")
"""A subject pronoun (« il y passe combien de temps ? »): it stands for what was just said."""

SAME_HOST = re.compile(
    r"\b(?:meme|same) (?:ministere|administration|ministry|porteur|direction|agency|maison)\b"
)
"""« l'autre défi du même ministère », « the other one from the same ministry »: a défi of the
administration of the défi just given (tryout e66 got ExploCode after DataJust)."""

SIDE_RIVALS = 3
"""How far down the ranking the administrations' entry may be, for a message that speaks as an
administration of its défi and was answered on the candidates' side (`OUR_DEFI`)."""

SIDE_CHOICE_SHARE = 0.4
"""Probability under which the entry leading a choice says too little of what a message on the
administrations' side asks (« Unrelated, but do you know how to post a contractuel job on Place
de l'emploi public? » led by the civil servants' entry at 0.34) to answer their entry."""

CANDIDATE_DEFIS = re.compile(r"\bdefis? candidats?\b")
"""« combien de défis candidats la dernière fois ? »: the défis proposed, not people applying."""

STORY_PERSON = re.compile(
    r"\b(?:(?:je|moi|mon|ma|mes|me|il|elle|lui|son|sa|ses|jpeux|jsuis|jai|chui|chuis|i|my|he"
    r"|she|his|her)\b|[jm]['’])",
    re.IGNORECASE,
)
"""Words of a question about someone of the story before it (« il peut candidater ? »)."""

ASKS_THE_BOT = re.compile(
    r"\b(?:vous|tu|t) (?:savez|sais|connaissez|connais|conseillez|conseilles|recommandez)\b"
    r"|\b(?:do|would) (?:you|u) (?:know|recommend)\b"
)
"""A question that asks the bot about what the story is after (« Je cherche un stage au
ministère […], vous savez où postuler ? »): the story says what it is about."""

COMPARES = re.compile(r"\b(?:pareil|meme chose|different\w*|difference|lie|same|similar)\b")
"""Words of a question that compares with what the story tells (« c'est pareil que les EIG ? »)."""

STANDING_WORDS = 2
"""Terms a story's question sentence must name to stand on its own: « c combien le salaire en
eig ? » does, « Vous avez des chiffres ? » asks about the story."""

ASKED_FOR = re.compile(
    r"\b(?:pour|afin de|to)\s+(?:(?:leur|lui|vous|les|their|them)\s+)?"
    r"(?:poser|demander|ask|inquire|une question|des questions|me renseigner|en savoir)\b",
    re.IGNORECASE,
)
"""Where a message says why it asks: « qui contacter pour poser une question sur … », « how do
I get in touch to ask about … »."""

STORY_RIVALS = 3
"""First entries of the whole message among which its question sentence's entry must be."""

WE = re.compile(r"\b(?:on|nous|notre|nos)\b")
"""« on », « nous »: in a conversation on the administrations' side, the administration."""

PAY = stem("salaire")
"""The term of the pay (« payé », « gagner »… after the synonyms)."""

EIG = stem("eig")
"""The term that names the EIG themselves: with the pay alone, what they earn."""


class Index:
    """The knowledge base, normalised and indexed for fast matching."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        *,
        thresholds: Thresholds | None = None,
        scoring: Scoring | None = None,
        model: DecisionModel | None = None,
        encoder: Encoder | None = None,
        store: VectorStore | None = None,
        snapshots: SnapshotStore | None = None,
    ) -> None:
        """`store` keeps the base's vectors between runs, `snapshots` the built vocabulary and
        semantic index (a restart on an unchanged base then reads instead of building)."""
        self.knowledge = knowledge
        self.scoring = scoring or Scoring()
        self.model = model or load_model()
        if thresholds is not None:
            self.model = dataclasses.replace(self.model, thresholds=thresholds)
        self.normalizer = Normalizer(knowledge.synonyms)
        self.snapshots = snapshots
        built = self._built(encoder or default_encoder(), store)
        self.vocabulary, self.semantic = built.vocabulary, built.semantic
        self._typos = TypoCorrector(self.vocabulary.surface)
        self._position = {entry.id: i for i, entry in enumerate(knowledge.entries)}
        self.defi_rules = DefiRules(
            knowledge, self.vocabulary, self._position, self.normalizer.synonym_terms()
        )
        self._answer_lines: dict[str, AnswerLines] = {}
        """The lines of the long answers given so far (`bot.engine.passage`), by entry id."""

    def _built(self, encoder: Encoder, store: VectorStore | None) -> snapshot.Built:
        """The vocabulary and semantic index: read from the snapshot of this very base when
        there is one, else built (and the snapshot written)."""
        knowledge = self.knowledge
        key = snapshot.key(knowledge, self.scoring, encoder.version) if self.snapshots else ""
        if self.snapshots is not None:
            found = self.snapshots.read(
                key, lambda file: snapshot.load(file, knowledge, encoder, store)
            )
            if found is not None:
                encoder.release()
                return found
        # The vectors first: the memory the encoder used for them is given back (`release`)
        # before the vocabulary's is taken, so that a large base's first start never holds both.
        semantic = SemanticIndex(knowledge, encoder, store)
        encoder.release()
        with gc_paused():
            vocabulary = Vocabulary(knowledge, self.normalizer, self.scoring)
        return_free_memory()  # what building the vocabulary took and let go
        built = snapshot.Built(vocabulary, semantic)
        if self.snapshots is not None:
            self.snapshots.write(key, lambda file: snapshot.dump(built, file))
        return built

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
            corrected = self._typos.correct(word) if _may_be_typo(word) else None
            if corrected is not None:
                term, quality = corrected
                if term not in terms:
                    terms[term] = _QueryTerm(term, idf[term] * quality, True)
            elif term not in terms:
                weight = sc.unknown_common if common else sc.unknown
                terms[term] = _QueryTerm(term, weight, False)
        return list(terms.values())

    def _lexical(
        self, analysis: Analysis, known: list[_QueryTerm], total: float, also: Iterable[int] = ()
    ) -> dict[int, _Lexical]:
        """The shortlisted entries with their lexical score, blended with naive Bayes.

        `also` are entries to score whenever they share a term with the query (the closest in
        meaning): when a word is in nearly every entry ("eig"), the entry the query means must
        not lose its word score for being tied outside the shortlist.
        """
        sc = self.scoring
        weights = {t.term: t.weight for t in known}
        shared = shared_weights(
            self.vocabulary, [(t.term, t.weight) for t in known], sc.shortlist, NOMINATE_MAX
        )
        query_words = " ".join(analysis.words)
        found: dict[int, _Lexical] = {}
        chosen = shared.best(sc.shortlist)
        chosen += [i for i in also if shared.reached[i] and i not in chosen]
        best = best_phrasings(self.vocabulary, sc, chosen, weights, (query_words, total))
        for entry_index, phrasing in zip(chosen, best, strict=True):
            matched = float(shared.weights[entry_index])
            bag_score = sc.overlap_score(matched, total)
            final = sc.bag_share * bag_score + (1 - sc.bag_share) * phrasing.score
            if final > 0:
                asked = self.vocabulary.question_terms[entry_index]
                found[entry_index] = _Lexical(
                    score=final,
                    phrasing=phrasing.text or self.entries[entry_index].title,
                    coverage=matched / total,
                    matched=sum(1 for t in known if t.term in asked),
                    precision=phrasing.precision,
                )
        if found:
            self._blend_bayes(found, weights)
        return found

    def _blend_bayes(self, found: dict[int, _Lexical], weights: dict[str, float]) -> None:
        """Blend each score with its naive Bayes posterior among the shortlist, in place."""
        sc, vocabulary = self.scoring, self.vocabulary
        order = list(found)
        likelihoods = [
            log_likelihood(weights, vocabulary.term_counts[i], vocabulary.nb_norm[i], sc.smoothing)
            for i in order
        ]
        for i, probability in zip(order, posteriors(likelihoods), strict=True):
            lexical = found[i]
            found[i] = _Lexical(  # not dataclasses.replace: a third of the time of this loop
                sc.blend(lexical.score, probability),
                lexical.phrasing,
                lexical.coverage,
                lexical.matched,
                lexical.precision,
                probability,
            )

    def search(
        self, query: str, *, limit: int = RANKING_DEPTH, context: Sequence[str] = ()
    ) -> Ranking:
        """Rank entries for `query`; at most `limit` candidates, best first. Never raises."""
        analysis = self.normalizer.analyze(query if isinstance(query, str) else "")
        return self.rank(analysis, limit=limit, context=context)

    def rank(
        self, analysis: Analysis, *, limit: int = RANKING_DEPTH, context: Sequence[str] = ()
    ) -> Ranking:
        """Rank entries for an analysed query, read after `context` (the entries just given)."""
        return rank_gathered(self.gather(analysis, context), self.model.rank, limit)

    def gather(
        self,
        analysis: Analysis,
        context: Sequence[str] = (),
        *,
        vectors: Vectors | None = None,
    ) -> Gathered:
        """Everything the ranking model needs about a query's candidates (no model applied).

        `vectors`: the readings' embeddings as `_encoded` gives them, when the caller has them
        already (encoded in one batch with other texts).
        """
        qterms = self._query_terms(analysis)
        known = [t for t in qterms if t.known]
        total = sum(t.weight for t in qterms)
        signs = self._signs(analysis, context)
        given = self._given(context) if signs.any else set()
        if vectors is None:
            vectors, _ = self._encoded(analysis, context)
        vector = vectors[0]
        after = self.semantic.similarities(vectors[1]) if len(vectors) > 1 else None
        meaning = self.semantic.similarities(vector)
        nearest = largest(meaning.phrasing, SEMANTIC_SHORTLIST)
        also = [int(i) for i in nearest]
        lexical = self._lexical(analysis, known, total, also) if known else {}
        shortlist = self._of_promotions(
            sorted(set(lexical) | {int(i) for i in nearest} | self._pointed_back(given, signs)),
            self._promotions_named(analysis, given),
        )
        meaning = self.semantic.completed(meaning, vector, shortlist)
        if after is not None:
            after = self.semantic.completed(after, vectors[1], shortlist)
        known_share = sum(t.weight for t in known) / total if total else 0.0
        best_lexical = max(lexical, key=lambda i: lexical[i].score) if lexical else None
        best_meaning = int(np.argmax(meaning.phrasing)) if self.entries else None
        return Gathered(
            analysis=analysis,
            candidates=tuple(
                self._candidates(
                    analysis,
                    shortlist,
                    lexical,
                    (meaning, self.semantic.answers(vector, shortlist)),
                    known_share,
                    Reading(signs, given, after),
                )
            ),
            known=known_share,
            agree=float(best_lexical is not None and best_lexical == best_meaning),
            anchor=max((self.vocabulary.anchors.get(t.term, 0.0) for t in known), default=0.0),
            semantic_best=float(meaning.phrasing.max()) if self.entries else 0.0,
            decline=meaning.decline,
            cued=float(
                any(t.term in self.vocabulary.anchors or t.term in PROJECT_WORDS for t in known)
            ),
        )

    def _candidates(
        self,
        analysis: Analysis,
        shortlist: list[int],
        lexical: dict[int, _Lexical],
        meaning: tuple[Similarities, dict[int, float]],
        known_share: float,
        reading: Reading,
    ) -> list[Candidate]:
        """Every shortlisted entry with its features (score 0: the model is not applied yet).

        `meaning`: the query's similarities, and its best cosine with each shortlisted entry's
        answer sentences."""
        if not shortlist:
            return []
        signs, given, after = reading.signs, reading.given, reading.after
        similar, answers = meaning
        kin = self._kin(given)
        terms = set(analysis.terms)
        top_semantic = max(similar.phrasing[i] for i in shortlist)
        top_lexical = max((lexical[i].score for i in shortlist if i in lexical), default=0.0)
        candidates = []
        for i in shortlist:
            lex = lexical.get(i, _NO_LEXICAL)
            semantic = float(similar.phrasing[i])
            is_given = float(i in given)
            features = CandidateFeatures(
                lexical=lex.score,
                posterior=lex.posterior,
                coverage=lex.coverage,
                precision=lex.precision,
                semantic=semantic,
                answer=answers[i],
                votes=float(similar.votes[i]),
                semantic_gap=semantic - top_semantic,
                lexical_gap=lex.score - top_lexical,
                semantic_unknown=semantic * (1 - known_share),
                context_link=is_given * signs.link,
                context_pointer=is_given * signs.pointer,
                context_short=is_given * signs.short,
                kin_short=float(i in kin) * signs.short,
                semantic_context=float(after.phrasing[i]) if after is not None else 0.0,
                named=float(bool(self.vocabulary.name_terms[i] & terms)),
            )
            entry = self.entries[i]
            candidates.append(
                Candidate(entry, 0.0, lex.phrasing or entry.title, features, matched=lex.matched)
            )
        return candidates

    def _for_another_promotion(
        self, decision: Decision, ranking: Ranking, context: Sequence[str]
    ) -> Decision | None:
        """For a short follow-up that names another promotion than the entry just given (« et
        la promo d'avant ? » after the 3rd promotion's figures), that entry's first related
        entry bound to no promotion: the staff's `related` field says where the same question
        goes for every promotion (`promotions`, or the other promotions' défis after the list
        of défis). After an entry bound to no promotion (the pay, which gives each
        promotion's), that entry again when the choice offers it first: « et pr la promo 5 ? »
        after the pay got the contract, the pay's first related entry."""
        given = self._given(context)
        analysis = ranking.analysis
        again = self._again_for_other_promotions(decision, given)
        if again is not None:
            return again
        if decision.status == "answer" or not dependence(analysis).short:
            return None
        current = {self.entries[i].promotion for i in given}
        if not self._promotions_named(analysis, given) - current:
            return None  # « quels résultats pour la promo 3 ? » after its figures
        ranked = {c.entry.id: c for c in ranking.candidates}
        bound = [i for i in given if self.entries[i].promotion is not None]
        if not bound:
            first = decision.candidates[0] if decision.candidates else None
            if first is None or self._position[first.entry.id] not in given:
                return None
            return Decision(decision.query, "answer", (first,), analysis)
        for i in bound:
            entry = self._for_every_promotion(self.entries[i])
            if entry is not None:
                chosen = ranked.get(entry.id) or Candidate(entry, 0.0, entry.title)
                return Decision(decision.query, "answer", (chosen,), analysis)
        return None

    @functools.cached_property
    def _every_promotion_entries(self) -> frozenset[Entry]:
        """The entries where an entry bound to one promotion sends the same question for every
        promotion (`_for_every_promotion`): the promotions' figures, the other promotions'
        défis."""
        found = (self._for_every_promotion(e) for e in self.entries if e.promotion is not None)
        return frozenset(e for e in found if e is not None)

    def _again_for_other_promotions(self, decision: Decision, given: set[int]) -> Decision | None:
        """For a follow-up that names other promotions and nothing else, after an entry bound
        to none: that entry again when its answer tells at least two promotions apart (« et pr
        les promos d apres ? » after the pay, which gives the 3rd, 4th and 5th promotions', got
        every promotion's figures); after an entry on the programme that does not (« and 2019? »
        after its history got the history again), the card of the one promotion named
        (`_promotion_cards`). « la promo 2 ils étaient combien » after the other promotions'
        défis asks for more than that, and « y avait quoi comme défis en 2019 ? » after the
        experience asked (whose card gives each promotion's average age) asks for défis
        (tryout e41). « et après 2019 ? » after the financing names the promotions after the 3rd
        (tryout e64: it got every promotion's figures, not the financing since 2020)."""
        analysis = decision.analysis
        if len(given) != 1:
            return None
        position = next(iter(given))
        entry = self.entries[position]
        folded = analysis.folded
        named = promotions_named(folded) | promotion_by_rank(folded)
        relative = RELATIVE_TO_ONE.search(folded)  # « et après 2019 ? »: the promotions after it
        if entry.promotion is not None:
            return None
        if not (named or relative or names_others_relatively(folded)):
            return None
        rest = RELATIVE_TO_ONE.sub(" ", folded) if relative else folded
        if self.normalizer.analyze(without_promotions(rest, relative=True)).terms:
            return None
        if set(analysis.terms) & DEFI_WORDS and entry not in self._every_promotion_entries:
            return None  # « y avait quoi comme défis en 2019 ? » after the experience asked
        if len(self._answer_promotions[position]) >= 2:
            chosen = next((c for c in decision.candidates if c.entry.id == entry.id), None)
            return Decision(
                decision.query, "answer", (chosen or Candidate(entry, 0.0, entry.title),), analysis
            )
        card = self._promotion_cards.get(next(iter(named))) if len(named) == 1 else None
        if card is None or relative or card.category != entry.category:
            return None
        return Decision(decision.query, "answer", (Candidate(card, 0.0, card.title),), analysis)

    @functools.cached_property
    def _promotion_cards(self) -> dict[int, Entry]:
        """By promotion, the entry that gives its figures, read once per base: the one bound to
        it whose question goes, for every promotion, to the entry naming the most promotions
        (the 3rd promotion's card), else that entry (every promotion's figures)."""
        every = max(
            self._every_promotion_entries,
            key=lambda e: (len(self._answer_promotions[self._position[e.id]]), e.id),
            default=None,
        )
        if every is None:
            return {}
        cards = dict.fromkeys(PROMOTIONS, every)
        for entry in reversed(self.entries):  # the first such entry of the base wins
            promotion = entry.promotion
            if (
                promotion in cards
                and not entry.is_defi
                and self._for_every_promotion(entry) is every
            ):
                cards[promotion] = entry
        return cards

    @functools.cached_property
    def _answer_promotions(self) -> list[frozenset[int]]:
        """By entry position, the promotions its answer names (« EIG 4 », « 3e promotion »)."""
        return [promotions_named(fold(entry.answer)) for entry in self.entries]

    def _for_every_promotion(self, entry: Entry) -> Entry | None:
        """Where the question an entry bound to one promotion answers goes for every promotion:
        its first `related` entry bound to none (the staff's field)."""
        for related in entry.related:
            other = self.knowledge.get(related)
            if other is not None and other.promotion is None:
                return other
        return None

    def _another_defi(
        self,
        decision: Decision,
        ranking: Ranking,
        read_after: tuple[DecisionModel, Sequence[str]],
        vector: Vectors,
    ) -> Decision | None:
        """Another défi than the one just given, for « et l'autre sur la justice ? » or « and
        what about the other justice one, the compensation thing » after Open Justice's card
        (which they got again): the first entry of the message read alone once the entries just
        given are set aside, when it is a défi and holds at least `ANOTHER_SHARE` of what the
        ranking leaves them. `read_after`: the model, and the conversation's entries."""
        model, context = read_after
        given = self._given(context)
        analysis = ranking.analysis
        if not speaks_of_another(analysis) or not any(self.entries[i].is_defi for i in given):
            return None
        if SAME_HOST.search(analysis.folded):  # « et l'autre défi du même ministère ? »
            shown = [i for i in given if self.entries[i].is_defi]
            others = self.defi_rules.of_the_same_host(shown)
            if others:
                chosen = tuple(Candidate(e, 0.0, e.title) for e in others)
                return Decision(decision.query, "answer", chosen, analysis)
        first = decision.candidates[0] if decision.candidates else None
        if first is None or self._position[first.entry.id] not in given:
            return None
        alone = self._ranked_alone(analysis, vector, model, RANKING_DEPTH)
        left = [c for c in alone.candidates if self._position[c.entry.id] not in given]
        if not left:
            return None
        if not left[0].entry.is_defi:
            # « et l'autre défi avec des géomaticiens ? »: the profiles come first, but the
            # message asks for a défi; the défis left are then weighed among themselves.
            if not set(analysis.terms) & DEFI_WORDS:
                return None
            defis = [c for c in left if c.entry.is_defi]
            if not defis or not self._holds_every_word(analysis, defis[0].entry):
                # « d'autres défis sur la sécurité routière ? »: none on it in this promotion;
                # the message's own choice, without the défi just given, offers the others'.
                offered = tuple(left[:MAX_OTHER_CHOICES])
                return Decision(decision.query, "suggest", offered, analysis)
            left = defis
        if left[0].score < ANOTHER_SHARE * sum(c.score for c in left):
            return None
        return Decision(decision.query, "answer", (left[0],), analysis)

    def _holds_every_word(self, analysis: Analysis, entry: Entry) -> bool:
        """Whether every term of the message, besides question words and the words for a défi,
        is in `entry`'s texts: « l'autre défi avec des géomaticiens » is DataReg's, « d'autres
        défis sur la sécurité routière » no défi's where only « sécurité » is CibNav's."""
        position = self._position[entry.id]
        postings = self.vocabulary.postings
        return all(
            position in postings.get(term, ())
            for term in analysis.terms
            if term not in DEFI_WORDS and not term.startswith("?")
        )

    def _promotions_named(self, analysis: Analysis, given: set[int]) -> frozenset[int]:
        """The promotions a message names (`bot.engine.promotions`): by number, rank or year, or,
        in a follow-up, relative to the promotion of the entry just given: « et la promo d'avant
        ? » after the 3rd promotion's figures is not asking for them again."""
        named = promotions_named(analysis.folded)
        current = {p for i in given if (p := self.entries[i].promotion) is not None}
        if named or len(current) > 1:
            return named
        if not current:
            # After an entry bound to no promotion, only a rank alone names one: « et la
            # 1ère ? » after the promotions' card; « la promotion suivante » names none.
            return promotion_by_rank(analysis.folded)
        return promotions_after(analysis.folded, current.pop())

    def _of_promotions(self, shortlist: list[int], named: frozenset[int]) -> list[int]:
        """The shortlist without the entries bound to a promotion the message does not name
        (« les défis de la promo 2 » is not asking for the 3rd promotion's list)."""
        if not named:
            return shortlist
        return [i for i in shortlist if self.entries[i].promotion in (None, *named)]

    def _kin(self, given: set[int]) -> set[int]:
        """Entries that continue the topic of the entries just given (same category, related)."""
        kin: set[int] = set()
        for i in given:
            entry = self.entries[i]
            kin.update(
                j
                for j, other in enumerate(self.entries)
                if j != i and (other.category == entry.category or other.id in entry.related)
            )
        return kin - given

    def readings(self, analysis: Analysis, context: Sequence[str] = ()) -> list[str]:
        """The texts whose meaning the message needs: itself, then, when it looks like a
        follow-up of entries just given, itself read after their titles. Encoded in one batch
        (two texts cost about 1.3 encodings of one)."""
        text = self._spelled(without_set_aside(analysis.text), analysis.language)
        signs = self._signs(analysis, context)
        given = self._given(context) if signs.any else set()
        if not given:
            return [without_link(text) if signs.link else text]
        titles = " ".join(self.entries[i].title for i in sorted(given))
        return [text, f"{titles} {text}"]

    def _spelled(self, text: str, language: Language) -> str:
        """`text` with each word that the index reads as a typo of a word of the base written
        as the base writes it (« salaiire » → « salaire »): the encoder reads words it was
        trained on, and the word side corrects those typos already (`_query_terms`). Only in a
        French message: English words are not typos of the base's French ones."""

        def spelled(match: re.Match[str]) -> str:
            token = match.group(0)
            words = fold(token).split()
            if len(words) != 1:
                return token
            word = words[0]
            if not _may_be_typo(word):
                return token
            if word[0] in ELIDED and is_common_word(word[1:]):
                return token  # « jpeux », « jsuis »: a word typed without its apostrophe
            if stem(word) in self.vocabulary.idf or self._typos.term_of(word) is not None:
                return token
            found = self._typos.closest(word)
            return found[0] if found is not None and found[1] >= SPELLED_QUALITY else token

        return _WORD.sub(spelled, written_out(mark_where(text))) if language == "fr" else text

    def _without_small_talk(self, analysis: Analysis) -> tuple[Analysis, SmallTalk | None]:
        """The message without its opening sentences or clause of small talk, and the kind of
        the last one cut (None: nothing cut). In « Je vous remercie pour votre patience. À qui
        puis-je écrire ? » the thanks would drown the question's meaning; in « cool, and who
        were the people on it? » the « cool » would keep it from being the follow-up it is. A
        closing request for the link goes too: « link pls » after « how do i apply?? » is no
        question about the défi EIG Link (tryout e48)."""
        parts = sentences(analysis.text)
        if len(parts) > 1 and asks_for_the_link(self.normalizer.analyze(parts[-1])):
            parts = parts[:-1]  # « how do i apply?? link pls »: the question's own link
        start, opening = 0, None
        while start < len(parts) - 1:
            kind = small_talk(self.normalizer.analyze(parts[start]))
            if kind is None:
                break
            start, opening = start + 1, kind
        text = " ".join(parts[start:])
        head, comma, rest = text.partition(",")
        kind = small_talk(self.normalizer.analyze(head)) if comma and rest.strip() else None
        if kind is None:
            # « lol les voleurs de plaques vont pleurer »: a laugh needs no comma.
            head, _, rest = text.partition(" ")
            kind = "laugh" if rest.strip() and is_laugh(fold(head)) else None
        if kind is not None:
            text, opening = rest.strip(), kind
        cut = self.normalizer.analyze(text) if text != analysis.text else analysis
        return cut, opening

    @staticmethod
    def _small_talk_after_all(
        decision: Decision, opening: SmallTalk | None, written_in: Language
    ) -> Decision:
        """Small talk, for a message that opens with it and then asks nothing the bot can
        answer: « Merci beaucoup, vous m'avez rassurée, je vais tenter 🙂 », « top merci, bonne
        continuation au programme » got « pas de réponse sûre »; after a défi's card, « Merci,
        très utile pour mon papier » got a choice of défis. A rest that asks (a « ? », a
        question word, an opening « et ») keeps its fallback or choice, and a fallback stays in
        the question log; so does a greeting before a request (« Bonjour, je voudrais la
        météo »)."""
        analysis = decision.analysis
        asks = (
            "?" in analysis.text
            or any(term.startswith("?") for term in analysis.terms)
            or _ENGLISH_QUESTION.search(analysis.text) is not None
        )
        reacts = opening is not None and opening in REACTIONS
        # After thanks, a choice is no answer either; after « ok. » the rest may still ask
        # (« ok. il faut fournir quoi comme dossier pour déposer un défi »).
        # A laugh then a remark that asks nothing is a reaction, whatever the remark's words
        # (« lol les voleurs de plaques vont pleurer » after IA Flash's card got the card again).
        unsure = (
            decision.status == "fallback"
            or (decision.status == "suggest" and opening in ("thanks", "bye"))
            or opening == "laugh"
        )
        if not reacts or not unsure or asks or dependence(analysis).link:
            return decision
        return Decision(
            decision.query, "smalltalk", (), analysis, small_talk=opening, language=written_in
        )

    def _encoded(
        self, analysis: Analysis, context: Sequence[str], others: Sequence[str] = ()
    ) -> tuple[Vectors, Vectors]:
        """The vectors of the message's readings (the first leaning towards the sentence that
        asks, see `bot.engine.clause`), then those of `others`: every text of the message in
        one batch, which costs less than one pass per text."""
        readings = self.readings(analysis, context)
        asking = self._asking_sentence(analysis)
        vectors = self.semantic.encoder.encode_message([*readings, *asking, *others])
        meaning = vectors[: len(readings)]
        if asking:
            meaning = np.vstack([with_question(meaning[0], vectors[len(readings)]), meaning[1:]])
        return meaning, vectors[len(readings) + len(asking) :]

    def _asking_sentence(self, analysis: Analysis) -> list[str]:
        """The sentence of a long message that asks, when it says something on its own (see
        `bot.engine.clause`): a list of one text, or empty."""
        sentence = asking_sentence(analysis.text)
        if sentence is None:
            return []
        terms = self._query_terms(self.normalizer.analyze(sentence))
        return [sentence] if sum(t.known for t in terms) >= MIN_KNOWN_WORDS else []

    @staticmethod
    def _pointed_back(given: set[int], signs: Dependence) -> set[int]:
        """The entries just given, when the message points back to them with a link word or a
        pronoun (« et la suivante ? », « et celle d'après ? »): they are then candidates even if
        it shares no word with them. A short message alone does not (« blabla xyz »)."""
        return given if signs.link or signs.pointer else set()

    def _signs(self, analysis: Analysis, context: Sequence[str]) -> Dependence:
        """The follow-up signs of a message read after `context` (see `dependence`)."""
        return dependence(analysis, after_a_defi=self._after_a_defi(context))

    def _after_a_defi(self, context: Sequence[str]) -> bool:
        """Whether the entries the bot gave last hold a défi (its card was just read)."""
        return any(self.entries[i].is_defi for i in self._given(context[-1:]))

    def _given(self, context: Sequence[str]) -> set[int]:
        """The positions of the entries just given (ids no longer in the base are dropped)."""
        return {self._position[i] for i in context if i in self._position}

    def decide(
        self,
        query: str,
        *,
        thresholds: Thresholds | None = None,
        context: Sequence[str] = (),
        model: DecisionModel | None = None,
    ) -> Decision:
        """Answer, suggest, fall back or reply to small talk, for one message. Never raises.

        `context` is the ids of the entries the bot gave just before in the same conversation
        (see `bot.engine.dialogue`), for messages that only make sense after them. `model`
        replaces the index's own (cross-validation decides with a model fitted without the
        questions it measures).
        """
        model = model or self.model
        limits = thresholds or model.thresholds
        analysis = self.normalizer.analyze(query if isinstance(query, str) else "")
        written_in = analysis.language
        kind = small_talk(analysis)
        if kind is not None:
            spoken = small_talk_language(analysis)
            return Decision(query, "smalltalk", (), analysis, small_talk=kind, language=spoken)
        analysis, opening = self._without_small_talk(analysis)
        depth = max(RANKING_DEPTH, limits.max_suggestions)
        cuts = halves(analysis.text) if len(analysis.words) >= 2 else []
        parts = [text for cut in cuts for text in cut]
        meaning, halves_vectors = self._encoded(analysis, context, parts)
        gathered = self.gather(analysis, context, vectors=meaning)
        ranking = rank_gathered(gathered, model.rank, depth)
        decision = decide_from(query, ranking, model, limits)
        signs = self._signs(analysis, context)
        follow_up = bool(context) and signs.any  # its words may mean more
        if limits.answers_at_all and not follow_up:
            decision = self._as_written(decision, ranking)
        elif limits.answers_at_all:
            decision = self._for_another_promotion(decision, ranking, context) or decision
            if decision.status != "answer" and (
                not signs.pointer
                or resumes_its_subject(analysis)
                or not self._offers_given(decision, context)
            ):
                decision = self._clear_alone(
                    decision, ranking, (model, limits), self._given(context), meaning[:1]
                )
            elif decision.status == "suggest":
                decision = self._pointing_back(decision, context) or decision
        if follow_up and limits.answers_at_all:
            decision = self._about_it(decision, ranking, context) or decision
            decision = self._on_the_administrations_side(decision, context) or decision
            decision = self._past_of_the_given(decision, context) or decision
            other = self._another_defi(decision, ranking, (model, context), meaning[:1])
            decision = other or decision
        elif limits.answers_at_all:
            side = self._said_as_an_administration(analysis, context)
            decision = self._on_the_administrations_side(decision, side) or decision
            decision = self._offered_to_an_administration(decision, ranking) or decision
        if cuts:
            whole_on_topic = model.on_topic.probability(ranking.features())
            split = self._two_questions(
                query, analysis, (decision, whole_on_topic), (model, limits), parts, halves_vectors
            )
            decision = split or decision
        if decision.status == "answer" and limits.answers_at_all and not follow_up:
            decision = self._asked_apart_from_story(decision, ranking, (model, limits)) or decision
        if decision.status != "answer" and limits.answers_at_all:
            decision = self._asked_for_a_purpose(decision, (model, limits)) or decision
        if decision.status != "answer" and limits.answers_at_all:
            decision = self._offered_from_question(decision, (model, limits)) or decision
            decision = self._promotion_named(decision)
            decision = self._asked_of_a_promotion(decision, (model, limits)) or decision
        decision = self._defis_of_another_promotion(decision) or decision
        defis = self.defi_rules
        if decision.status != "answer":
            decision = defis.by_theme(decision, gathered, ranking) or decision
        decision = defis.with_theme_holders(decision)
        decision = defis.by_guess(decision)
        decision = defis.by_name(decision)
        decision = defis.by_administration(decision, self._after_a_defi(context))
        decision = defis.as_one_of_several(decision)
        if decision.status == "suggest":
            decision = defis.with_list(decision, limits)
        if limits.answers_at_all:
            latest_last = [self._position[i] for i in context if i in self._position]
            of_them = follow_up or (
                bool(context)
                and (
                    speaks_of_them(analysis)
                    or speaks_of_the_defi(analysis)
                    or asks_for_a_part(analysis)
                )
            )
            decision = defis.with_aspects(decision, latest_last, of_them)
            decision = defis.kept_on_followed(decision, latest_last, of_them)
        decision = self._of_another_year(decision) or decision
        decision = self._small_talk_after_all(decision, opening, written_in)
        decision = self._with_lead(decision, context)
        return dataclasses.replace(
            decision,
            language=written_in,
            unmatched_theme=defis.unmatched_theme(decision),
            again=decision.entry is not None and decision.entry.id in context[-1:],
        )

    def _of_another_year(self, decision: Decision) -> Decision | None:
        """Every promotion's figures, for a message answered with one promotion's card while it
        names the year of another and that card says nothing of it: « en 2021 ils ont retenu
        combien de candidats sur combien » is not the 3rd promotion's (2019) figures (tryout
        e15); the promotions' card says what is known of each. A year the card tells (« en
        2018 », when its call was) stays its own. So for a choice led by that card: « combien de
        candidats en 2021 » (tryout e52; golden tables: 1 more right, none lost)."""
        if decision.status not in ("answer", "suggest") or not decision.candidates:
            return None
        entry = decision.candidates[0].entry
        if entry.promotion is None:
            return None
        if self._promotion_cards.get(entry.promotion) is not entry:
            return None
        years = years_of(decision.analysis.folded)
        if not years or entry.promotion in promotions_of_years(decision.analysis.folded):
            return None
        if any(str(year) in entry.answer for year in years):
            return None
        every = self._for_every_promotion(entry)
        if every is None:
            return None
        return Decision(
            decision.query, "answer", (Candidate(every, 0.0, every.title),), decision.analysis
        )

    def _with_lead(self, decision: Decision, context: Sequence[str]) -> Decision:
        """`decision` with the line of its long answer that the message asks about, if one (a
        lighter word suffices when that answer was just given, `MIN_FOLLOW_UP_LEAD_WEIGHT`)."""
        entry = decision.entry
        if entry is None or len(decision.answers) > 1 or decision.aspects or not leads(entry):
            return decision
        lines = self._answer_lines.get(entry.id)
        if lines is None:
            lines = self._answer_lines[entry.id] = AnswerLines.of(entry, self.normalizer)
        again = entry.id in context[-1:]
        weight = MIN_FOLLOW_UP_LEAD_WEIGHT if again else MIN_LEAD_WEIGHT
        number = asked_line(lines, decision.analysis.terms, self.vocabulary.idf, weight)
        return decision if number is None else dataclasses.replace(decision, lead=number)

    def _about_it(
        self, decision: Decision, ranking: Ranking, context: Sequence[str]
    ) -> Decision | None:
        """The entry just given, again, for a follow-up that only asks to explain it: « ça
        consiste en quoi concrètement ? » after the mentors' card is about mentoring, not the
        programme (whose phrasings say « en quoi ça consiste »); « ça a changé depuis ? » after
        the financing asks whether it still holds (tryout e41: a choice of the financing and the
        pay). Only after one entry: after a choice, « c'est quoi exactement ? » may mean any of
        them."""
        given = self._given(context)
        asked = ranking.analysis
        if len(given) != 1 or not (asks_about_it(asked) or asks_if_it_changed(asked)):
            return None
        entry = self.entries[next(iter(given))]
        found = next((c for c in ranking.candidates if c.entry.id == entry.id), None)
        chosen = found or Candidate(entry, 0.0, entry.title)
        return Decision(decision.query, "answer", (chosen,), decision.analysis)

    def _on_the_administrations_side(
        self, decision: Decision, context: Sequence[str]
    ) -> Decision | None:
        """The administrations' entry again, in a conversation on their side (it was given, see
        `Decision.context_after`), for a follow-up that the candidates' side answers or that
        gets a choice led by that entry: after « comment proposer un défi », « et le calendrier
        pour déposer c quand ? » and « c'est qui dans le jury ? » ask for the call for projects
        and the défis' jury, which that entry gives, not the candidates' calendar and jury (a
        tryout of administrations: 4 wrong replies of 88, 3 of this kind); « faut envoyer quoi
        comme dossier » after the financing asks for the défi's file, and « what kind of
        projects get turned down? » (tryout e43) the défis refused, not the list. A message
        about the one who asks as a candidate (« je peux candidater ? »), or about applying
        (« nos agents peuvent candidater ? »), is left as it is."""
        given = [self.entries[i] for i in self._given(context)]
        side = next((e for e in given if e.category == ADMINISTRATIONS_CATEGORY), None)
        if side is None or speaks_of_oneself(decision.analysis):
            return None
        payer = self._paying_entry(side) if self._asks_what_it_costs(decision.analysis) else None
        if payer is not None and payer is not decision.entry:
            chosen = Candidate(payer, 0.0, payer.title)
            return Decision(decision.query, "answer", (chosen,), decision.analysis)
        entry = decision.entry if decision.status == "answer" else None
        if decision.status == "suggest" and decision.candidates[0].score >= SIDE_CHOICE_SHARE:
            entry = decision.candidates[0].entry
        listed = entry is self.knowledge.defi_overview and OUR_DEFI.search(decision.analysis.folded)
        if entry is None or (
            entry is not side and entry.category != CANDIDATES_CATEGORY and not listed
        ):
            return None
        applying = APPLYING in decision.analysis.terms
        if entry is not side and applying and not CANDIDATE_DEFIS.search(decision.analysis.folded):
            return None  # « et nos propres agents, ils peuvent candidater ? »

        chosen = decision.candidates[0] if entry is side else Candidate(side, 0.0, side.title)
        return Decision(decision.query, "answer", (chosen,), decision.analysis)

    def _said_as_an_administration(
        self, analysis: Analysis, context: Sequence[str]
    ) -> tuple[str, ...]:
        """The conversation's entries as `_on_the_administrations_side` reads them, for a
        message that is no follow-up but speaks as an administration: with « on » or « nous »
        in a conversation on their side (« on a combien de chances d'être pris en vrai ? » after
        how to propose a défi), or of « notre défi » in any (« quels sont les critères pour que
        notre défi soit sélectionné ? »); none for any other message."""
        folded = analysis.folded
        if OUR_DEFI.search(folded):
            side = [e.id for e in self.entries if e.category == ADMINISTRATIONS_CATEGORY]
            return (*context, *side[:1])
        return tuple(context) if WE.search(folded) else ()

    def _offered_to_an_administration(
        self, decision: Decision, ranking: Ranking
    ) -> Decision | None:
        """The administrations' entry, for a message that speaks as one of its défi (`OUR_DEFI`)
        and gets a choice offering that entry, led by it, by the list of défis or by the
        candidates' side: « vous evaluez les defis sur quels criteres » got a choice led by the
        list of défis (tryout e39), whose evaluation grid is on the administrations' entry. A
        choice led by another entry (the teams, for « côté administration, on a combien d'EIG
        par défi ? ») is left as it is. So is an answer on the candidates' side that the ranking
        offers it after: « sur quels criteres vous selectionnez les defis » got the candidates'
        criteria, « comment sont choisis les defis ? » how candidates choose their défis
        (tryout e49)."""
        if decision.status == "suggest":
            offered = decision.candidates
        elif decision.status == "answer" and decision.candidates[0].entry.category == (
            CANDIDATES_CATEGORY
        ):
            offered = ranking.candidates[:SIDE_RIVALS]
        else:
            return None
        if not OUR_DEFI.search(decision.analysis.folded):
            return None
        first = decision.candidates[0].entry
        overview = self.knowledge.defi_overview
        if first is not overview and first.category not in (
            ADMINISTRATIONS_CATEGORY,
            CANDIDATES_CATEGORY,
        ):
            return None
        side = next((c for c in offered if c.entry.category == ADMINISTRATIONS_CATEGORY), None)
        return Decision(decision.query, "answer", (side,), decision.analysis) if side else None

    @staticmethod
    def _asks_what_it_costs(analysis: Analysis) -> bool:
        """Whether a message on the administrations' side asks what it costs or who pays, not
        what the EIG earn (« et les eig ils sont payés combien ? » is their pay)."""
        asked = MONEY.intersection(analysis.terms)
        return bool(asked) and not (asked == {PAY} and EIG in analysis.terms)

    def _paying_entry(self, side: Entry) -> Entry | None:
        """The one entry related to the administrations' entry that is asked about money (its
        questions hold a term of `MONEY`): the financing, for « et c'est nous qui payons ? »,
        « faut payer combien », « ça coûterait combien à la mairie » after how to propose a
        défi, which got the EIG's pay, a fallback and the same card again (tryouts e11, e14,
        e15)."""
        related = (self._position[i] for i in side.related if i in self._position)
        asked = self.vocabulary.question_terms
        paying = [i for i in related if MONEY.intersection(asked[i])]
        return self.entries[paying[0]] if len(paying) == 1 else None

    def _past_of_the_given(self, decision: Decision, context: Sequence[str]) -> Decision | None:
        """The entry of a promotion just given (its card), for a follow-up told in the past
        whose choice it leads: « et combien ont été pris au final ? » after the 3rd promotion's
        card asks about that promotion, not about every one (tryout e10). A défi's card is
        followed by `DefiRules` (the part of the card asked for)."""
        if decision.status != "suggest" or not told_in_the_past(decision.analysis):
            return None
        first = decision.candidates[0].entry
        if first.promotion is None or first.is_defi or speaks_of_oneself(decision.analysis):
            return None
        if self._position[first.id] not in self._given(context):
            return None
        return Decision(decision.query, "answer", decision.candidates[:1], decision.analysis)

    def _pointing_back(self, decision: Decision, context: Sequence[str]) -> Decision | None:
        """The entry just given, for a follow-up that points back to it by a subject pronoun
        (« il y passe combien de temps ? » after the mentors) and gets a choice led by it. With
        any word pointing back (« ça », « y en a »), golden conversations got 6 more right and 7
        confidently wrong; with « il », « elle », « they », 1 more right and none lost."""
        if not HE_OR_SHE.search(decision.analysis.folded):
            return None
        latest = self._given(context[-1:])
        first = decision.candidates[0]
        if self._position.get(first.entry.id) not in latest:
            return None
        return Decision(decision.query, "answer", (first,), decision.analysis)

    def _offers_given(self, decision: Decision, context: Sequence[str]) -> bool:
        """Whether the decision offers one of the entries just given, or they hold a défi: a
        follow-up that points back (« et ça dure combien ? » after the programme's card) and
        gets a choice without them was not pulled towards them, and may be clear alone; after
        a défi, « combien d'EIG dessus ? » is about that défi whatever the choice offers."""
        given = self._given(context)
        offered = {self._position[i] for i in decision.offered_ids if i in self._position}
        return bool(given & offered) or any(self.entries[i].is_defi for i in given)

    def _as_written(self, decision: Decision, ranking: Ranking) -> Decision:
        """An answer for a message that says what one of the staff's phrasings says, in the
        same terms, when no other entry has a phrasing in those terms and the ranking puts that
        entry first: « c'est quoi le programme eig » is « Qu'est-ce que le programme EIG ? »,
        whatever the decision model makes of a question made of the domain's own words. On the
        golden tables, such messages are the entry asked for 99 times out of 100. A message the
        model finds outside the programme keeps its fallback: « il fait beau à Paris ? » has the
        terms of « c'est à Paris ? » and asks for the weather."""
        if decision.status == "answer" or decision.outside or not ranking.candidates:
            return decision
        position = self.vocabulary.written.get(terms_key(ranking.analysis.terms))
        first = ranking.candidates[0]
        if position is None or first.entry.id != self.entries[position].id:
            return decision
        return Decision(decision.query, "answer", (first,), decision.analysis)

    def _clear_alone(
        self,
        decision: Decision,
        ranking: Ranking,
        decider: tuple[DecisionModel, Thresholds],
        given: set[int],
        vector: Vectors,
    ) -> Decision:
        """The answer the message gets on its own, when it reads like a follow-up but the
        conversation does not change what it asks: it points back to nothing (no « ils »,
        « dessus », « celui »), after a défi's card it asks for no part of a card (« la team ? »,
        « ils ont fait quoi ? » are that défi's), and read after that answer, its first entry is
        the one it gets on its own, not the entry just given. « c paye combien » after « c'est
        quoi EIG » asks for the pay either way; the previous answer only made the model less
        sure. « pour postuler je fais comment » after ADLER's card asks how to apply: when any
        message after a défi was kept as read after it, a candidate tryout got choices offering
        ADLER for the pay and how to apply; the golden conversations decide as before. A choice
        led by another entry than the one just given, that offers the message's own answer, is
        that answer too when the message alone is sure of it (`SURE_ON_ITS_OWN`): « il va etre
        payé ou c'est du bénévolat ? » after who runs the programme got a choice of the
        financing, the steering and the pay (tryout e23; golden tables as before, 25 tryouts'
        replays: that reply changed alone). So is a choice led by the entry just given when the
        message alone gets it too: « et si je me mets en dispo ? » after the civil servants'
        entry, which says whom to ask (tryouts e4, e46; golden: that question, now right)."""
        first = ranking.candidates[0].entry if ranking.candidates else None
        if first is None:
            return decision
        # The entry just given first in a choice: the conversation made the model hesitate,
        # and the message's own answer may still stand if it was on offer (« comment on
        # postule » after « date limite ? », « and where would i work » after the programme's
        # card; with « et » too since a tryout round: on 36 tryouts' messages, 13 choices
        # became the right answer and 1 a wrong one, golden top-1 +0.1).
        hesitant = decision.status == "suggest"
        if self._position.get(first.id) in given and not hesitant:
            return decision
        if any(self.entries[i].is_defi for i in given) and (
            asks_for_a_part(ranking.analysis) or asks_what_was_done(ranking.analysis)
        ):
            return decision  # after a défi's card, « la team », « ils ont fait quoi » are its own
        if hesitant and self._asked_again(decision, given):
            return Decision(decision.query, "answer", decision.candidates[:1], decision.analysis)
        model, limits = decider
        alone_ranking = self._ranked_alone(ranking.analysis, vector, model, len(ranking.candidates))
        alone = self._as_written(
            decide_from(decision.query, alone_ranking, model, limits), alone_ranking
        )
        if alone.status != "answer" or alone.entry is None:
            return decision
        offered = {c.entry.id for c in decision.candidates}
        mine = alone.entry.id in offered and self._position.get(alone.entry.id) not in given
        if self._position.get(first.id) not in given:
            sure = alone.candidates[0].score >= SURE_ON_ITS_OWN
            return alone if alone.entry.id == first.id or (hesitant and mine and sure) else decision
        again = hesitant and alone.entry.id == first.id
        return alone if mine or again else decision

    def _asked_again(self, decision: Decision, given: set[int]) -> bool:
        """Whether the message asks the question just answered of something else (« pareil
        pour les data engineers ? » after the profiles sought, « pareil pour les designers ? »
        after the pay) and the choice it got puts the entry just given first (read alone, the
        second goes to the profiles: tryout e52)."""
        if not decision.candidates or not asks_the_same(decision.analysis):
            return False
        first = decision.candidates[0].entry
        return self._position.get(first.id) in given

    def _ranked_alone(
        self, analysis: Analysis, vector: Vectors, model: DecisionModel, depth: int
    ) -> Ranking:
        """The message ranked on its own, as if it opened the conversation: `vector` is its
        meaning read alone, encoded again without the link word it opens with (read alone,
        « et ça dure combien ? » has no « et »)."""
        if dependence(analysis).link:
            vector = self.semantic.encoder.encode_message(self.readings(analysis))
        return rank_gathered(self.gather(analysis, vectors=vector), model.rank, depth)

    def _offered_from_question(
        self, decision: Decision, decider: tuple[DecisionModel, Thresholds]
    ) -> Decision | None:
        """For a story that falls back or gets a choice, the entry its question sentence gets
        alone, offered first, with the whole message's closest entries: « combien on gagne ?
        moi je suis à 2400 net comme magasinier » is about the pay, and « … je cherche un truc
        qui a plus de sens. C'est quoi exactement EIG ? » about the programme, whatever the
        story makes of the whole. Offered, not given: the story may change the question (a
        civil servant asking « est-ce que je peux candidater ? »). On the golden tables (shipped
        model), 5 stories that fell back are then offered, 4 with the right entry; no off-topic
        question is. Offering it first in a choice too leaves the cross-validated figures as
        they were (right entry first 92.0 %, top-1 77.6 %): 2 stories get their entry first, 2
        lose it to the question sentence's (a ministry asking what its défi's file holds).

        Given, not offered, when the whole message's choice puts that entry first as well: the
        story does not change the question (« Bonjour, je suis data analyst […]. Combien de
        temps dure le contrat ? »); cross-validated, top-1 78.0 → 78.4 %, story 72.8 → 76.0 %.
        So when the whole message fell back with that entry first (« je suis data scientist
        dans une startup et je me renseigne : combien on est payé en tant qu'eig ? », tryout
        e17): on the golden tables (shipped model) 12 stories answered right and 2 wrong
        (top-1 86.8 → 87.1 %, confidently wrong 1.21 → 1.24 %); cross-validated, top-1 85.1 →
        85.3 %."""
        question, least = question_sentence(decision.query), 1
        if question is None or question.split() == decision.query.split():
            # The message is its own question sentence: only a clause of it can be read alone.
            question, least = self._asking_clause(decision), CLAUSE_KNOWN_WORDS
            if question is not None and self.defi_rules.named(self.normalizer.analyze(question)):
                least = 1  # « je suis freelance data, c quoi DataJust ? » (tryout e53)
        if question is None or decision.status not in ("fallback", "suggest"):
            return None
        if not self._names_something(question, least):
            # « Comment on fait ? » after a story about taxes asks about the taxes; « C'était sur
            # quoi ? » after a story naming the ARCEP asks what its défi was (tryout e42).
            return self._told_of_its_defi(decision) if least == 1 else None
        model, limits = decider
        alone = self.decide(question, thresholds=limits, model=model)
        if alone.status != "answer" or not alone.candidates:
            return None
        first = alone.candidates[0]
        agree = bool(decision.candidates) and decision.candidates[0].entry.id == first.entry.id
        if agree and not self._narrowed(decision, question, decider):
            # The story around the question puts its answer first too: it does not change it.
            return Decision(decision.query, "answer", decision.candidates[:1], decision.analysis)
        if self.defi_rules.named(alone.analysis) is first.entry:
            # « […] j'ai vu qu'il y a un défi qui s'appelle EIG Link, ça consiste en quoi ? »:
            # a story does not change which défi its question names.
            return Decision(decision.query, "answer", (first,), decision.analysis)
        if self._standing_question(decision.query, in_clauses=True) == question:
            # « I'm a data engineer from Montreal […]. how long is the mission? » (tryout e38):
            # a question that stands on its own. Offered or not by the whole message: « salut,
            # je suis dev freelance installé à Lisbonne […] ça se passe où les missions ? » got
            # a choice without the place of work (tryout e38); golden tables, 2 stories more
            # answered right, none lost.
            return Decision(decision.query, "answer", (first,), decision.analysis)
        others = [c for c in decision.candidates if c.entry.id != first.entry.id]
        kept = max(1, len(decision.candidates) - 1) if decision.status == "suggest" else 1
        return dataclasses.replace(
            decision,
            status="suggest",
            candidates=(first, *others[:kept]),
            near_miss=None,
            outside=False,
        )

    def _asked_apart_from_story(
        self, decision: Decision, ranking: Ranking, decider: tuple[DecisionModel, Thresholds]
    ) -> Decision | None:
        """For a story answered by its story, the entry its question sentence asks for, when
        that sentence stands on its own and the whole message ranks that entry among its first
        ones too: « Je suis au chômage depuis 8 mois […]. c combien le salaire en eig ? » asks
        for the pay, not unemployment rights; « Je suis freelance dev depuis 6 ans […]. c'est
        quoi exactement ce programme eig ? » for the programme, not the profiles sought (tryout
        e38; `_standing_question`). Entries linked to each other (`related`) are one subject
        that the story narrows (a civil servant asking about eligibility gets the civil
        servants' entry)."""
        question = self._standing_question(decision.query)
        given = decision.entry
        if question is None or given is None:
            return None
        model, limits = decider
        alone = self.decide(question, thresholds=limits, model=model)
        first = alone.candidates[0] if alone.status == "answer" and alone.candidates else None
        if first is None or first.entry is given:
            return None
        if first.entry.id in given.related or given.id in first.entry.related:
            return None
        ranked = [c.entry for c in ranking.candidates[:STORY_RIVALS]]
        if first.entry not in ranked:
            return None
        return Decision(decision.query, "answer", (first,), decision.analysis)

    def _standing_question(self, query: str, in_clauses: bool = False) -> str | None:
        """The question sentence that ends a story (not another question), when it stands on
        its own: it speaks of no one of the story (« il peut candidater ? », « je peux ? »),
        compares with nothing (« c'est pareil que les EIG ? »), does not ask the bot to help
        with what the story is after (« vous savez où postuler ? »), is not the story's « on » (an
        administration's « on doit fournir quelles pièces ? ») and names at least
        `STANDING_WORDS` terms (« Vous avez des chiffres ? » asks about the story) or only names
        the domain (`_names_the_domain`); None otherwise."""
        question = question_sentence(query) or (asking_clause(query) if in_clauses else None)
        if question is None or question.split() == query.split():
            return None
        if not query.rstrip().endswith(question.rstrip()):
            return None  # a question then a story: the story says what the question means
        before = query[: query.rfind(question)]
        if "?" in before:
            return None  # two questions, not a story and its question
        asked, story = fold(question), fold(before)
        if STORY_PERSON.search(question) or COMPARES.search(asked) or ASKS_THE_BOT.search(asked):
            return None
        if WE.search(asked) and WE.search(story):
            return None
        words = self.normalizer.analyze(question).words
        if len(words) < STANDING_WORDS and not self._names_the_domain(words, before):
            return None
        return question

    def _names_the_domain(self, words: Sequence[str], story: str) -> bool:
        """Whether `words` are only names of the domain itself, which `story` does not speak
        of: « c quoi ce truc EIG exactement ? » after a story asks what EIG is, but « C'est quoi
        ce défi ? » after « j'ai vu le nom Karfu'R dans la liste des défis » asks about Karfu'R."""
        anchors = self.vocabulary.anchors
        told = set(map(stem, self.normalizer.analyze(story).words))
        terms = set(map(stem, words))
        return bool(terms) and not terms & told and all(anchors.get(t, 0.0) >= 1.0 for t in terms)

    def _asked_for_a_purpose(
        self, decision: Decision, decider: tuple[DecisionModel, Thresholds]
    ) -> Decision | None:
        """The answer to what a message asks before saying why it asks: « qui contacter pour
        poser une question sur le salaire ? » asks whom to write to, and « how do i get in touch
        with them to ask about the nationality thing » fell back with the contact first (tryout
        e37): the purpose's topic made the model unsure. Answered when the words before the
        purpose get, alone, the entry the whole message puts first."""
        found = ASKED_FOR.search(decision.query)
        if found is None or not decision.candidates or decision.outside:
            return None
        head = decision.query[: found.start()].strip()
        if not head or not self._names_something(head):
            return None
        model, limits = decider
        alone = self.decide(head, thresholds=limits, model=model)
        first = decision.candidates[0]
        if alone.status != "answer" or alone.entry is not first.entry:
            return None
        return Decision(decision.query, "answer", (first,), decision.analysis)

    def _told_of_its_defi(self, decision: Decision) -> Decision | None:
        """The one défi a story names (by its name, people or administration), answered when
        the story's choice leads with it and its question names nothing else."""
        named = self.defi_rules.named(decision.analysis)
        first = decision.candidates[0] if decision.candidates else None
        if named is None or first is None or first.entry is not named:
            return None
        return Decision(decision.query, "answer", (first,), decision.analysis)

    @staticmethod
    def _asking_clause(decision: Decision) -> str | None:
        """The question clause of a one-sentence story (`asking_clause`), for a choice, or for
        a fallback when the clause does not stand for something of the story by a pronoun
        (`refers_back`). « je suis developpeuse depuis 5 ans, sur quels criteres vous
        selectionnez ? » fell back; on the golden tables (shipped model), 6 such stories that
        fell back get a choice, 5 with their entry first, and no off-topic question is
        offered more than before but one (a career change asking about unemployment)."""
        clause = asking_clause(decision.query)
        if clause is not None and decision.status == "fallback" and refers_back(clause):
            return None
        return clause

    def _promotion_named(self, decision: Decision) -> Decision:
        """The entry bound to the one promotion the message names, answered when it leads a
        choice whose other entry is only the same question for every promotion
        (`_for_every_promotion`): « how many ppl got selected in the 2019 promo » is the 3rd
        promotion's figures, which the promotions' card gives again among the others; so is
        « how many people got selected in 2019 » (a year alone, with that choice, is the
        promotion's). Not « et avant la promo 3 ? », which names it to ask for another."""
        if decision.status != "suggest":
            return decision
        first, *others = decision.candidates
        folded = decision.analysis.folded
        if first.entry.promotion is None or RELATIVE_TO_ONE.search(folded):
            return decision
        if (promotions_named(folded) or promotions_of_years(folded)) != {first.entry.promotion}:
            return decision
        every = self._for_every_promotion(first.entry)
        if every is not None and all(c.entry.id == every.id for c in others):
            return Decision(decision.query, "answer", (first,), decision.analysis)
        return decision

    def _asked_of_a_promotion(
        self, decision: Decision, decider: tuple[DecisionModel, Thresholds]
    ) -> Decision | None:
        """For a one-sentence message that names one promotion and gets a choice, the entry its
        words without the promotion get alone, when it is on offer and bound to no promotion:
        « salaire eig promo 3 » is the pay (which gives each promotion's), not the 3rd
        promotion's figures, which « promo 3 » draws. Not the entry that gives every promotion's
        figures (`_every_promotion_entries`): « promo 3 combien de candidats » is the 3rd
        promotion's card. On the golden tables (shipped model): 4 choices answered right, none
        wrong; a story keeps its choice (a ministry asking what the financing leaves it). The
        entry must speak of that promotion in its answer: « ça démarre quand la promo 3 » is
        not the programme's creation, which « ça démarre quand » alone gets (tryout e12)."""
        if decision.status != "suggest" or len(sentences(decision.query)) > 1:
            return None
        folded = decision.analysis.folded
        named = promotions_named(folded)
        if len(named) != 1:
            return None
        rest = without_promotions(folded)
        if not rest or rest == folded:
            return None
        model, limits = decider
        alone = self.decide(rest, thresholds=limits, model=model)
        if alone.status != "answer" or alone.entry is None or alone.entry.promotion is not None:
            return None
        if alone.entry in self._every_promotion_entries:
            return None
        if not named <= self._answer_promotions[self._position[alone.entry.id]]:
            return None
        offered = next((c for c in decision.candidates if c.entry.id == alone.entry.id), None)
        if offered is None:
            return None
        return Decision(decision.query, "answer", (offered,), decision.analysis)

    def _defis_of_another_promotion(self, decision: Decision) -> Decision | None:
        """The other promotions' défis (where the list of défis sends every other promotion),
        for a message that names promotions other than the list's and asks for défis or what
        was done (« promo 2 projects list pls », « what did the first promotion work on », « et
        la promo 1 ils avaient fait quoi ? »): when a choice offers that entry, or when the
        message got the figures of every promotion (tryouts e46, e48). Whatever it got, for a
        message that asks for other défis before or after a promotion: « la cour de cassation a
        eu d'autres defis apres 2019 ? » got Open Justice, of 2019 (tryout e56)."""
        overview = self.knowledge.defi_overview
        other = self._for_every_promotion(overview) if overview is not None else None
        if other is None or overview is None or decision.status not in ("suggest", "answer"):
            return None
        chosen = next((c for c in decision.candidates if c.entry is other), None)
        analysis = decision.analysis
        if not (
            RELATIVE_TO_ONE.search(analysis.folded)
            and speaks_of_another(analysis)
            and DEFI_WORDS.intersection(analysis.terms)
        ):
            if not self._names_other_promotions_defis(analysis, overview):
                return None
            if self.defi_rules.named(analysis) is not None:
                return None  # « ancienne EIG de la promo 2 […] c'est quoi EIG Link ? »
            if decision.status == "answer" and not (
                decision.entry is overview or decision.entry in self._every_promotion_entries
            ):
                return None
            if chosen is None and decision.status == "suggest":
                return None
        return Decision(
            decision.query,
            "answer",
            (chosen or Candidate(other, 0.0, other.title),),
            decision.analysis,
        )

    def _names_other_promotions_defis(self, analysis: Analysis, overview: Entry) -> bool:
        """Whether a message names promotions other than the list of défis' and asks for their
        défis or what they did, not how many (`_defis_of_another_promotion`)."""
        folded = analysis.folded
        named = promotions_named(folded) | promotion_by_rank(folded)
        if overview.promotion in named or not (named or names_others_relatively(folded)):
            return False  # « dans les promos d'avant, c'était quoi comme sujets ? » names others
        rest = self.normalizer.analyze(without_promotions(folded, relative=True))
        terms = set(rest.terms)
        worked = bool(terms) and terms <= WORKING | {WORK}
        done = worked or (not terms and WHAT_WAS_DONE.search(rest.folded))
        if not (terms & DEFI_WORDS or done):
            return False  # « when did the fourth cohort start? »
        return not (HOW_MANY in terms or COUNTED.search(folded))  # « promo 4 combien de défis »

    def _narrowed(
        self, decision: Decision, question: str, decider: tuple[DecisionModel, Thresholds]
    ) -> bool:
        """Whether what follows the question points to another entry on offer: « vous avez un
        exemple de projet concret ? genre celui qui repère la fraude » asks for that défi, not
        for the list; « what is EIG? saw it on linkedin » asks what it asks."""
        rest = decision.query[decision.query.rfind(question) + len(question) :].strip()
        if not rest:
            return False
        model, limits = decider
        after = self.decide(rest, thresholds=limits, model=model)
        offered = {c.entry.id for c in decision.candidates[1:]}
        return (
            after.status != "fallback"
            and bool(after.candidates)
            and (after.candidates[0].entry.id in offered)
        )

    def _names_something(self, sentence: str, least: int = 1) -> bool:
        """Whether `sentence` holds at least `least` words the base knows besides question
        words: « combien on gagne ? » does, « Comment on fait ? » asks about what came before
        it."""
        terms = self._query_terms(self.normalizer.analyze(sentence))
        return sum(t.known and not t.term.startswith("?") for t in terms) >= least

    def _names_its_defi(self, decision: Decision) -> bool:
        """Whether the message names the one défi that `decision` gives first."""
        named = self.defi_rules.named(decision.analysis)
        first = decision.candidates[0].entry if decision.candidates else None
        return named is not None and first is not None and first.id == named.id

    def _two_questions(
        self,
        query: str,
        analysis: Analysis,
        decided: tuple[Decision, float],
        decider: tuple[DecisionModel, Thresholds],
        texts: Sequence[str],
        vectors: Vectors,
    ) -> Decision | None:
        """Both answers (or both offered) when the message asks two different things.

        `decided`: the whole message's decision and its probability of being about EIG; `texts`:
        the two halves of each way to cut the message (`bot.engine.multi.halves`), in order;
        `vectors`, their embeddings."""
        model, limits = decider
        whole, whole_on_topic = decided
        read = [self.normalizer.analyze(text) for text in texts]
        rankings = [
            rank_gathered(self.gather(half, vectors=vectors[k : k + 1]), model.rank, 2)
            for k, half in enumerate(read)
        ]
        for number in range(len(texts) // 2):
            if any(asks_about_it(half) for half in read[2 * number : 2 * number + 2]):
                continue  # « is it financed by the PIA? what's that exactly »: one question
            parts = [
                decide_from(texts[2 * number + k], rankings[2 * number + k], model, limits)
                for k in (0, 1)
            ]
            if any(not p.candidates or p.status == "fallback" for p in parts):
                continue
            first, second = (p.candidates[0] for p in parts)
            if first.entry.id == second.entry.id:
                continue
            if whole.status == "suggest" and all(p.status == "suggest" for p in parts):
                continue  # neither half is sure: the whole's own choice says more
            # Halves of an off-topic message may each look on topic alone: offered, not given,
            # unless each half names the défi it gets (« cartobio et karfur c'est quoi »).
            if all(p.status == "answer" for p in parts) and (
                whole.status != "fallback"
                or whole_on_topic >= NEAR_MISS_ON_TOPIC
                or all(self._names_its_defi(p) for p in parts)
            ):
                return Decision(query, "answer", (first, second), analysis)
            if whole.status != "answer":
                # The whole message's own first entry stays on offer: a story cut in two may
                # be one question (« what happens after the programme? Do people get hired? »).
                offered = [first, second]
                if whole.candidates and whole.candidates[0].entry.id not in {
                    first.entry.id,
                    second.entry.id,
                }:
                    offered.insert(0, whole.candidates[0])
                return Decision(
                    query, "suggest", tuple(offered[: max(2, limits.max_suggestions)]), analysis
                )
        return None
