"""Fit the decision model and its thresholds on a golden table (`python -m bot calibrate`)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.evaluation import FALLBACK, Case, Report, objective, score_decisions
from bot.matching import DecisionModel, Index, Ranking, Thresholds, decide_from


@dataclass(frozen=True, slots=True)
class Fit:
    """A fitted model, its thresholds, and its report on the table it was fitted on."""

    model: DecisionModel
    thresholds: Thresholds
    report: Report


def fit_logistic(
    rows: Sequence[tuple[float, ...]],
    labels: Sequence[int],
    *,
    l2: float = 0.01,
    steps: int = 3000,
    rate: float = 0.5,
) -> tuple[float, ...]:
    """L2-regularised logistic regression by gradient descent; weights for raw features.

    Features are standardised for the descent, and the scaling is folded back into the weights
    so that the model applies to raw feature values: (bias, w1, …, wn).
    """
    count, width = len(rows), len(rows[0])
    means = [sum(r[j] for r in rows) / count for j in range(width)]
    scales = [
        math.sqrt(sum((r[j] - means[j]) ** 2 for r in rows) / count) or 1.0 for j in range(width)
    ]
    data = [[(r[j] - means[j]) / scales[j] for j in range(width)] for r in rows]
    weights = [0.0] * width
    bias = 0.0
    for _ in range(steps):
        grad = [0.0] * width
        grad_bias = 0.0
        for x, y in zip(data, labels, strict=True):
            z = max(-30.0, min(30.0, bias + sum(w * v for w, v in zip(weights, x, strict=True))))
            error = 1.0 / (1.0 + math.exp(-z)) - y
            grad_bias += error
            for j in range(width):
                grad[j] += error * x[j]
        bias -= rate * grad_bias / count
        for j in range(width):
            weights[j] -= rate * (grad[j] / count + l2 * weights[j])
    raw = [w / s for w, s in zip(weights, scales, strict=True)]
    raw_bias = bias - sum(w * m for w, m in zip(raw, means, strict=True))
    return (round(raw_bias, 3), *(round(w, 3) for w in raw))


def calibrate(index: Index, cases: Sequence[Case]) -> Fit:
    """Fit both logistic models on `cases`, then search the threshold grid (see `Thresholds`)."""
    rankings: list[Ranking] = [index.search(c.question, limit=5) for c in cases]
    rows = [r.features() for r in rankings]
    on_topic = [int(c.expected != FALLBACK) for c in cases]
    right = [
        int(
            c.expected != FALLBACK and bool(r.candidates) and r.candidates[0].entry.id == c.expected
        )
        for c, r in zip(cases, rankings, strict=True)
    ]
    model = DecisionModel(answer=fit_logistic(rows, right), on_topic=fit_logistic(rows, on_topic))
    best: Fit | None = None
    grid = [x / 100 for x in range(20, 96, 2)]
    for answer, suggest in itertools.product(grid, grid):
        limits = Thresholds(answer=answer, suggest=suggest)
        decisions = [
            decide_from(c.question, r, model, limits) for c, r in zip(cases, rankings, strict=True)
        ]
        report = score_decisions(cases, decisions)
        if best is None or objective(report) > objective(best.report):
            best = Fit(model, limits, report)
    assert best is not None
    return best
