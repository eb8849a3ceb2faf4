"""Golden tables: read them, run them through the engine, compute the figures that count.

A golden table is UTF-8 text, one case per line: `expected<TAB>question`, where `expected` is an
entry id, `fallback` for a question the bot must decline, `smalltalk` for a message that is not
a question (hello, thanks…), or `a+b` for two questions in one message. An optional third
column names a conversation: lines with the same conversation id are one chat, in file order.
Lines starting with `#` are comments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.engine import Decision, DecisionModel, Index, Thresholds

FALLBACK = "fallback"
SMALLTALK = "smalltalk"
DECLINING = frozenset({"fallback", "smalltalk"})
"""Statuses that give no entry: right for an off-topic question."""

MAX_CONFIDENTLY_WRONG = 0.015
"""Calibration keeps confidently wrong answers under this rate (the target is 2 %)."""

MIN_DECLINED = 0.91
"""Calibration keeps off-topic declined above this rate (the target is 90 %)."""

PENALTY = 20.0
"""Cost of one point over the wrong-answer budget or under the declined floor, in points of
top-1 + resolved: the budgets are near-hard constraints."""


class GoldenError(ValueError):
    """A golden file line is malformed."""


@dataclass(frozen=True, slots=True)
class Case:
    expected: str
    question: str
    line: int
    conversation: str | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        """The entries that must be given (empty for `fallback` and `smalltalk`)."""
        if self.expected in (FALLBACK, SMALLTALK):
            return ()
        return tuple(self.expected.split("+"))

    @property
    def on_topic(self) -> bool:
        return bool(self.ids)


def read_cases(path: Path | str) -> list[Case]:
    """Parse a golden table; raise GoldenError naming the line of a malformed case."""
    cases: list[Case] = []
    text = Path(path).read_text(encoding="utf-8")
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) not in (2, 3) or not parts[0].strip() or not parts[1].strip():
            raise GoldenError(
                f"{path}:{number}: attendu « identifiant<TAB>question » "
                "(ou « identifiant<TAB>question<TAB>conversation »)"
            )
        conversation = parts[2].strip() if len(parts) == 3 and parts[2].strip() else None
        cases.append(Case(parts[0].strip(), parts[1].strip(), number, conversation))
    return cases


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one decision fares against one case."""

    right: bool
    """Every expected entry answered directly (or, off topic, declined; small talk, recognised)."""
    resolved: bool
    """Every expected entry answered or offered."""
    wrong: bool
    """An answer given with confidence that is not (all) expected."""


def outcome(case: Case, decision: Decision) -> Outcome:
    answered = set(decision.answered_ids)
    offered = answered | set(decision.offered_ids)
    expected = set(case.ids)
    if not expected:
        # Off topic or small talk: right when no entry is given. Whether small talk got its own
        # reply is measured apart (`Report.small_talk`): no threshold changes it.
        right = decision.status in DECLINING
        return Outcome(right, right, bool(answered))
    right = expected <= answered
    return Outcome(right, expected <= offered, bool(answered - expected))


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
    ranked_first: float | None = None
    """Share of on-topic cases whose right entry the ranking put first (when measured)."""
    small_talk: float | None = None
    """Share of the `smalltalk` cases that got a small-talk reply (None: the table has none)."""

    def lines(self) -> list[str]:
        lines = [
            f"questions sur le sujet : {self.on_topic}, hors sujet : {self.off_topic}",
            f"top-1 : {self.top1:.1%}",
            f"résolues (bonne réponse ou bonne suggestion) : {self.resolved:.1%}",
            f"réponses fausses données avec assurance : {self.confidently_wrong:.1%}",
            f"hors sujet déclinées : {self.declined:.1%}",
        ]
        if self.ranked_first is not None:
            lines.insert(1, f"bonne entrée en tête du classement : {self.ranked_first:.1%}")
        if self.small_talk is not None:
            lines.append(f"petite conversation reconnue : {self.small_talk:.1%}")
        return lines


def _rate(part: int, whole: int, empty: float) -> float:
    return part / whole if whole else empty


def score_decisions(cases: Sequence[Case], decisions: Sequence[Decision]) -> Report:
    pairs = list(zip(cases, decisions, strict=True))
    outcomes = [outcome(c, d) for c, d in pairs]
    on = [o for (c, _), o in zip(pairs, outcomes, strict=True) if c.on_topic]
    off = [o for (c, _), o in zip(pairs, outcomes, strict=True) if not c.on_topic]
    chat = [d.status == "smalltalk" for c, d in pairs if c.expected == SMALLTALK]
    return Report(
        on_topic=len(on),
        off_topic=len(off),
        top1=_rate(sum(o.right for o in on), len(on), 1.0),
        resolved=_rate(sum(o.resolved for o in on), len(on), 1.0),
        confidently_wrong=_rate(sum(o.wrong for o in outcomes), len(outcomes), 0.0),
        declined=_rate(sum(o.right for o in off), len(off), 1.0),
        failures=tuple(
            (c, d)
            for (c, d), o in zip(pairs, outcomes, strict=True)
            if not o.right or (c.expected == SMALLTALK and d.status != "smalltalk")
        ),
        small_talk=sum(chat) / len(chat) if chat else None,
    )


def decisions(
    index: Index,
    cases: Sequence[Case],
    thresholds: Thresholds | None = None,
    model: DecisionModel | None = None,
) -> list[Decision]:
    """The engine's decision for every case; a conversation's cases in order, as one chat
    (`Dialogues`), each following the bot's real answers, mistakes included."""
    found: list[Decision] = []
    last: dict[str, tuple[str, ...]] = {}
    for case in cases:
        context = last.get(case.conversation, ()) if case.conversation else ()
        decision = index.decide(case.question, thresholds=thresholds, context=context, model=model)
        if case.conversation:
            last[case.conversation] = decision.context_after(context, index.knowledge)
        found.append(decision)
    return found


def evaluate(index: Index, cases: Sequence[Case], thresholds: Thresholds | None = None) -> Report:
    """Run every case through the engine and compute the figures."""
    return score_decisions(cases, decisions(index, cases, thresholds))


def objective(report: Report) -> float:
    """What calibration maximises: top-1 + resolved, with a heavy cost for going past the
    wrong-answer budget or under the declined floor.

    Declining more off-topic questions than the floor earns nothing: past it, a suggestion that
    may hold the right answer is worth more to a candidate than "je n'ai pas de réponse sûre".
    """
    excess = max(0.0, report.confidently_wrong - MAX_CONFIDENTLY_WRONG)
    shortfall = max(0.0, MIN_DECLINED - report.declined)
    return report.top1 + report.resolved - PENALTY * (excess + shortfall)
