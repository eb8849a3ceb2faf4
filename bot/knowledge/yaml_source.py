"""Read one YAML file for the loader: its node tree (for line numbers) and its data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge import files, yaml_errors, yaml_shape
from bot.knowledge.model import Problems

try:  # libyaml's C loader is several times faster; fall back to the pure-Python one.
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

KeyLines = dict[str, tuple[int, yaml.Node]]
"""For a mapping node: each key → (line of the key, value node)."""


def _construct(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse YAML text, keeping the node tree for line numbers."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def read(path: Path, display: str, problems: Problems) -> tuple[yaml.Node | None, Any]:
    """The node tree and data of one file; (None, None) with a problem when it cannot be read."""
    try:
        text = files.read_text(path)
    except UnicodeDecodeError as exc:
        _not_utf8(exc, display, problems)
        return None, None
    except OSError as exc:
        problems.add(display, None, f"lecture impossible : {exc.strerror}")
        return None, None
    try:
        node, data = _construct(text)
    except yaml.YAMLError as exc:
        found = yaml_errors.describe(exc, text)
        problems.add(display, found.line, found.message, column=found.column)
        problems.unparsed_ids.update(yaml_errors.entry_ids(text))
        return None, None
    for found in yaml_shape.problems(node, text):
        problems.add(display, found.line, found.message, column=found.column)
    return node, data


def _not_utf8(error: UnicodeDecodeError, display: str, problems: Problems) -> None:
    """A file saved in another encoding (Latin-1, Windows): the line of its first unreadable
    character, how to save it again, and its ids noted (a link to one is not a second error)."""
    raw = bytes(error.object)
    problems.add(
        display,
        raw.count(b"\n", 0, error.start) + 1,
        "le fichier n'est pas enregistré en UTF-8 : le premier caractère illisible est sur "
        "cette ligne (souvent une lettre accentuée). Dans votre éditeur, « Enregistrer sous » "
        "en choisissant l'encodage UTF-8",
    )
    problems.unparsed_ids.update(yaml_errors.entry_ids(raw.decode("utf-8", errors="replace")))


def line_of(node: yaml.Node) -> int:
    """The 1-based line a node starts on."""
    return int(node.start_mark.line) + 1


def key_lines(node: yaml.Node | None) -> KeyLines:
    """For a mapping node: each key → (line of the key, value node); empty for anything else."""
    lines: KeyLines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            lines[str(key_node.value)] = (line_of(key_node), value_node)
    return lines


def item_lines(key: tuple[int, yaml.Node] | None) -> tuple[int, ...]:
    """The line of each item of a list field (empty when the field is not a YAML list)."""
    if key is None or not isinstance(key[1], yaml.SequenceNode):
        return ()
    return tuple(line_of(item) for item in key[1].value)


def item_line(key: tuple[int, yaml.Node], position: object) -> int:
    """The line of item `position` of a list field, or the field's own line."""
    key_line, node = key
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    if isinstance(position, int) and 0 <= position < len(items):
        return line_of(items[position])
    return key_line


_ANSWER_LINE = re.compile(r"^ligne (\d+) de la réponse")


def answer_line(key: tuple[int, yaml.Node] | None, message: str) -> int | None:
    """The file line a mark-up problem is on, when the answer's lines are the file's lines.

    That holds for a one-line answer and for a literal block (`answer: |`); a folded or
    multi-line plain scalar joins lines, so the problem is then placed on the `answer:` key.
    """
    if key is None:
        return None
    key_line, node = key
    match = _ANSWER_LINE.match(message)
    if not isinstance(node, yaml.ScalarNode) or match is None:
        return key_line
    if node.style == "|":
        return line_of(node) + int(match.group(1))
    if node.start_mark.line == node.end_mark.line:
        return line_of(node)
    return key_line


def value_node(key: tuple[int, yaml.Node], position: object) -> yaml.Node:
    """The node of item `position` of a list field, or the field's value node."""
    node = key[1]
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    if isinstance(position, int) and 0 <= position < len(items):
        found: yaml.Node = items[position]
        return found
    return node


def typed_text(node: yaml.Node) -> str | None:
    """A one-line text that YAML read as « key: value » (a colon followed by a space), as it
    was typed: the spaces before the colon are kept (French writes « Contrat : CDD »)."""
    if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
        return None
    key, value = node.value[0]
    if not (isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)):
        return None
    if not value.value:
        return f"{key.value}:"
    if key.end_mark.line != value.start_mark.line:
        return None
    gap = value.start_mark.column - key.end_mark.column  # the colon and the spaces around it
    return f"{key.value}{' ' * max(0, gap - 2)}: {value.value}"
