"""Read the staff-edited YAML knowledge folder, validate it, and build the `KnowledgeBase`.

Every `*.yaml` file in the folder is a list of entries, except `synonymes.yaml`, which maps a
word to the words people use for it, and `tests.yaml`, the staff's tests. Problems are collected
across all files and raised at once in a `KnowledgeError`, each naming the file, line, entry id
and field, in French. A file that cannot be parsed is one problem: the ids written in it still
count as existing, so links into it are not reported as errors of other files.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.knowledge import duplicates, markup, overview
from bot.knowledge.duplicates import IdLine
from bot.knowledge.files import folder_problem
from bot.knowledge.model import (
    DEFI_PREFIX,
    Entry,
    FieldLines,
    KnowledgeBase,
    KnowledgeError,
    Problems,
)
from bot.knowledge.schema import DEFI_FIELDS, EntryModel, french_message
from bot.knowledge.staff_tests import TESTS_FILE, check_expected, read_tests
from bot.knowledge.topics import category_problem, promotion_problem
from bot.knowledge.yaml_source import (
    KeyLines,
    answer_line,
    item_line,
    item_lines,
    key_lines,
    line_of,
    read,
    typed_text,
    value_node,
)

SYNONYMS_FILE = "synonymes.yaml"
DECLINE_FILE = "hors-sujet.yaml"
"""Questions the bot must decline although they look close to its domain (a list of texts)."""
SPECIAL_FILES = frozenset({SYNONYMS_FILE, DECLINE_FILE})
EMPTY_FILE = (
    "fichier vide (ou fait seulement de commentaires) : s'il a été vidé par erreur, reprenez "
    "sa version précédente ; pour retirer ses entrées, supprimez le fichier lui-même"
)
"""An emptied file is an error, not a base without its entries: a slip of the editor (select
all, type) must not delete answers silently; removing entries on purpose removes the file."""


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
    seen = _Seen()
    synonyms: dict[str, tuple[str, ...]] = {}
    declines: tuple[str, ...] = ()
    files = sorted(folder.glob("*.yaml"))
    too_much = folder_problem(files)
    if too_much is not None:
        problems.add(str(folder), None, too_much)
        return KnowledgeBase(entries=()), problems
    for path in files:
        if path.name == TESTS_FILE:
            continue
        display = str(path)
        before = len(problems)
        node, data = read(path, display, problems)
        if node is None and len(problems) == before:
            problems.add(display, None, EMPTY_FILE)
        elif path.name == SYNONYMS_FILE:
            synonyms = _synonyms_from(display, node, data, problems)
        elif path.name == DECLINE_FILE:
            declines = _declines_from(display, node, data, problems)
        else:
            entries.extend(_entries_from(path, display, node, data, problems, seen))
    if not any(path.name not in (*SPECIAL_FILES, TESTS_FILE) for path in files):
        problems.add(str(folder), None, "aucun fichier .yaml d'entrées dans ce dossier")
    duplicates.report(seen.ids, problems)
    known = {entry.id for entry in entries} | seen.invalid | problems.unparsed_ids
    _check_related(entries, known, problems)
    tests = []
    if (folder / TESTS_FILE).is_file():
        tests = read_tests(folder / TESTS_FILE, str(folder / TESTS_FILE), problems)
        check_expected(tests, known, problems)
    return (
        KnowledgeBase(
            entries=tuple(overview.expand(entries)),
            synonyms=synonyms,
            tests=tuple(tests),
            declines=declines,
        ),
        problems,
    )


class _Seen:
    """Every id written in the files read so far, valid entry or not."""

    def __init__(self) -> None:
        self.ids: list[IdLine] = []
        self.invalid: set[str] = set()
        """Ids of entries with an error: they exist, their problem is reported once."""


def _entries_from(
    path: Path,
    display: str,
    node: yaml.Node | None,
    data: Any,
    problems: Problems,
    seen: _Seen,
) -> list[Entry]:
    """The valid entries of one file; problems appended; every id noted in `seen`."""
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
        entry = _entry_from(path, display, item_node, item, problems, seen)
        if entry is not None:
            entries.append(entry)
    return entries


def _entry_from(
    path: Path, display: str, node: yaml.Node, item: Any, problems: Problems, seen: _Seen
) -> Entry | None:
    """One entry, or None when it has a field error (every problem appended)."""
    line = line_of(node)
    if not isinstance(item, dict):
        problems.add(
            display, line, "chaque élément doit être une entrée avec id, questions et answer"
        )
        return None
    keys = key_lines(node)
    raw_id = item.get("id")
    entry_id = raw_id.strip() if isinstance(raw_id, str) and raw_id.strip() else None
    if entry_id is not None:
        seen.ids.append(IdLine(entry_id, path, display, keys["id"][0] if "id" in keys else line))
    try:
        model = EntryModel.model_validate(item)
    except ValidationError as exc:
        if entry_id is not None:
            seen.invalid.add(entry_id)
        _field_problems(display, line, entry_id, keys, exc, problems)
        return None
    _value_problems(model, display, line, keys, problems)
    return _entry(model, display, line, keys)


def _value_problems(
    model: EntryModel, display: str, line: int, keys: KeyLines, problems: Problems
) -> None:
    """Checks on valid fields: défi fields, category, promotion, the answer's mark-up."""

    def at(name: str) -> int:
        return keys[name][0] if name in keys else line

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
    for name, message in (
        ("category", model.category and category_problem(model.category)),
        ("promotion", model.promotion is not None and promotion_problem(model.promotion)),
    ):
        if message:
            problems.add(display, at(name), message, entry_id=model.id, field=name)
    for message in markup.problems(model.answer):
        where = answer_line(keys.get("answer"), message) or line
        problems.add(display, where, message, entry_id=model.id, field="answer")


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
        where, typed = line, None
        if name in keys:
            position = loc[1] if len(loc) > 1 else None
            where = item_line(keys[name], position)
            typed = typed_text(value_node(keys[name], position))
        problems.add(display, where, french_message(item, typed), entry_id=entry_id, field=name)


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
        theme=model.theme,
        file=display,
        line=line,
        field_lines=FieldLines({name: key_line for name, (key_line, _) in keys.items()}),
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
    _synonym_clashes(display, node, synonyms, problems)
    return synonyms


