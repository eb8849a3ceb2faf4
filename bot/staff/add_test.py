"""`unanswered --add-test "question" --expect ID`: one more staff test, once the bot passes it.

A question from the unanswered list becomes a test after staff fixed the base: the command
refuses a test the bot fails today (it says what the bot does instead), an unknown entry and a
question already tested. The file is rewritten whole through a temporary file, so the live
reload never reads half a line.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import yaml

from bot.config import Settings
from bot.engine import Index
from bot.engine.normalize import fold
from bot.knowledge import DECLINE, DECLINE_FILE, TESTS_FILE, StaffTest, load
from bot.staff.embeddings import cached_index
from bot.staff.expectations import passes, what_the_bot_does

HEADER = """\
# Tests de l'équipe : des questions réelles et l'entrée par laquelle le bot doit y répondre
# (expect: identifiant), ou « expect: decline » quand il doit dire qu'il n'a pas de réponse.
# python -m bot check les essaie tous et signale chaque question manquée.
"""
"""The start of a tests file that `--add-test` creates."""


class AddTestError(ValueError):
    """The test cannot be added; the message says why and what to do, in French."""


def yaml_text(text: str) -> str:
    """`text` as a YAML value: as typed when YAML reads it back unchanged, else quoted."""
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML string


def add_test(folder: Path, question: str, expect: str, settings: Settings | None = None) -> str:
    """Append the test to `folder`'s tests file; the French confirmation, or AddTestError."""
    question = " ".join(question.split())
    knowledge = load(folder)  # a KnowledgeError says what to fix first
    if expect != DECLINE and expect not in knowledge.by_id:
        close = difflib.get_close_matches(expect, list(knowledge.by_id), n=1, cutoff=0.6)
        hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
        raise AddTestError(f"aucune entrée n'a l'identifiant « {expect} »{hint}")
    for test in knowledge.tests:
        if fold(test.question) == fold(question):
            raise AddTestError(
                f"cette question est déjà testée ({test.file}:{test.line}, attendu "
                f"« {test.expect} »)"
            )
    path = folder / TESTS_FILE
    index = cached_index(knowledge, settings) if settings is not None else Index(knowledge)
    decision = index.decide(question)
    if not passes(StaffTest(question, expect, str(path), 0), decision):
        if expect == DECLINE:
            wanted, how = "dise qu'il n'a pas de réponse", f"en l'ajoutant à {DECLINE_FILE}"
        else:
            wanted = f"réponde avec « {expect} »"
            how = "en ajoutant cette formulation aux questions de l'entrée"
        raise AddTestError(
            f"{what_the_bot_does(decision)}. Corrigez d'abord la base pour qu'il {wanted} "
            f'(par exemple {how}), vérifiez avec python -m bot ask "{question}", puis relancez '
            "cette commande"
        )
    before = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if before and not before.endswith("\n"):
        before += "\n"
    added = f"\n- question: {yaml_text(question)}\n  expect: {expect}\n"
    temporary = path.with_name(f".{TESTS_FILE}.tmp")
    temporary.write_text(before + added, encoding="utf-8")
    os.replace(temporary, path)
    line = before.count("\n") + 2
    return f"Test ajouté : {path}:{line} « {question} » → {expect}."
