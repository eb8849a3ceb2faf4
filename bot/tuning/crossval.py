"""Leave-one-table-out cross-validation: fit on the other tables, measure on the held one.

This is the figure to expect on questions nobody here has seen: the held table played no part
in the models or their thresholds. Conversations are replayed as a chat would go: each message
is read after what the bot really answered before, mistakes included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bot.engine import Decision, DecisionModel, Index
from bot.tuning.calibration import Ranked, fit
from bot.tuning.evaluation import Case, Report, decisions, score_decisions


@dataclass(frozen=True, slots=True)
class Fold:
    """One held-out table and its figures under the model fitted on the others."""

    table: str
    report: Report


def replay(index: Index, held: Ranked, model: DecisionModel) -> list[Decision]:
    """The decisions of `model` on `held`, as the bot makes them (`Index.decide`: small talk,
    two questions in one, a défi theme that no défi has), each conversation following the bot's
    real answers, mistakes included."""
    return decisions(index, held.cases, model=model)


def ranked_first(ranked: Ranked, model: DecisionModel) -> float:
    """Share of on-topic cases whose right entry the ranking puts first."""
    hits = [
        bool(r and r.candidates and r.candidates[0].entry.id in c.ids)
        for c, r in zip(ranked.cases, ranked.rankings(model.rank), strict=True)
        if c.on_topic
    ]
    return sum(hits) / len(hits) if hits else 1.0


def cross_validate(index: Index, tables: Mapping[str, Sequence[Case]]) -> list[Fold]:
    """One fold per table, in the order given; the engine gathers every case once."""
    names = list(tables)
    all_cases = [case for name in names for case in tables[name]]
    owner = [name for name in names for _ in tables[name]]
    ranked = Ranked.build(index, all_cases)
    folds = []
    for name in names:
        train = ranked.subset([o != name for o in owner])
        held = ranked.subset([o == name for o in owner])
        model = fit(train, [n for n in names if n != name]).model
        report = score_decisions(held.cases, replay(index, held, model))
        folds.append(Fold(name, replace(report, ranked_first=ranked_first(held, model))))
    return folds


def pooled(folds: Sequence[Fold]) -> Report:
    """All folds together, each case weighed once (failures are not kept)."""
    on = sum(f.report.on_topic for f in folds)
    off = sum(f.report.off_topic for f in folds)

    def mean(attribute: str, weight: str) -> float:
        weights = [getattr(f.report, weight) for f in folds]
        total = sum(weights)
        values = [getattr(f.report, attribute) or 0.0 for f in folds]
        return sum(v * w for v, w in zip(values, weights, strict=True)) / total if total else 0.0

    everyone = [f.report.on_topic + f.report.off_topic for f in folds]
    wrong = sum(f.report.confidently_wrong * n for f, n in zip(folds, everyone, strict=True))
    return Report(
        on_topic=on,
        off_topic=off,
        top1=mean("top1", "on_topic"),
        resolved=mean("resolved", "on_topic"),
        confidently_wrong=wrong / sum(everyone) if sum(everyone) else 0.0,
        declined=mean("declined", "off_topic"),
        failures=(),
        ranked_first=mean("ranked_first", "on_topic"),
    )
