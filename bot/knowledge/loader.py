"""Read the staff-edited YAML knowledge folder, validate it, and build the `KnowledgeBase`.

Every `*.yaml` file in the folder is a list of entries, except `synonymes.yaml`, which maps a
word to the words people use for it. Problems are collected across all files and raised at once
in a `KnowledgeError`, each naming the file, line, entry id and field, in French.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.knowledge import markup
from bot.knowledge.model import DEFI_PREFIX, Entry, KnowledgeBase, KnowledgeError, Problems
from bot.knowledge.schema import DEFI_FIELDS, EntryModel, french_message
from bot.knowledge.yaml_source import (
    KeyLines,
    answer_line,
    item_line,
    item_lines,
    key_lines,
    line_of,
    read,
)

SYNONYMS_FILE = "synonymes.yaml"
DECLINE_FILE = "hors-sujet.yaml"
"""Questions the bot must decline although they look close to its domain (a list of texts)."""
SPECIAL_FILES = frozenset({SYNONYMS_FILE, DECLINE_FILE})


def load(directory: Path | str) -> KnowledgeBase:
    """Load and validate every YAML file of `directory`; raise KnowledgeError with all problems."""
    knowledge, problems = collect(directory)
    if problems:
        raise KnowledgeError(problems)
    return knowledge


def collect(directory: Path | str) -> tuple[KnowledgeBase, Problems]:
    """Read every YAML file of `directory`: the entries that are valid, and every problem found.

    `load` is the strict form; `check` uses this one to look for warnings in the valid entries
    even when other entries have errors.
    """
    folder = Path(directory)
    problems = Problems()
    if not folder.is_dir():
        problems.add(
            str(folder), None, "dossier introuvable ; vérifiez KNOWLEDGE_DIR ou --knowledge"
        )
        return KnowledgeBase(entries=()), problems
    entries: list[Entry] = []
    invalid_ids: set[str] = set()
    synonyms: dict[str, tuple[str, ...]] = {}
    declines: tuple[str, ...] = ()
    files = sorted(folder.glob("*.yaml"))
    for path in files:
        display = str(path)
        node, data = read(path, display, problems)
        if path.name == SYNONYMS_FILE:
            synonyms = _synonyms_from(display, node, data, problems)
        elif path.name == DECLINE_FILE:
            declines = _declines_from(display, node, data, problems)
        else:
            entries.extend(_entries_from(display, node, data, problems, invalid_ids))
    if not any(path.name not in SPECIAL_FILES for path in files):
        problems.add(str(folder), None, "aucun fichier .yaml d'entrées dans ce dossier")
    _cross_check(entries, invalid_ids, problems)
    return KnowledgeBase(entries=tuple(entries), synonyms=synonyms, declines=declines), problems


def _entries_from(
    display: str,
    node: yaml.Node | None,
    data: Any,
    problems: Problems,
    invalid_ids: set[str],
) -> list[Entry]:
    """The valid entries of one file; problems appended; ids of invalid entries to `invalid_ids`."""
    if data is None:
        return []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        problems.add(
            display,
            line_of(node) if node else 1,
            "le fichier doit être une liste d'entrées, chacune commençant par « - id: … »",
        )
        return []
    entries: list[Entry] = []
    for item_node, item in zip(node.value, data, strict=True):
        entry = _entry_from(display, item_node, item, problems, invalid_ids)
        if entry is not None:
            entries.append(entry)
    return entries


def _entry_from(
    display: str, node: yaml.Node, item: Any, problems: Problems, invalid_ids: set[str]
) -> Entry | None:
    """One entry, or None when it has a field error (every problem appended)."""
    line = line_of(node)
    if not isinstance(item, dict):
        problems.add(
            display, line, "chaque élément doit être une entrée avec id, questions et answer"
        )
        return None
    keys = key_lines(node)
    try:
        model = EntryModel.model_validate(item)
    except ValidationError as exc:
        raw_id = item.get("id")
        entry_id = raw_id.strip() if isinstance(raw_id, str) and raw_id.strip() else None
        if entry_id is not None:
            invalid_ids.add(entry_id)
        _field_problems(display, line, entry_id, keys, exc, problems)
        return None
    if model.id.startswith(DEFI_PREFIX):
        for name in DEFI_FIELDS:
            if getattr(model, name) is None:
                problems.add(
                    display,
                    line,
                    "champ obligatoire pour un défi (name, administration, promotion)",
                    entry_id=model.id,
                    field=name,
                )
    for message in markup.problems(model.answer):
        where = answer_line(keys.get("answer"), message) or line
        problems.add(display, where, message, entry_id=model.id, field="answer")
    return _entry(model, display, line, keys)


def _field_problems(
    display: str,
    line: int,
    entry_id: str | None,
    keys: KeyLines,
    error: ValidationError,
    problems: Problems,
) -> None:
    """Each pydantic error of one entry, at the line of the field (or list item) it is about."""
    for item in error.errors():
        loc = item["loc"]
        name = str(loc[0]) if loc else None
        where = line
        if name in keys:
            where = item_line(keys[name], loc[1] if len(loc) > 1 else None)
        problems.add(display, where, french_message(item), entry_id=entry_id, field=name)


def _entry(model: EntryModel, display: str, line: int, keys: KeyLines) -> Entry:
    return Entry(
        id=model.id,
        questions=tuple(model.questions),
        answer=model.answer,
        category=model.category,
        related=tuple(model.related),
        links=tuple(model.links),
        source=model.source,
        name=model.name,
        administration=model.administration,
        promotion=model.promotion,
        file=display,
        line=line,
        field_lines={name: key_line for name, (key_line, _) in keys.items()},
        question_lines=item_lines(keys.get("questions")),
    )


def _synonyms_from(
    display: str, node: yaml.Node | None, data: Any, problems: Problems
) -> dict[str, tuple[str, ...]]:
    if data is None:
        return {}
    shape = (
        "doit associer un mot à la liste des mots qui veulent dire la même chose, "
        "par exemple « salaire: [rémunération, paye] »"
    )
    if not isinstance(data, dict):
        problems.add(display, line_of(node) if node else 1, shape)
        return {}
    keys = key_lines(node)
    synonyms: dict[str, tuple[str, ...]] = {}
    for word, variants in data.items():
        where = keys[str(word)][0] if str(word) in keys else None
        if isinstance(variants, str):
            variants = [variants]
        if (
            not isinstance(word, str)
            or not isinstance(variants, list)
            or not all(isinstance(v, str) and v.strip() for v in variants)
        ):
            problems.add(display, where, shape, field=str(word))
            continue
        synonyms[word] = tuple(variants)
    return synonyms


def _declines_from(
    display: str, node: yaml.Node | None, data: Any, problems: Problems
) -> tuple[str, ...]:
    """The questions to decline: a list of texts, one per line starting with « - »."""
    if data is None:
        return ()
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    if not isinstance(data, list):
        problems.add(
            display,
            line_of(node) if node else 1,
            "doit être une liste de questions, une par ligne commençant par « - »",
        )
        return ()
    found: list[str] = []
    for item_node, item in zip(items, data, strict=False):
        if isinstance(item, str) and item.strip():
            found.append(item.strip())
        else:
            problems.add(
                display,
                line_of(item_node),
                "chaque élément doit être une question (un texte) ; mettez-la entre guillemets "
                "si elle contient « : »",
            )
    return tuple(found)


def _cross_check(entries: list[Entry], invalid_ids: Iterable[str], problems: Problems) -> None:
    """Checks that need every entry: unique ids, related ids that exist.

    A related id naming an entry that exists but has errors is not reported again: the fix
    belongs to that entry, and a "no such entry" message would send staff the wrong way.
    """
    known_invalid = set(invalid_ids)
    first: dict[str, Entry] = {}
    for entry in entries:
        if entry.id not in first:
            first[entry.id] = entry
            continue
        other = first[entry.id]
        problems.add(
            entry.file,
            entry.field_lines.get("id", entry.line),
            f"identifiant déjà utilisé dans {other.file}:{other.line} ; choisissez-en un autre",
            entry_id=entry.id,
            field="id",
        )
    for entry in entries:
        for related in entry.related:
            if related in first or related in known_invalid:
                continue
            close = difflib.get_close_matches(related, list(first), n=1, cutoff=0.6)
            hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
            problems.add(
                entry.file,
                entry.field_lines.get("related", entry.line),
                f"« {related} » n'est l'identifiant d'aucune entrée{hint}",
                entry_id=entry.id,
                field="related",
            )
