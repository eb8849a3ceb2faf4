"""Conversations: the last answer is remembered per chat, briefly, and only in memory."""

from __future__ import annotations

import io
import json
import sys

import pytest
from conftest import KNOWLEDGE_DIR

from bot.cli import main
from bot.engine import Dialogues, Index
from bot.engine.decision import MAX_CONTEXT


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_last_answer_is_remembered_per_conversation(index: Index) -> None:
    dialogues = Dialogues()
    decision = dialogues.decide(index, "a", "quel est le salaire d'un EIG ?")
    assert decision.status == "answer"
    assert dialogues.last("a") == decision.answered_ids
    assert dialogues.last("b") == ()


def test_a_conversation_is_forgotten_after_a_few_minutes() -> None:
    clock = Clock()
    dialogues = Dialogues(ttl=600, clock=clock)
    dialogues.remember("a", ["remuneration"])
    clock.now += 599
    assert dialogues.last("a") == ("remuneration",)
    clock.now += 2
    assert dialogues.last("a") == ()
    assert len(dialogues) == 0


def test_memory_is_bounded_and_forgets_the_least_recent_first() -> None:
    dialogues = Dialogues(capacity=3)
    for name in "abcd":
        dialogues.remember(name, ["contrat"])
    assert len(dialogues) == 3
    assert dialogues.last("a") == ()
    assert dialogues.last("d") == ("contrat",)


def test_nothing_given_leaves_the_memory_as_it_was() -> None:
    dialogues = Dialogues()
    dialogues.remember("a", ["contrat"])
    dialogues.remember("a", [])
    assert dialogues.last("a") == ("contrat",)


def test_ask_reads_conversations_from_json_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        json.dumps({"conversation": "c1", "text": "quel est le salaire ?"}),
        "le contrat",
        json.dumps({"conversation": "c2", "text": "c'est quoi DataJust ?"}),
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["--knowledge", str(KNOWLEDGE_DIR), "ask", "--json"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o.get("conversation") for o in out] == ["c1", None, "c2"]
    assert [o["query"] for o in out] == [
        "quel est le salaire ?",
        "le contrat",
        "c'est quoi DataJust ?",
    ]


def test_a_malformed_json_line_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO('salaire\n{"conversation": "c1"}\n'))
    assert main(["--knowledge", str(KNOWLEDGE_DIR), "ask", "--json"]) == 1
    assert "ligne 2" in capsys.readouterr().err


def test_choices_in_a_row_do_not_pile_up_what_a_follow_up_is_about(index: Index) -> None:
    """After a choice the previous topic stays (a follow-up may still be about it), but only the
    last few: choices in a row end by forgetting the first answer."""
    context: tuple[str, ...] = ("defi-plume",)
    for message in (
        "c'est pour qui",
        "infos sur l'argent",
        "c'est combien",
    ):
        offered = index.decide(message)
        assert offered.status == "suggest", message
        context = offered.context_after(context, index.knowledge)
        assert context[-1] == offered.offered_ids[0]
    assert len(context) == MAX_CONTEXT and "defi-plume" not in context
