"""Loader messages: whatever the wrong value, staff read French, with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, load

BAD_VALUES = [
    pytest.param("promotion: 3.5", "promotion", "sans virgule", id="fractional-promotion"),
    pytest.param("promotion: trois", "promotion", "nombre entier", id="text-promotion"),
    pytest.param("name: [a, b]", "name", "doit être un texte", id="list-name"),
    pytest.param("promotion: {a: 1}", "promotion", "nombre entier", id="mapping-promotion"),
]


@pytest.mark.parametrize(("line", "field", "says"), BAD_VALUES)
def test_wrong_values_get_a_french_message(
    tmp_path: Path, line: str, field: str, says: str
) -> None:
    entry = {"name": "name: Test", "promotion": "promotion: 3"}
    entry[field] = line
    (tmp_path / "defis.yaml").write_text(
        "- id: defi-test\n"
        f"  {entry['name']}\n"
        "  administration: Ministère\n"
        f"  {entry['promotion']}\n"
        "  questions: [salaire]\n"
        "  answer: Réponse.\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as caught:
        load(tmp_path)
    (problem,) = caught.value.problems
    text = str(problem)
    assert problem.field == field
    assert problem.line == (2 if field == "name" else 4)
    assert says in text
    assert "Input should" not in text