def _synonym_clashes(
    display: str, node: yaml.Node | None, synonyms: dict[str, tuple[str, ...]], problems: Problems
) -> None:
    """A word on the right that is itself a word on the left of another line: « mutuelle:
    [complémentaire santé, salaire] » would make the bot read every « salaire » as « mutuelle »."""
    keys = key_lines(node)
    heads = {overview.accentless(word).strip(): word for word in synonyms}
    for word, variants in synonyms.items():
        for position, variant in enumerate(variants):
            other = heads.get(overview.accentless(variant).strip())
            if other is None or other == word:
                continue
            line = item_line(keys[word], position) if word in keys else None
            problems.add(
                display,
                line,
                f"« {variant} » est déjà un mot de gauche (« {other}: ») : ici, il ferait lire "
                f"chaque « {variant} » comme « {word} » ; retirez-le de cette liste",
                field=word,
            )


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


def _related_repeats(entry: Entry, problems: Problems) -> None:
    """An entry related to itself, or to the same entry twice: « Voir aussi » would show a
    button to the page on screen, or two identical buttons."""
    line = entry.field_lines.get("related", entry.line)
    if entry.id in entry.related:
        problems.add(
            entry.file,
            line,
            f"« {entry.id} » est l'identifiant de cette entrée même : « Voir aussi » proposerait "
            "la page déjà affichée ; retirez-le de « related »",
            entry_id=entry.id,
            field="related",
        )
    for twice in sorted({r for r in entry.related if entry.related.count(r) > 1} - {entry.id}):
        problems.add(
            entry.file,
            line,
            f"« {twice} » figure plusieurs fois dans « related » : gardez-le une seule fois",
            entry_id=entry.id,
            field="related",
        )


def _check_related(entries: list[Entry], known: set[str], problems: Problems) -> None:
    """Related ids must name an entry, once, and not the entry itself.

    `known` holds the ids of valid entries, of entries with errors and of files that could not
    be parsed: a link to one of those is not reported again, since the fix belongs to that
    entry or file, and a "no such entry" message would send staff the wrong way.
    """
    valid = sorted({entry.id for entry in entries})
    for entry in entries:
        _related_repeats(entry, problems)
        for related in entry.related:
            if related in known:
                continue
            others = [i for i in valid if i != entry.id]  # not a link to itself
            close = difflib.get_close_matches(related, others, n=1, cutoff=0.6)
            hint = (
                f" ; vouliez-vous dire « {close[0]} » ?"
                if close
                else " ; retirez-le de « related », ou écrivez l'identifiant d'une autre entrée"
            )
            problems.add(
                entry.file,
                entry.field_lines.get("related", entry.line),
                f"« {related} » n'est l'identifiant d'aucune entrée{hint}",
                entry_id=entry.id,
                field="related",
            )
