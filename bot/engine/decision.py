"""From a ranking to a decision: named features, the fitted models, the thresholds.

The model's weights and thresholds are data (`model.json`, written by `python -m bot calibrate`),
not code: each weight is stored under its feature's name, and a missing or unknown name is an
error when the model is loaded, so that features can never be paired with the wrong weight.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from bot.engine.defis import speaks_of_every_eig
from bot.engine.followup import speaks_of_them
from bot.engine.forest import Forest
from bot.engine.language import Language
from bot.engine.normalize import Analysis
from bot.engine.ranking import CandidateFeatures, RankModel, RankModelError, softmax
from bot.engine.smalltalk import SmallTalk
from bot.knowledge import ADMINISTRATIONS_CATEGORY, CANDIDATES_CATEGORY, Entry, KnowledgeBase

Status = Literal["answer", "suggest", "fallback", "smalltalk"]

MODEL_FILE = Path(__file__).with_name("model.json")
"""The fitted model shipped with the package."""

MAX_LOGIT = 30.0
"""Logits are clipped here: exp() of more overflows, and the probability is 0 or 1 anyway."""


@dataclass(frozen=True, slots=True)
class Features:
    """What the decision model reads about a ranking's best entry (all zero: no candidate)."""

    probability: float = 0.0
    """The ranking model's probability that the best entry is the one."""
    margin: float = 0.0
    """How far ahead of the second entry that probability is."""
    certainty: float = 0.0
    """log(first / second probability), capped: 0.99 against 0.01 is much surer than 0.9
    against 0.1, which a difference of probabilities hardly shows."""
    lexical: float = 0.0
    """The best entry's word-overlap score."""
    semantic: float = 0.0
    """The best entry's closest phrasing in meaning (cosine)."""
    semantic_best: float = 0.0
    """The closest phrasing in meaning of any entry: how near the base the question is."""
    answer: float = 0.0
    """The best entry's closest answer sentence in meaning."""
    coverage: float = 0.0
    """Share of the query's weight that the best entry's vocabulary explains."""
    known: float = 0.0
    """Share of the query's weight made of words the base knows."""
    length: float = 0.0
    """log(1 + number of content words): long messages carry context, not only the question."""
    matched: float = 0.0
    """Query terms found in the best entry's questions, saturating (see `MATCHED_SATURATION`)."""
    precision: float = 0.0
    """Share of the best entry's best phrasing found in the query."""
    agree: float = 0.0
    """1.0 when words and meaning put the same entry first."""
    anchor: float = 0.0
    """How much the query names the domain itself ("EIG"), from 0 to 1."""
    follow: float = 0.0
    """1.0 when the message reads as a follow-up and the best entry continues the previous one."""
    defi_uncued: float = 0.0
    """1.0 when the best entry is a défi the query neither names nor asks about as a project or
    as part of the programme: "comment contester une amende radar" is not about IA Flash."""
    named: float = 0.0
    """1.0 when the query contains a word of the best entry's name (a défi asked for by name)."""
    english: float = 0.0
    """1.0 when the message reads as English: words the base does not know are then expected,
    and meaning alone can be trusted more than in a French message full of unknown words."""
    votes: float = 0.0
    """Share of the query's nearest phrasings in meaning that belong to the best entry."""
    semantic_other: float = 0.0
    """The closest phrasing in meaning of any other candidate: a rival close in meaning."""
    semantic_lead: float = 0.0
    """`semantic` minus `semantic_other`: below zero, another entry is closer in meaning."""
    decline: float = 0.0
    """The query's best cosine with a question the bot must decline (`hors-sujet.yaml`)."""
    decline_gap: float = 0.0
    """How much closer the query is to the base's phrasings than to the questions to decline."""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def as_dict(self) -> dict[str, float]:
        # Not dataclasses.asdict: it deep-copies every value, a third of a query's time.
        return {name: float(getattr(self, name)) for name in self.__dataclass_fields__}


FEATURE_NAMES = Features.names()


