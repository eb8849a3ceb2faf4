"""The engine: the right entry for the way people type, a decision for any input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine import Index, Thresholds
from bot.knowledge import Entry, KnowledgeBase


def _entry(entry_id: str, *questions: str) -> Entry:
    return Entry(id=entry_id, questions=questions, answer=f"Réponse {entry_id}.")


@pytest.fixture(scope="module")
def small() -> Index:
    knowledge = KnowledgeBase(
        entries=(
            _entry("remuneration", "Quel est le salaire ?", "combien on est payé", "paye"),
            _entry("lieu", "Où travaillent les EIG ?", "télétravail possible ?", "à Paris ?"),
            _entry("defi-karfur", "Qu'est-ce que Karfu'R ?", "le défi sur les réfugiés"),
        ),
        synonyms={"salaire": ("rémunération", "paye", "payé")},
    )
    return Index(knowledge)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("salaire", "remuneration", id="one-word"),
        pytest.param("c koi la remuneration", "remuneration", id="sms-synonym-no-accent"),
        pytest.param("salair", "remuneration", id="typo"),
        pytest.param("teletravial", "lieu", id="typo-swapped-letters"),
        pytest.param("karfur", "defi-karfur", id="name-without-apostrophe"),
        pytest.param("le projet pour les refugies", "defi-karfur", id="theme"),
    ],
)
def test_ranks_the_right_entry_first(small: Index, question: str, expected: str) -> None:
    ranking = small.search(question)
    assert ranking.candidates[0].entry.id == expected


@pytest.mark.parametrize(
    "question",
    ["", "   ", "\x00\x1b[31m", "recette de la tarte aux pommes", "x" * 10_000],
)
def test_nothing_known_falls_back(small: Index, question: str) -> None:
    assert small.decide(question).status == "fallback"


def test_thresholds_choose_between_answer_suggest_and_fallback(small: Index) -> None:
    question = "salaire à Paris"
    always = Thresholds(answer=0.0, suggest=0.0)
    never_answer = Thresholds(answer=1.01, suggest=0.0)
    never = Thresholds(answer=1.01, suggest=1.01)
    assert small.decide(question, thresholds=always).status == "answer"
    suggested = small.decide(question, thresholds=never_answer)
    assert suggested.status == "suggest"
    assert {e.id for e in suggested.suggestions} == {"remuneration", "lieu"}
    assert small.decide(question, thresholds=never).status == "fallback"


def test_clear_questions_are_more_certain_than_vague_ones(index: Index) -> None:
    model = index.model
    clear = index.search("quel est le salaire d'un eig ?").features()
    vague = index.search("eig truc machin bidule").features()
    off_topic = index.search("recette du gâteau au chocolat").features()
    assert model.answer.probability(clear) > model.answer.probability(vague)
    assert model.on_topic.probability(clear) > model.on_topic.probability(off_topic)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("combien est payé un eig", "remuneration", id="pay"),
        pytest.param("jpeux faire du teletravail ?", "lieu", id="remote-sms"),
        pytest.param("le defi sur les faux avis en ligne", "defi-polygraphe", id="defi-theme"),
        pytest.param("date limite pour candidater", "calendrier", id="deadline"),
    ],
)
def test_real_base_answers_plain_questions(index: Index, question: str, expected: str) -> None:
    decision = index.decide(question)
    assert decision.status == "answer"
    assert decision.entry is not None
    assert decision.entry.id == expected


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_input_gets_a_valid_decision(index: Index, text: str) -> None:
    decision = index.decide(text)
    assert decision.status in {"answer", "suggest", "fallback", "smalltalk"}
    assert (decision.status == "smalltalk") == (decision.small_talk is not None)
    if decision.status == "answer":
        assert decision.entry is not None
    if decision.status == "suggest":
        ids = [e.id for e in decision.suggestions]
        assert 1 <= len(ids) <= 3
        assert len(ids) >= min(2, len(index.search(text).candidates))
        assert len(set(ids)) == len(ids)
