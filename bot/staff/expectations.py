"""The staff's tests (`tests.yaml`) run through the engine: each miss is a warning at its line.

A test passes when the bot answers the question directly with the expected entry (among the
entries it answers with), or, for `decline`, when it says it has no sure answer (or sees small
talk). Anything else is reported with what the bot did instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bot.engine import Decision, Index
from bot.knowledge import DECLINE, Problem, StaffTest

DECLINING = frozenset({"fallback", "smalltalk"})
"""Statuses that give no entry: what a `decline` test expects."""


def passes(test: StaffTest, decision: Decision) -> bool:
    """Whether the bot's decision is the one the test asks for."""
    if test.expect == DECLINE:
        return decision.status in DECLINING
    return test.expect in decision.answered_ids


def _names(ids: Iterable[str]) -> str:
    return ", ".join(f"« {entry_id} »" for entry_id in ids)


def what_the_bot_does(decision: Decision) -> str:
    """The decision in a few French words: 'le bot répond avec l'entrée « contrat »'."""
    if decision.status == "answer":
        ids = decision.answered_ids
        return f"le bot répond avec l'entrée{'s' if len(ids) > 1 else ''} {_names(ids)}"
    if decision.status == "suggest":
        return f"le bot hésite et propose {_names(decision.offered_ids)}"
    if decision.status == "smalltalk":
        return "le bot y voit une simple formule de politesse"
    return "le bot répond qu'il n'a pas de réponse sûre"


def _advice(test: StaffTest, decision: Decision) -> str:
    if test.expect != DECLINE:
        return (
            f"au lieu de répondre avec « {test.expect} » ; ajoutez cette formulation (ou une "
            f"formulation proche) aux questions de « {test.expect} »"
        )
    return (
        "alors qu'il devrait dire qu'il n'a pas de réponse ; rendez plus précises les "
        f"formulations de {_names(c.entry.id for c in decision.candidates[:1])} qui attirent "
        "cette question"
    )


def misses(tests: Iterable[StaffTest], index: Index) -> Iterator[Problem]:
    """A warning for each test the bot fails, at the test's line."""
    for test in tests:
        decision = index.decide(test.question)
        if passes(test, decision):
            continue
        yield Problem(
            test.file,
            test.line,
            None if test.expect == DECLINE else test.expect,
            None,
            f"« {test.question} » : {what_the_bot_does(decision)} {_advice(test, decision)}",
            "avertissement",
        )
