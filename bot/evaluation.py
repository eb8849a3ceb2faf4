"""Golden tables: read them, run them through the engine, compute the figures that count.

A golden table is UTF-8 text, one case per line: `expected<TAB>question`, where `expected` is an
entry id or `fallback` for a question the bot must decline. Lines starting with `#` are comments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.matching import Decision, Index, Thresholds

FALLBACK = "fallback"


@dataclass(frozen=True, slots=True)
class Case:
    expected: str
    question: str
    line: int


@dataclass(frozen=True, slots=True)
class Report:
    """The figures of one golden run (rates between 0 and 1)."""

    on_topic: int
    off_topic: int
    top1: float
    resolved: float
    confidently_wrong: float
    declined: float
    failures: tuple[tuple[Case, Decision], ...]

    def lines(self) -> list[str]:
        return [
            f"questions sur le sujet : {self.on_topic}, hors sujet : {self.off_topic}",
            f"top-1 : {self.top1:.1%}",
            f"résolues (bonne réponse ou bonne suggestion) : {self.resolved:.1%}",
            f"réponses fausses données avec assurance : {self.confidently_wrong:.1%}",
            f"hors sujet déclinées : {self.declined:.1%}",
        ]


class GoldenError(ValueError):
    """A golden file line is malformed."""


def read_cases(path: Path | str) -> list[Case]:
    """Parse a golden table; raise GoldenError naming the line of a malformed case."""
    cases: list[Case] = []
    text = Path(path).read_text(encoding="utf-8")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        expected, sep, question = line.partition("\t")
        if not sep or not expected.strip() or not question.strip():
            raise GoldenError(f"{path}:{number}: attendu « identifiant<TAB>question »")
        cases.append(Case(expected.strip(), question.strip(), number))
    return cases


def score_decisions(cases: Sequence[Case], decisions: Sequence[Decision]) -> Report:
    on = [(c, d) for c, d in zip(cases, decisions, strict=True) if c.expected != FALLBACK]
    off = [(c, d) for c, d in zip(cases, decisions, strict=True) if c.expected == FALLBACK]
    top1 = sum(1 for c, d in on if d.entry is not None and d.entry.id == c.expected)
    resolved = sum(
        1
        for c, d in on
        if (d.entry is not None and d.entry.id == c.expected)
        or any(e.id == c.expected for e in d.suggestions)
    )
    wrong = sum(
        1
        for c, d in [*on, *off]
        if d.status == "answer"
        and (c.expected == FALLBACK or d.entry is None or d.entry.id != c.expected)
    )
    declined = sum(1 for _, d in off if d.status == "fallback")
    failures = tuple(
        (c, d)
        for c, d in zip(cases, decisions, strict=True)
        if (c.expected == FALLBACK and d.status != "fallback")
        or (c.expected != FALLBACK and (d.entry is None or d.entry.id != c.expected))
    )
    total = len(on) + len(off)
    return Report(
        on_topic=len(on),
        off_topic=len(off),
        top1=top1 / len(on) if on else 1.0,
        resolved=resolved / len(on) if on else 1.0,
        confidently_wrong=wrong / total if total else 0.0,
        declined=declined / len(off) if off else 1.0,
        failures=failures,
    )


def evaluate(index: Index, cases: Sequence[Case], thresholds: Thresholds | None = None) -> Report:
    """Run every case through the engine and compute the figures."""
    return score_decisions(cases, [index.decide(c.question, thresholds=thresholds) for c in cases])


MAX_CONFIDENTLY_WRONG = 0.015
"""Calibration keeps confidently wrong answers under this rate (the target is 2 %)."""


MIN_DECLINED = 0.91
"""Calibration keeps off-topic declined above this rate (the target is 90 %)."""


def objective(report: Report) -> float:
    """What calibration maximises: top-1 + resolved, with a heavy cost for going past the
    wrong-answer budget or under the declined floor.

    Declining more off-topic questions than the floor earns nothing: past it, a suggestion that
    may hold the right answer is worth more to a candidate than "je n'ai pas de réponse sûre".
    """
    excess = max(0.0, report.confidently_wrong - MAX_CONFIDENTLY_WRONG)
    shortfall = max(0.0, MIN_DECLINED - report.declined)
    return report.top1 + report.resolved - 20 * (excess + shortfall)
