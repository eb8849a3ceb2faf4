"""The staff's tests, `tests.yaml`: real questions and the entry each must land on, or `decline`.

The file is validated like the entries (French messages at file:line) but never loaded as
entries: `check` runs each question through the engine and warns about every miss.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from bot.knowledge.model import DECLINE, Problems, StaffTest
from bot.knowledge.schema import french_message
from bot.knowledge.yaml_source import item_line, key_lines, line_of, read

TESTS_FILE = "tests.yaml"
"""The file of the knowledge folder that holds the staff's tests."""

_SHAPE = (
    "le fichier des tests doit être une liste ; chaque test s'écrit « - question: … » puis, "
    f"en dessous, « expect: identifiant » (ou « expect: {DECLINE} »)"
)


class StaffTestModel(BaseModel):
    """One test as staff write it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    expect: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


TEST_FIELDS = tuple(StaffTestModel.model_fields)


def read_tests(path: Path, display: str, problems: Problems) -> list[StaffTest]:
    """The valid tests of `path`, every problem appended (an empty or absent file: none)."""
    node, data = read(path, display, problems)
    if data is None:
        return []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        problems.add(display, line_of(node) if node else 1, _SHAPE)
        return []
    tests: list[StaffTest] = []
    for item_node, item in zip(node.value, data, strict=True):
        test = _test_from(display, item_node, item, problems)
        if test is not None:
            tests.append(test)
    return tests


def _test_from(display: str, node: yaml.Node, item: Any, problems: Problems) -> StaffTest | None:
    line = line_of(node)
    if not isinstance(item, dict):
        problems.add(display, line, _SHAPE)
        return None
    keys = key_lines(node)
    try:
        model = StaffTestModel.model_validate(item)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else None
            where = item_line(keys[name], None) if name in keys else line
            message = french_message(error)
            if error["type"] == "extra_forbidden":
                close = difflib.get_close_matches(name or "", TEST_FIELDS, n=1, cutoff=0.5)
                hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
                message = f"champ inconnu{hint} (un test a deux champs : question et expect)"
            problems.add(display, where, message, field=name)
        return None
    return StaffTest(model.question, model.expect, display, line)


def check_expected(tests: list[StaffTest], known: Collection[str], problems: Problems) -> None:
    """A test that expects an entry no file names is an error (a typo, or a renamed entry)."""
    for test in tests:
        if test.expect == DECLINE or test.expect in known:
            continue
        close = difflib.get_close_matches(test.expect, list(known), n=1, cutoff=0.6)
        fix = (
            f"vouliez-vous dire « {close[0]} » ?"
            if close
            else "écrivez l'identifiant de l'entrée attendue, ou supprimez ce test"
        )
        problems.add(
            test.file,
            test.line,
            f"« {test.expect} » n'est l'identifiant d'aucune entrée : {fix} (ou « {DECLINE} » "
            "si le bot doit dire qu'il n'a pas de réponse)",
            field="expect",
        )