class ModelError(ValueError):
    """The model file does not fit the features the engine computes."""


@dataclass(frozen=True, slots=True)
class Logistic:
    """One logistic regression over `Features`, weights by feature name, on raw values."""

    bias: float
    weights: Mapping[str, float]

    def __post_init__(self) -> None:
        missing = set(FEATURE_NAMES) - set(self.weights)
        unknown = set(self.weights) - set(FEATURE_NAMES)
        if missing or unknown:
            raise ModelError(
                f"model weights do not match the features: missing {sorted(missing)}, "
                f"unknown {sorted(unknown)}"
            )

    def probability(self, features: Features) -> float:
        values = features.as_dict()
        z = self.bias + sum(w * values[name] for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-MAX_LOGIT, min(MAX_LOGIT, z))))


@dataclass(frozen=True, slots=True)
class Trees:
    """Boosted decision trees over `Features`: the probability is the logistic of the leaves' sum.

    Each tree is stored as nested splits on named features (`{"split": name, "at": threshold,
    "low": …, "high": …}`, a value `<= at` goes low) down to leaves (`{"leaf": value}`), so the
    model file says which feature each split reads; an unknown name is a load error. Trees see
    what a weighted sum cannot: a high similarity means little when the message is long, a
    follow-up word counts only with a previous answer. `bot.tuning` fits them with LightGBM.
    """

    trees: tuple[Mapping[str, Any], ...]
    _forest: Forest = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            forest = Forest(self.trees, FEATURE_NAMES)
        except (KeyError, TypeError, ValueError) as exc:  # UnknownValue is a ValueError
            raise ModelError(f"malformed trees: {exc}") from None
        object.__setattr__(self, "_forest", forest)

    def probability(self, features: Features) -> float:
        z = self._forest.total([float(getattr(features, name)) for name in FEATURE_NAMES])
        return 1.0 / (1.0 + math.exp(-max(-MAX_LOGIT, min(MAX_LOGIT, z))))


Probability = Logistic | Trees
"""A fitted model of one probability over `Features`."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision thresholds on the model's probabilities (fitted with the model).

    Method (`bot.tuning.calibration`): every pair on a grid is run on the golden tables and the
    kept one maximises top-1 + resolved while confidently wrong answers stay under their budget
    and off-topic questions declined above their floor (`bot.tuning.evaluation`). A wrong answer
    given with confidence is the one outcome a candidate cannot recover from, whereas a
    suggestion or a fallback still shows the way.
    """

    answer: float = 0.84
    """Probability that the best entry is right, at or above which the bot answers directly."""
    suggest: float = 0.8
    """Probability that the question is about EIG, at or above which the bot suggests entries."""
    min_suggestion: float = 0.05
    """A suggestion needs at least this probability (below, it is noise, not a choice)."""
    max_suggestions: int = 3
    """More buttons than this is a list to read, not a choice."""

    @property
    def answers_at_all(self) -> bool:
        """False when no probability can reach `answer` (above 1: the bot only offers); the
        engine's own rules then give no direct answer either."""
        return self.answer <= 1.0


@dataclass(frozen=True, slots=True)
class DecisionModel:
    """The two fitted probabilities and the thresholds applied to them."""

    rank: RankModel
    """Weights of the candidates' features: which entry comes first."""
    answer: Probability
    """Probability that the best entry is the right answer."""
    on_topic: Probability
    """Probability that the question is about EIG at all."""
    thresholds: Thresholds = field(default_factory=Thresholds)
    fitted_on: tuple[str, ...] = ()
    """The golden tables the model was fitted on (for the record)."""

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "rank": {"weights": dict(self.rank.weights)},
            "features": list(FEATURE_NAMES),
            "answer": _probability_json(self.answer),
            "on_topic": _probability_json(self.on_topic),
            "thresholds": {"answer": self.thresholds.answer, "suggest": self.thresholds.suggest},
            "fitted_on": list(self.fitted_on),
        }
        return _one_tree_per_line(data)

    @classmethod
    def from_json(cls, text: str) -> DecisionModel:
        try:
            data = json.loads(text)
            thresholds = Thresholds(
                answer=float(data["thresholds"]["answer"]),
                suggest=float(data["thresholds"]["suggest"]),
            )
            return cls(
                rank=RankModel(_weights(data["rank"])),
                answer=_probability(data["answer"]),
                on_topic=_probability(data["on_topic"]),
                thresholds=thresholds,
                fitted_on=tuple(str(name) for name in data.get("fitted_on", ())),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ModelError | RankModelError):
                raise
            raise ModelError(f"malformed decision model: {exc!r}") from None

    def save(self, path: Path = MODEL_FILE) -> None:
        path.write_text(self.to_json(), encoding="utf-8")


