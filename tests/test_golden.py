"""The golden tables: real-looking French questions and the entry that must answer them.

This is the net under every change to normalisation, synonyms, scoring or thresholds. The floors
below are the figures the engine reaches today, minus a small tolerance: a change that lowers
them is a regression. The programme's acceptance targets (top-1 ≥ 90 %, resolved ≥ 97 %,
confidently wrong ≤ 2 %, off-topic declined ≥ 90 %) are printed by `python -m bot eval`.
"""

from __future__ import annotations

import pytest
from conftest import GOLDEN_DIR

from bot.evaluation import FALLBACK, Case, evaluate, read_cases
from bot.knowledge import KnowledgeBase
from bot.matching import Index
from bot.normalize import fold

TABLES = ["main.tsv", "holdout.tsv", "extra.tsv", "acceptance.tsv"]
FLOORS = {
    "main.tsv": {"top1": 0.81, "resolved": 0.91, "wrong": 0.02, "declined": 0.90},
    "holdout.tsv": {"top1": 0.79, "resolved": 0.88, "wrong": 0.025, "declined": 0.88},
    "extra.tsv": {"top1": 0.69, "resolved": 0.84, "wrong": 0.02, "declined": 0.94},
    "acceptance.tsv": {"top1": 0.80, "resolved": 0.93, "wrong": 0.025, "declined": 0.88},
}


def _cases(name: str) -> list[Case]:
    return read_cases(GOLDEN_DIR / name)


def test_main_table_is_large_enough() -> None:
    cases = _cases("main.tsv")
    assert sum(1 for c in cases if c.expected != FALLBACK) >= 300
    assert sum(1 for c in cases if c.expected == FALLBACK) >= 50


@pytest.mark.parametrize("name", TABLES)
def test_every_expected_entry_exists(name: str, knowledge: KnowledgeBase) -> None:
    unknown = {c.expected for c in _cases(name)} - set(knowledge.by_id) - {FALLBACK}
    assert unknown == set()


@pytest.mark.parametrize("name", TABLES)
def test_golden_questions_are_not_copies_of_the_base(name: str, knowledge: KnowledgeBase) -> None:
    phrasings = {fold(q) for entry in knowledge.entries for q in entry.questions}
    copies = [c.question for c in _cases(name) if fold(c.question) in phrasings]
    assert copies == []


@pytest.mark.parametrize("name", TABLES)
def test_engine_reaches_the_floors(name: str, index: Index) -> None:
    report = evaluate(index, _cases(name))
    floors = FLOORS[name]
    summary = "\n".join(report.lines())
    assert report.top1 >= floors["top1"], summary
    assert report.resolved >= floors["resolved"], summary
    assert report.confidently_wrong <= floors["wrong"], summary
    assert report.declined >= floors["declined"], summary
