"""Fit the ranking model, the decision model and its thresholds (`python -m bot calibrate`).

The engine gathers every case's candidates once (words, meaning, conversation); then, on those
same features: the ranking weights (a conditional logit: which candidate is the right entry),
the decision's two models (boosted trees: is the first entry right; logistic: is the question
about EIG), and the pair of thresholds on a grid. Nothing here changes how features are
computed: only the model file that `bot.engine` loads.

In a conversation, a case is gathered after the entries its previous turns expected (as if the
bot had answered them right); `bot.tuning.crossval` measures the real flow, errors included.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.engine import Decision, DecisionModel, Index, Ranking, Thresholds, decide_from
from bot.engine.decision import (
    FEATURE_NAMES,
    Features,
    Gathered,
    Logistic,
    Probability,
    Trees,
    rank_gathered,
)
from bot.engine.index import RANKING_DEPTH
from bot.engine.ranking import CANDIDATE_FEATURES, RankModel
from bot.engine.smalltalk import small_talk
from bot.tuning.evaluation import (
    MAX_CONFIDENTLY_WRONG,
    MIN_DECLINED,
    PENALTY,
    Case,
    Report,
    outcome,
    score_decisions,
)

Array = npt.NDArray[np.float64]

GRID = np.arange(20, 96, 2) / 100
"""Threshold values tried, for both probabilities."""

L2 = 0.01
"""Ridge penalty of the logistic fits (on standardised features)."""
STEPS, RATE = 3000, 0.5
"""Gradient descent: enough steps at this rate to converge on a few thousand cases."""
TREE_COUNT, TREE_RATE, TREE_LEAVES, TREE_LEAF_CASES = 150, 0.05, 8, 20
"""The answer model's boosted trees: many small ones, learnt slowly, each leaf backed by 20
cases. Leave-one-table-out on the 13 golden tables (`python -m bot eval --cross-validate`),
against the logistic model they replace: questions answered right directly 67.6 -> 74.9 %,
confident wrong answers 1.6 -> 1.8 %."""
TREE_L2 = 1.0
"""Ridge penalty on the leaf values: a leaf of few cases stays near the average."""
HELD_OUT_FOLDS = 5
"""The answer threshold is chosen on probabilities of cases the trees did not see: consecutive
blocks (tables stay mostly together), because trees are overconfident on their own cases."""
RANK_L2 = 0.001
"""Ridge penalty of the conditional logit (on standardised features)."""


@dataclass(frozen=True, slots=True)
class Fit:
    """A fitted model (thresholds included), and its report on the cases it was fitted on."""

    model: DecisionModel
    report: Report


@dataclass(frozen=True)
class Ranked:
    """The cases with what the engine gathered for them, before any model is applied."""

    cases: tuple[Case, ...]
    gathered: tuple[Gathered | None, ...]
    """None where the message is small talk: no candidates, no model."""
    fixed: tuple[Decision | None, ...]
    """The small-talk decisions, which no model changes."""
    contexts: tuple[tuple[str, ...], ...]
    """The entries each case was read after (its conversation's previous expected answers)."""

    @classmethod
    def build(cls, index: Index, cases: Sequence[Case]) -> Ranked:
        gathered: list[Gathered | None] = []
        fixed: list[Decision | None] = []
        contexts: list[tuple[str, ...]] = []
        last: dict[str, tuple[str, ...]] = {}
        for case in cases:
            context = last.get(case.conversation, ()) if case.conversation else ()
            analysis = index.normalizer.analyze(case.question)
            kind = small_talk(analysis)
            if kind is not None:
                gathered.append(None)
                fixed.append(Decision(case.question, "smalltalk", (), analysis, small_talk=kind))
            else:
                gathered.append(index.gather(analysis, context))
                fixed.append(None)
            contexts.append(context)
            if case.conversation and case.ids:
                last[case.conversation] = case.ids
        return cls(tuple(cases), tuple(gathered), tuple(fixed), tuple(contexts))

    def subset(self, keep: Sequence[bool]) -> Ranked:
        pick = [i for i, k in enumerate(keep) if k]
        return Ranked(
            tuple(self.cases[i] for i in pick),
            tuple(self.gathered[i] for i in pick),
            tuple(self.fixed[i] for i in pick),
            tuple(self.contexts[i] for i in pick),
        )

    def rankings(self, rank: RankModel) -> list[Ranking | None]:
        return [rank_gathered(g, rank, RANKING_DEPTH) if g else None for g in self.gathered]

    def decisions(
        self, model: DecisionModel, rankings: Sequence[Ranking | None] | None = None
    ) -> list[Decision]:
        """The decision for every case under `model` (`rankings`: under its ranking weights,
        when the caller has them already)."""
        if rankings is None:
            rankings = self.rankings(model.rank)
        found: list[Decision] = []
        for case, ranking, fixed in zip(self.cases, rankings, self.fixed, strict=True):
            if ranking is not None:
                found.append(decide_from(case.question, ranking, model))
            elif fixed is not None:
                found.append(fixed)
        return found


def _standardised(rows: Array) -> tuple[Array, Array, Array]:
    means = rows.mean(axis=0)
    scales = rows.std(axis=0)
    scales[scales == 0] = 1.0
    return (rows - means) / scales, means, scales


def _conditional_logit(data: Array, right: Array, begin: npt.NDArray[np.intp]) -> Array:
    """The weights that minimise, over the cases (candidates `begin[k]` up to the next case's),
    the mean of -log(the probability of their right candidates), plus a ridge penalty.

    Convex and smooth: L-BFGS (SciPy, which LightGBM installs) reaches in about 50 steps and
    0.3 s the loss that gradient descent reached in 1,500 steps and 9 s on the golden tables,
    16 times per cross-validation."""
    import scipy.optimize  # only calibration needs it

    group = np.repeat(np.arange(len(begin)), np.diff(np.append(begin, len(data))))

    def loss_and_gradient(weights: Array) -> tuple[float, Array]:
        z = data @ weights
        z -= np.maximum.reduceat(z, begin)[group]
        exp = np.exp(z)
        p = exp / np.add.reduceat(exp, begin)[group]
        p_right = np.add.reduceat(p * right, begin)
        loss = -float(np.log(p_right).sum()) / len(begin) + RANK_L2 / 2 * float(weights @ weights)
        gradient = data.T @ (p - p * right / p_right[group]) / len(begin) + RANK_L2 * weights
        return loss, gradient

    found = scipy.optimize.minimize(
        loss_and_gradient, np.zeros(data.shape[1]), jac=True, method="L-BFGS-B"
    )
    weights: Array = found.x
    return weights


def fit_logistic(rows: Array, labels: Array) -> Logistic:
    """L2-regularised logistic regression by gradient descent, as weights on raw features.

    Features are standardised for the descent, and the scaling is folded back into the weights
    so that the model applies to raw feature values.
    """
    data, means, scales = _standardised(rows)
    weights = np.zeros(rows.shape[1])
    bias = 0.0
    count = len(rows)
    for _ in range(STEPS):
        z = np.clip(bias + data @ weights, -30.0, 30.0)
        error = 1.0 / (1.0 + np.exp(-z)) - labels
        bias -= RATE * error.sum() / count
        weights -= RATE * (data.T @ error / count + L2 * weights)
    raw = weights / scales
    raw_bias = bias - float(raw @ means)
    return Logistic(
        round(raw_bias, 3),
        {name: round(float(w), 3) for name, w in zip(FEATURE_NAMES, raw, strict=True)},
    )


def tree_parameters() -> dict[str, Any]:
    """LightGBM's parameters for the answer trees (one thread and a fixed seed: reproducible)."""
    return {
        "objective": "binary",
        "learning_rate": TREE_RATE,
        "num_leaves": TREE_LEAVES,
        "min_data_in_leaf": TREE_LEAF_CASES,
        "lambda_l2": TREE_L2,
        "num_threads": 1,
        "deterministic": True,
        "force_row_wise": True,
        "seed": 0,
        "verbose": -1,
    }


def fit_trees(rows: Array, labels: Array) -> Trees:
    """Boosted trees (LightGBM, one thread, deterministic) as a `Trees` model on raw features."""
    positive = float(labels.mean()) if len(labels) else 0.5
    if positive in (0.0, 1.0):  # one class only: nothing to split, the odds say it all
        return Trees(({"leaf": round(math.log((positive + 1e-3) / (1.001 - positive)), 6)},))
    import lightgbm  # only calibration needs it: the engine reads the trees from model.json

    parameters = tree_parameters()
    # The native API: lightgbm's scikit-learn wrapper would need scikit-learn as well.
    data = lightgbm.Dataset(rows, label=labels, params={"verbose": -1})
    booster = lightgbm.train(parameters, data, num_boost_round=TREE_COUNT)
    return Trees(tuple(_tree(tree["tree_structure"]) for tree in booster.dump_model()["tree_info"]))


def _tree(node: Mapping[str, Any]) -> dict[str, Any]:
    """One LightGBM tree (numbered features, `<=` goes left) with named features."""
    if "leaf_value" in node:
        return {"leaf": round(float(node["leaf_value"]), 6)}
    return {
        "split": FEATURE_NAMES[int(node["split_feature"])],
        "at": float(node["threshold"]),
        "low": _tree(node["left_child"]),
        "high": _tree(node["right_child"]),
    }


def held_out_probabilities(rows: Array, labels: Array, folds: int = HELD_OUT_FOLDS) -> Array:
    """Each row's probability under trees fitted without its block of consecutive rows."""
    found = np.zeros(len(rows))
    if len(rows) < 2 * folds:
        return _probabilities(fit_trees(rows, labels), rows)
    for block in np.array_split(np.arange(len(rows)), folds):
        train = np.ones(len(rows), dtype=bool)
        train[block] = False
        found[block] = _probabilities(fit_trees(rows[train], labels[train]), rows[block])
    return found


def fit_rank(ranked: Ranked) -> RankModel:
    """The conditional logit over each on-topic case's candidates: the right ones score high."""
    rows: list[list[float]] = []
    labels: list[float] = []
    starts: list[int] = []
    for case, gathered in zip(ranked.cases, ranked.gathered, strict=True):
        if gathered is None or not case.on_topic:
            continue
        right = [float(c.entry.id in case.ids) for c in gathered.candidates]
        if not any(right):
            continue  # the right entry was not among the candidates: nothing to learn here
        starts.append(len(rows))
        for candidate in gathered.candidates:
            values = candidate.features.as_dict()
            rows.append([values[name] for name in CANDIDATE_FEATURES])
        labels.extend(right)
    if not starts:
        return RankModel({name: 0.0 for name in CANDIDATE_FEATURES})
    data, _, scales = _standardised(np.array(rows))
    weights = _conditional_logit(data, np.array(labels), np.array(starts))
    raw = weights / scales
    return RankModel(
        {name: round(float(w), 4) for name, w in zip(CANDIDATE_FEATURES, raw, strict=True)}
    )


def _feature_rows(rankings: Sequence[Ranking | None]) -> Array:
    return np.array(
        [
            [ranking.features().as_dict()[name] for name in FEATURE_NAMES]
            if ranking is not None
            else [0.0] * len(FEATURE_NAMES)
            for ranking in rankings
        ]
    )


def _probabilities(model: Probability, rows: Array) -> Array:
    if isinstance(model, Trees):
        return np.array(
            [model.probability(Features(*(float(v) for v in row))) for row in rows], dtype=float
        )
    weights = np.array([model.weights[name] for name in FEATURE_NAMES])
    z = np.clip(model.bias + rows @ weights, -30.0, 30.0)
    result: Array = 1.0 / (1.0 + np.exp(-z))
    return result


def _outcome_table(
    ranked: Ranked, rankings: Sequence[Ranking | None], model: DecisionModel, status: str
) -> Array:
    """Per case (rows): right, resolved, wrong, if the engine took `status` for every case.

    Small-talk cases keep their own decision whatever `status` is.
    """
    never = 1.01  # above any probability
    forced = {
        "answer": Thresholds(answer=0.0, suggest=0.0),
        "suggest": Thresholds(answer=never, suggest=0.0),
        "fallback": Thresholds(answer=never, suggest=never),
    }[status]
    limits = dataclasses.replace(model.thresholds, answer=forced.answer, suggest=forced.suggest)
    table = []
    for case, ranking, fixed in zip(ranked.cases, rankings, ranked.fixed, strict=True):
        decision = fixed if ranking is None else decide_from(case.question, ranking, model, limits)
        assert decision is not None
        result = outcome(case, decision)
        table.append((result.right, result.resolved, result.wrong))
    return np.array(table, dtype=np.float64)


def best_thresholds(
    ranked: Ranked,
    rankings: Sequence[Ranking | None],
    model: DecisionModel,
    p_answer: Array | None = None,
    rows: Array | None = None,
) -> Thresholds:
    """The grid pair with the best objective; on a tie, the first in (answer, suggest) order.

    `p_answer`: each case's probability that its first entry is right, as the thresholds should
    see it (held out from the fit); by default, the model's own. `rows`: the rankings' decision
    features, when the caller has them already.
    """
    rows = _feature_rows(rankings) if rows is None else rows
    if p_answer is None:
        p_answer = _probabilities(model.answer, rows)
    p_on = _probabilities(model.on_topic, rows)
    has_candidates = np.array([bool(r and r.candidates) for r in rankings])
    small = np.array([r is None for r in rankings])
    # fallback[s, i]: case i falls back under suggest threshold s; answers[a, i] likewise.
    fallback = (~has_candidates | (p_on[None, :] < GRID[:, None])) & ~small
    answers = (p_answer[None, :] >= GRID[:, None]).astype(float)
    a_table, s_table, f_table = (
        _outcome_table(ranked, rankings, model, status)
        for status in ("answer", "suggest", "fallback")
    )
    on = np.array([c.on_topic for c in ranked.cases], dtype=float)

    def total(column: int, weight: Array) -> Array:
        """[answer threshold, suggest threshold] → the weighted count of `column` outcomes."""
        a, sg, f = (t[:, column] * weight for t in (a_table, s_table, f_table))
        falls = fallback.astype(float)
        kept = 1.0 - falls
        per_suggest = falls @ f + kept @ sg  # independent of the answer threshold
        result: Array = per_suggest[None, :] + answers @ (kept * (a - sg)[None, :]).T
        return result

    n_on, n_off, n_all = on.sum(), (1 - on).sum(), float(len(on))
    top1 = total(0, on) / n_on if n_on else np.ones((len(GRID), len(GRID)))
    resolved = total(1, on) / n_on if n_on else np.ones_like(top1)
    wrong = total(2, np.ones_like(on)) / n_all if n_all else np.zeros_like(top1)
    declined = total(0, 1 - on) / n_off if n_off else np.ones_like(top1)
    excess = np.maximum(0.0, wrong - MAX_CONFIDENTLY_WRONG)
    shortfall = np.maximum(0.0, MIN_DECLINED - declined)
    objective = top1 + resolved - PENALTY * (excess + shortfall)
    a_index, s_index = np.unravel_index(int(np.argmax(objective)), objective.shape)
    return dataclasses.replace(
        model.thresholds,
        answer=round(float(GRID[a_index]), 2),
        suggest=round(float(GRID[s_index]), 2),
    )


def fit(ranked: Ranked, tables: Sequence[str] = ()) -> Fit:
    """Fit the ranking weights, the answer trees, the on-topic model, then the thresholds."""
    rank = fit_rank(ranked)
    rankings = ranked.rankings(rank)
    rows = _feature_rows(rankings)
    usable = np.array([r is not None for r in rankings])
    on_topic = np.array([float(c.on_topic) for c in ranked.cases])
    right = np.array(
        [
            float(
                c.on_topic
                and r is not None
                and bool(r.candidates)
                and r.candidates[0].entry.id in c.ids
            )
            for c, r in zip(ranked.cases, rankings, strict=True)
        ]
    )
    model = DecisionModel(
        rank=rank,
        answer=fit_trees(rows[usable], right[usable]),
        on_topic=fit_logistic(rows[usable], on_topic[usable]),
        fitted_on=tuple(tables),
    )
    p_answer = np.zeros(len(rows))
    p_answer[usable] = held_out_probabilities(rows[usable], right[usable])
    thresholds = best_thresholds(ranked, rankings, model, p_answer, rows)
    model = dataclasses.replace(model, thresholds=thresholds)
    return Fit(model, score_decisions(ranked.cases, ranked.decisions(model, rankings)))


def calibrate(index: Index, cases: Sequence[Case], tables: Sequence[str] = ()) -> Fit:
    """Gather `cases` with `index`, then fit the models and thresholds on them."""
    return fit(Ranked.build(index, cases), tables)