def _one_tree_per_line(data: dict[str, Any]) -> str:
    """The model as indented JSON, each tree on one line (a refit changes lines, not pages)."""
    trees: list[str] = []

    def placeholders(part: Any) -> Any:
        if isinstance(part, dict) and "trees" in part:
            marks = []
            for tree in part["trees"]:
                marks.append(f"@tree{len(trees)}@")
                trees.append(json.dumps(tree, ensure_ascii=False, separators=(",", ":")))
            return {**part, "trees": marks}
        return part

    text = json.dumps({k: placeholders(v) for k, v in data.items()}, indent=2, ensure_ascii=False)
    for number, tree in enumerate(trees):
        text = text.replace(f'"@tree{number}@"', tree, 1)
    return text + "\n"


def _weights(data: Mapping[str, Any]) -> dict[str, float]:
    return {str(name): float(value) for name, value in dict(data["weights"]).items()}


def _probability(data: Mapping[str, Any]) -> Probability:
    if "trees" in data:
        return Trees(tuple(data["trees"]))
    return Logistic(float(data["bias"]), _weights(data))


def _probability_json(model: Probability) -> dict[str, Any]:
    if isinstance(model, Trees):
        return {"trees": list(model.trees)}
    return {"bias": model.bias, "weights": dict(model.weights)}


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> DecisionModel:
    """The model stored at `path` (the shipped one by default); ModelError if it does not fit."""
    return DecisionModel.from_json(path.read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class Candidate:
    """One entry and how well it matches the query."""

    entry: Entry
    score: float
    """The ranking model's probability that this is the entry (0 to 1)."""
    phrasing: str
    """The phrasing of the entry that matched best by words (its title otherwise)."""
    features: CandidateFeatures = field(default_factory=CandidateFeatures)
    matched: int = 0
    """How many of the query's terms appear in the entry's questions."""


MAX_CERTAINTY = 8.0
"""Beyond e⁸ to one, the odds between the first two entries say nothing more."""
ODDS_FLOOR = 1e-4
"""Added to both probabilities so that a lone candidate's odds stay finite."""

MATCHED_SATURATION = 5
"""Beyond this many shared terms, one more says nothing new about the match."""


@dataclass(frozen=True, slots=True)
class Ranking:
    """The entries that match a query, best first, and what the query itself looks like."""

    analysis: Analysis
    candidates: tuple[Candidate, ...]
    known: float
    """Share of the query's weight made of words the base knows."""
    agree: float = 0.0
    """1.0 when the word-overlap score and the meaning put the same entry first."""
    anchor: float = 0.0
    """How much the query names the domain itself (a term found in nearly every entry: "EIG")."""
    semantic_best: float = 0.0
    """The best cosine between the query and any phrasing of the base."""
    follow: float = 0.0
    """1.0 when the message reads as a follow-up of an entry among the first candidates."""
    cued: float = 0.0
    """1.0 when the query speaks of the programme or of a project ("EIG", "défi", "projet")."""
    decline: float = 0.0
    """The query's best cosine with a question the bot must decline."""
    semantic_other: float = 0.0
    """The best cosine of a phrasing of any candidate but the first (all candidates, not only
    those kept)."""

    def features(self) -> Features:
        """The decision features of the best entry (all zero when nothing matched)."""
        if not self.candidates:
            return Features(
                known=self.known,
                semantic_best=self.semantic_best,
                decline=self.decline,
                decline_gap=self.semantic_best - self.decline,
            )
        best = self.candidates[0]
        second = self.candidates[1].score if len(self.candidates) > 1 else 0.0
        f = best.features
        return Features(
            probability=best.score,
            margin=best.score - second,
            certainty=min(
                MAX_CERTAINTY, math.log((best.score + ODDS_FLOOR) / (second + ODDS_FLOOR))
            ),
            lexical=f.lexical,
            semantic=f.semantic,
            semantic_best=self.semantic_best,
            answer=f.answer,
            coverage=f.coverage,
            known=self.known,
            length=math.log1p(len(self.analysis.words)),
            matched=min(best.matched, MATCHED_SATURATION) / MATCHED_SATURATION,
            precision=f.precision,
            agree=self.agree,
            anchor=self.anchor,
            follow=self.follow,
            defi_uncued=float(best.entry.is_defi and not (self.cued or f.named or self.follow)),
            named=f.named,
            english=float(self.analysis.language == "en"),
            votes=f.votes,
            semantic_other=self.semantic_other,
            semantic_lead=f.semantic - self.semantic_other,
            decline=self.decline,
            decline_gap=self.semantic_best - self.decline,
        )


@dataclass(frozen=True, slots=True)
class Gathered:
    """A query's candidates with their features, before the ranking model orders them."""

    analysis: Analysis
    candidates: tuple[Candidate, ...]
    known: float
    agree: float
    anchor: float
    semantic_best: float
    cued: float = 0.0
    """1.0 when the query speaks of the programme or of a project ("EIG", "défi", "projet")."""
    decline: float = 0.0


def _continues(features: CandidateFeatures) -> bool:
    """Whether a candidate continues the previous answer in a message that reads as a follow-up."""
    return bool(
        features.context_link
        or features.context_pointer
        or features.context_short
        or features.kin_short
    )


def rank_gathered(gathered: Gathered, rank: RankModel, limit: int) -> Ranking:
    """Order the candidates by the ranking model; keep the best `limit`."""
    probabilities = softmax([rank.score(c.features) for c in gathered.candidates])
    ranked = sorted(
        (
            # Not dataclasses.replace: it reads the class's fields anew for every candidate.
            Candidate(c.entry, round(p, 4), c.phrasing, c.features, c.matched)
            for c, p in zip(gathered.candidates, probabilities, strict=True)
        ),
        key=lambda c: c.score,
        reverse=True,
    )
    return Ranking(
        gathered.analysis,
        tuple(ranked[:limit]),
        gathered.known,
        gathered.agree,
        gathered.anchor,
        semantic_best=gathered.semantic_best,
        follow=float(bool(ranked) and _continues(ranked[0].features)),
        cued=gathered.cued,
        decline=gathered.decline,
        semantic_other=max((c.features.semantic for c in ranked[1:]), default=0.0),
    )


MAX_CONTEXT = 3
"""Entries a conversation refers to at most: the two answers to a message that asked two things,
and one entry offered after them. Older topics are dropped, so that choices in a row do not pile
up what a follow-up may be about."""


@dataclass(frozen=True, slots=True)
class Decision:
    """What the bot should do with a message."""

    query: str
    status: Status
    candidates: tuple[Candidate, ...]
    """The best entries, best first: the answer (two for a message that asks two things), or
    the suggestions, or the near misses of a fallback."""
    analysis: Analysis
    small_talk: SmallTalk | None = None
    """What kind of small talk the message is, when the status is `smalltalk`."""
    language: Language = "fr"
    """The language the message is written in (the bot answers in French either way)."""
    near_miss: Entry | None = None
    """For a fallback, the one entry still worth a button: the ranking is sure which entry the
    message is closest to, and the message may well be about EIG (see `NEAR_MISS_RANK`)."""
    aspects: tuple[str, ...] = ()
    """The parts of the défi answered that the message asks for and nothing else (its mentors,
    its team…: `bot.engine.defis.ASPECTS`); the reply gives those parts first."""
    lead: int | None = None
    """For an answer, the line of it the message asks about, to give first (its number in
    `markup.numbered_lines`; see `bot.engine.passage`)."""
    again: bool = False
    """For an answer, its entry is the one just given in the conversation: the reply need not
    give all of it again (with a `lead`, that line is the reply, the whole answer one button
    away)."""
    outside: bool = False
    """For a fallback, the question is very unlikely to be about EIG at all (see
    `OUTSIDE_ON_TOPIC`): the reply says so rather than « no sure answer »."""
    unmatched_theme: bool = False
    """The answer is the list of défis to a question that names a theme ("un défi sur
    l'environnement ?"): no défi of the promotion is on it (see `bot.engine.defis`)."""

    @property
    def entry(self) -> Entry | None:
        """The (first) entry to answer with, when the status is `answer`."""
        return self.candidates[0].entry if self.status == "answer" else None

    @property
    def answers(self) -> tuple[Entry, ...]:
        """Every entry to answer with, when the status is `answer`."""
        return tuple(c.entry for c in self.candidates) if self.status == "answer" else ()

    @property
    def suggestions(self) -> tuple[Entry, ...]:
        """The entries to offer, best first, when the status is `suggest`."""
        return tuple(c.entry for c in self.candidates) if self.status == "suggest" else ()

    @property
    def answered_ids(self) -> tuple[str, ...]:
        """Ids of the entries given as the answer."""
        return tuple(e.id for e in self.answers)

    @property
    def topic_ids(self) -> tuple[str, ...]:
        """What a follow-up refers to: the entries answered, else the first one offered."""
        if self.status == "answer":
            return self.answered_ids
        if self.status == "suggest" and self.candidates:
            return (self.candidates[0].entry.id,)
        return ()

    def context_after(self, previous: tuple[str, ...], knowledge: KnowledgeBase) -> tuple[str, ...]:
        """What the conversation refers to after this decision, `previous` before it: the
        entries answered; after a choice, the previous topic and the first entry offered (no
        new card was read: « qui était le mentor ? » after a choice may still be about the défi
        before it); after a fallback or small talk, the previous topic. On the golden
        conversations, keeping the previous topic after a choice gains half a point of top-1 on
        two of the three tables and loses nothing.

        A choice that offers a défi after another entry, in a conversation about no défi yet,
        adds that défi: « c'était qui l'équipe sur celui-là ? » after a choice between the list
        of défis and ADLER is about ADLER. After a défi's card, a défi offered second is more
        often noise than what « celui-là » means. An answer keeps the administrations' side
        (`_with_side`)."""
        if self.status != "suggest":
            after = _with_side(self.topic_ids or previous, previous, knowledge)
            return self._with_defi_spoken_of(after, previous, knowledge)
        topic = self.topic_ids
        if not any(_is_defi(knowledge, i) for i in (*previous, *topic)):
            offered = next((e.id for e in self.suggestions if e.is_defi), None)
            topic = (*topic, offered) if offered else topic
        return tuple(dict.fromkeys((*previous, *topic)))[-MAX_CONTEXT:]

    def _with_defi_spoken_of(
        self, after: tuple[str, ...], previous: tuple[str, ...], knowledge: KnowledgeBase
    ) -> tuple[str, ...]:
        """`after`, with the défi of `previous` kept first when this answer is another entry
        and the message speaks of « ils » or « elles »: its team, still. « ils sont où ? » after
        CartoBIO's card gets the place of work, and « le site », « et les mentors » next are
        CartoBIO's (a tryout got the programme's contact and mentors). « Les EIG ils … » in the
        present speaks of every EIG (`speaks_of_every_eig`): the défi is not kept."""
        if self.status != "answer" or not speaks_of_them(self.analysis):
            return after
        if speaks_of_every_eig(self.analysis):
            return after  # « et globalement les eig ils restent après ? »: every EIG's
        if any(_is_defi(knowledge, i) for i in after):
            return after
        defi = next((i for i in reversed(previous) if _is_defi(knowledge, i)), None)
        if defi is None:
            return after
        return tuple(dict.fromkeys((defi, *after)))[-MAX_CONTEXT:]

    @property
    def offered_ids(self) -> tuple[str, ...]:
        """Ids of the entries offered as suggestions."""
        return tuple(e.id for e in self.suggestions)

    @property
    def score(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0


def _with_side(
    after: tuple[str, ...], previous: tuple[str, ...], knowledge: KnowledgeBase
) -> tuple[str, ...]:
    """`after`, with the administrations' entry of `previous` kept first: a conversation that
    got how to propose a défi stays on the administrations' side (« faut envoyer quoi comme
    dossier » after the financing is the défi's file, not the candidate's), until a
    candidates' entry is given (the person asks as a candidate). Tryouts of administrations:
    after the financing, four questions in a row got a choice led by that entry."""
    side = [i for i in previous if _category(knowledge, i) == ADMINISTRATIONS_CATEGORY]
    if not side or side[0] in after:
        return after
    if any(_category(knowledge, i) == CANDIDATES_CATEGORY for i in after):
        return after
    return tuple(dict.fromkeys((side[0], *after)))[-MAX_CONTEXT:]


def _category(knowledge: KnowledgeBase, entry_id: str) -> str | None:
    """The category of the entry `entry_id` (None: no longer in the base)."""
    entry = knowledge.get(entry_id)
    return entry.category if entry is not None else None


def _is_defi(knowledge: KnowledgeBase, entry_id: str) -> bool:
    entry = knowledge.get(entry_id)
    return entry is not None and entry.is_defi


NEAR_MISS_RANK, NEAR_MISS_ON_TOPIC = 0.75, 0.4
"""A fallback still offers its first entry when the ranking gives it at least this share and
the message is at least this likely to be about EIG: « il y a combien de femmes dans le
programme » falls back (0.51 on topic) but offers the 3rd promotion (0.93 of the ranking).
On the golden tables (shipped model, messages outside conversations): 22 of 71 on-topic
fallbacks then offer the right entry, 2 a wrong one, and 43 of 662 off-topic ones offer an
entry next to « je n'ai pas de réponse sûre »."""


OUTSIDE_ON_TOPIC = 0.05
"""Below this probability of being about EIG, a fallback with no near miss says the question
seems outside the programme (« quel temps fera-t-il demain ? »). On the golden tables (shipped
model, messages outside conversations), 300 of 809 fallbacks are below it, 1 of them on topic."""


def decide_from(
    query: str, ranking: Ranking, model: DecisionModel, limits: Thresholds | None = None
) -> Decision:
    """Apply the model and thresholds to a ranking (separate so calibration reuses rankings)."""
    limits = limits or model.thresholds
    ranked = ranking.candidates
    analysis = ranking.analysis
    features = ranking.features()
    if not ranked:
        return Decision(query, "fallback", (), analysis)
    on_topic = model.on_topic.probability(features)
    if on_topic < limits.suggest:
        plausible = ranked[0].score >= NEAR_MISS_RANK and on_topic >= NEAR_MISS_ON_TOPIC
        near_miss = ranked[0].entry if plausible else None
        return Decision(
            query,
            "fallback",
            ranked[: limits.max_suggestions],
            analysis,
            near_miss=near_miss,
            outside=near_miss is None and on_topic < OUTSIDE_ON_TOPIC,
        )
    if model.answer.probability(features) >= limits.answer:
        return Decision(query, "answer", (ranked[0],), analysis)
    close = [c for c in ranked if c.score >= limits.min_suggestion][: limits.max_suggestions]
    if len(close) < 2:
        close = list(ranked[:2])
    return Decision(query, "suggest", tuple(close), analysis)
