"""Layout mistakes that YAML accepts but that change the text: said as errors, in French.

A list item shifted by one space more than the others is read as the end of the line above
(« salaire - salaire eig »); a « # » after a question starts a comment that cuts it short; an
answer written on several lines without « | » loses its line breaks and lists; quotes typed by
a word processor (« “ ” ») are letters of the text, not quotes; a field written twice in one
entry keeps only the second (the first one's questions are lost). The file parses,
so `bot.knowledge.yaml_errors` never sees these: this module reads the node tree for them.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from bot.knowledge.yaml_errors import (
    GLUED_DASH,
    SyntaxProblem,
    dash_without_space,
    quoted,
    typographic_inside,
)

TEXT_FIELDS = frozenset({"questions", "answer", "name", "administration"})
"""Fields whose values are text that people read or type: a « # » there is meant as text."""

DECLINES = "hors-sujet"
"""A scalar straight in a top-level list is a question to decline (`hors-sujet.yaml`)."""

QUOTED_PREVIEW = 60
"""Characters of a text quoted back in a message (enough to recognise it)."""


def problems(node: yaml.Node | None, text: str) -> list[SyntaxProblem]:
    """Every layout mistake of one parsed file, in line order."""
    lines = text.splitlines()
    found: list[SyntaxProblem] = []
    for scalar, field, key_row in _scalars(node, DECLINES, 0):
        if scalar.style:
            continue  # quoted or a block: typed as meant (plain is None, or "" from libyaml)
        glued = _glued_item(scalar, lines)
        if field == "answer" and scalar.start_mark.line != scalar.end_mark.line:
            found.append(_flattened_answer(key_row))  # its « - » lines are a list, not items
        elif glued is not None:
            found.append(glued)
        if field in TEXT_FIELDS or field == DECLINES:
            cut = _comment_after(scalar, lines)
            if cut is not None:
                found.append(cut)
        inside = typographic_inside(scalar.value)
        if inside is not None:
            found.append(_typographic(scalar, inside))
    found.extend(_written_twice(node))
    return sorted(found, key=lambda p: p.line or 0)


def _written_twice(node: yaml.Node | None) -> Iterator[SyntaxProblem]:
    """A key written a second time in the same mapping (« questions: » twice in one entry, a
    word twice in the synonyms): YAML keeps the last value and drops the first silently."""
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _written_twice(item)
    elif isinstance(node, yaml.MappingNode):
        first_rows: dict[str, int] = {}
        for key, value in node.value:
            name, row = str(key.value), key.start_mark.line + 1
            if name in first_rows:
                yield SyntaxProblem(
                    row,
                    key.start_mark.column + 1,
                    f"« {name}: » est écrit deux fois au même niveau (lignes {first_rows[name]} "
                    f"et {row}) : YAML ne garde que le second, et ce qui suit le premier serait "
                    f"perdu. Réunissez les deux sous un seul « {name}: »",
                )
            else:
                first_rows[name] = row
            yield from _written_twice(value)


def _scalars(
    node: yaml.Node | None, field: str, key_row: int
) -> Iterator[tuple[yaml.ScalarNode, str, int]]:
    """Each scalar of the tree with the field it is the value (or a list item) of, and the row
    of that field's key."""
    if isinstance(node, yaml.ScalarNode):
        yield node, field, key_row
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item, field, key_row)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(value, str(key.value), key.start_mark.line)


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= QUOTED_PREVIEW else flat[: QUOTED_PREVIEW - 1] + "…"


def _glued_item(scalar: yaml.ScalarNode, lines: list[str]) -> SyntaxProblem | None:
    """A « - » line read as the continuation of the text above it."""
    first = scalar.start_mark.line
    if first < len(lines) and GLUED_DASH.match(lines[first].strip()):
        return SyntaxProblem(  # « -Où… » then « - lieu »: the first item lacks its space
            first + 1, scalar.start_mark.column + 1, dash_without_space(lines[first])
        )
    for row in range(first + 1, min(scalar.end_mark.line, len(lines) - 1) + 1):
        line = lines[row]
        if line.lstrip().startswith("-"):
            column = len(line) - len(line.lstrip())
            return SyntaxProblem(
                row + 1,
                column + 1,
                f"ce « - » est décalé de {column} espaces : YAML lit la ligne comme la suite "
                f"du texte de la ligne {first + 1} (« {_preview(scalar.value)} ») et non comme "
                "un nouvel élément ; alignez ce « - » exactement sous ceux du dessus",
            )
    return None


def _flattened_answer(key_row: int) -> SyntaxProblem:
    return SyntaxProblem(
        key_row + 1,
        None,
        "la réponse s'étend sur plusieurs lignes sans « | » : YAML la lit comme une seule ligne "
        "(retours à la ligne et listes perdus). Écrivez « answer: | » sur cette ligne, puis le "
        "texte en dessous, décalé de 4 espaces",
    )


def _typographic(scalar: yaml.ScalarNode, inside: str) -> SyntaxProblem:
    """A value wrapped in quotes from a word processor: they would be part of the text (on the
    buttons, in the menu), and a category so written names no theme."""
    return SyntaxProblem(
        scalar.start_mark.line + 1,
        scalar.start_mark.column + 1,
        f"« {_preview(scalar.value)} » est entouré de guillemets typographiques : YAML ne les "
        "compte pas comme des guillemets, ils feraient partie du texte. Retirez-les, ou mettez "
        f"des guillemets droits : {quoted(inside)}",
    )


def _comment_after(scalar: yaml.ScalarNode, lines: list[str]) -> SyntaxProblem | None:
    """A « # » after a text on its line: YAML drops it and what follows as a comment."""
    row = scalar.end_mark.line
    rest = lines[row][scalar.end_mark.column :] if row < len(lines) else ""
    if not rest.lstrip().startswith("#"):
        return None
    whole = f"{scalar.value}{rest.rstrip()}"
    return SyntaxProblem(
        row + 1,
        scalar.end_mark.column + len(rest) - len(rest.lstrip()) + 1,
        f"« # » après une espace commence un commentaire : « {_preview(rest.strip())} » est "
        f"ignoré et le texte s'arrête à « {_preview(scalar.value)} ». Si le # fait partie du "
        f'texte, mettez tout le texte entre guillemets : "{whole}" ; un commentaire se met sur '
        "sa propre ligne",
    )
