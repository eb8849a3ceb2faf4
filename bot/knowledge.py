"""Read the staff-edited YAML knowledge base, validate it, and build frozen entries.

Every `*.yaml` file in the folder is a list of entries, except `synonymes.yaml`, which maps a
word to the words people use for it. Problems are collected across all files and raised at once
in a `KnowledgeError`, each naming the file, line, entry id and field, in French.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from bot import markup

SYNONYMS_FILE = "synonymes.yaml"
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DEFI_PREFIX = "defi-"

try:  # libyaml's C loader is several times faster; fall back to the pure-Python one.
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


Severity = Literal["erreur", "avertissement"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the knowledge base, located for a person with a text editor."""

    file: str
    line: int | None
    entry_id: str | None
    field: str | None
    message: str
    severity: Severity = "erreur"

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        parts = [place, self.entry_id or "-", self.field or "-", self.message]
        text = ": ".join(parts)
        return f"{text} (avertissement)" if self.severity == "avertissement" else text


class KnowledgeError(Exception):
    """The knowledge base could not be loaded; `problems` says every reason and where."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class Entry:
    """One answer and the questions it answers."""

    id: str
    questions: tuple[str, ...]
    answer: str
    category: str | None = None
    related: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    source: str | None = None
    name: str | None = None
    administration: str | None = None
    promotion: int | None = None
    file: str = ""
    line: int = 0
    field_lines: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False)
    """Line of each field in `file`, for messages that point at one field."""
    question_lines: tuple[int, ...] = field(default=(), compare=False, hash=False)
    """Line of each question in `file`, in the order of `questions` (empty if unknown)."""

    @property
    def title(self) -> str:
        """The first question: what buttons and suggestion lists show."""
        return self.questions[0]

    @property
    def is_defi(self) -> bool:
        return self.id.startswith(DEFI_PREFIX)


@dataclass(frozen=True)
class KnowledgeBase:
    """All entries and synonyms, validated; immutable once built."""

    entries: tuple[Entry, ...]
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    by_id: Mapping[str, Entry] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {entry.id: entry for entry in self.entries})

    def get(self, entry_id: str) -> Entry | None:
        return self.by_id.get(entry_id)

    def fingerprints(self) -> dict[str, str]:
        """A content hash per entry id, to tell what changed between two loads."""
        return {
            e.id: hashlib.sha256(
                repr(
                    (
                        e.questions,
                        e.answer,
                        e.related,
                        e.links,
                        e.category,
                        e.name,
                        e.administration,
                        e.promotion,
                    )
                ).encode()
            ).hexdigest()
            for e in self.entries
        }


NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _EntryModel(BaseModel):
    """The schema of one entry as staff write it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, StringConstraints(strip_whitespace=True, pattern=ID_PATTERN, max_length=40)]
    questions: Annotated[list[NonEmpty], Field(min_length=1)]
    answer: NonEmpty
    category: NonEmpty | None = None
    related: list[NonEmpty] = []
    links: list[Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]] = []
    source: NonEmpty | None = None
    name: NonEmpty | None = None
    administration: NonEmpty | None = None
    promotion: Annotated[int, Field(ge=1, le=20)] | None = None


KNOWN_FIELDS = tuple(_EntryModel.model_fields)
DEFI_FIELDS = ("name", "administration", "promotion")

_MESSAGES: dict[str, str] = {
    "missing": "champ obligatoire manquant ; ajoutez-le",
    "string_type": "doit être un texte ; mettez-le entre guillemets s'il le faut",
    "list_type": "doit être une liste, un élément par ligne commençant par « - »",
    "too_short": "la liste est vide ; ajoutez au moins un élément",
    "string_too_short": "est vide ; écrivez-y un texte",
    "string_too_long": "trop long : 40 caractères au plus",
    "int_type": "doit être un nombre entier (par exemple 3)",
    "int_parsing": "doit être un nombre entier (par exemple 3)",
    "int_from_float": "doit être un nombre entier, sans virgule (par exemple 3)",
    "greater_than_equal": "doit être un numéro de promotion (1, 2, 3…)",
    "less_than_equal": "doit être un numéro de promotion (1, 2, 3…)",
}


def _message(error: Any) -> str:
    kind = error["type"]
    loc = error["loc"]
    if kind == "extra_forbidden":
        name = str(loc[0])
        close = difflib.get_close_matches(name, KNOWN_FIELDS, n=1, cutoff=0.5)
        hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
        return f"champ inconnu{hint} (champs possibles : {', '.join(KNOWN_FIELDS)})"
    if kind == "string_pattern_mismatch":
        if loc[0] == "links":
            return "lien invalide : une adresse qui commence par https:// est attendue"
        return (
            "identifiant invalide : seulement des minuscules sans accents, des chiffres et des "
            "tirets (ex. : remuneration, defi-datajust)"
        )
    # pydantic's own messages are English: staff get a French one whatever the error type.
    return _MESSAGES.get(kind, "valeur invalide pour ce champ ; comparez avec un exemple du README")


def _construct(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse YAML text, keeping the node tree for line numbers."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _key_lines(node: yaml.Node) -> dict[str, tuple[int, yaml.Node]]:
    """For a mapping node: each key → (line of the key, value node)."""
    lines: dict[str, tuple[int, yaml.Node]] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            lines[str(key_node.value)] = (_line(key_node), value_node)
    return lines


def _item_lines(key: tuple[int, yaml.Node] | None) -> tuple[int, ...]:
    """The line of each item of a list field (empty when the field is not a YAML list)."""
    if key is None or not isinstance(key[1], yaml.SequenceNode):
        return ()
    return tuple(_line(item) for item in key[1].value)


_ANSWER_LINE = re.compile(r"^ligne (\d+) de la réponse")


def _answer_line(key: tuple[int, yaml.Node] | None, message: str) -> int | None:
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
        return _line(node) + int(match.group(1))
    if node.start_mark.line == node.end_mark.line:
        return _line(node)
    return key_line


def _read(path: Path, display: str, problems: list[Problem]) -> tuple[yaml.Node | None, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(
            Problem(
                display, None, None, None, "le fichier n'est pas en UTF-8 ; enregistrez-le en UTF-8"
            )
        )
        return None, None
    except OSError as exc:
        problems.append(Problem(display, None, None, None, f"lecture impossible : {exc.strerror}"))
        return None, None
    try:
        return _construct(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = f", colonne {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "syntaxe invalide"
        problems.append(
            Problem(
                display,
                line,
                None,
                None,
                f"YAML invalide{column} : {what} ; vérifiez l'indentation, les « - » et les « : », "
                "et mettez entre guillemets un texte qui contient « : »",
            )
        )
    except yaml.YAMLError as exc:
        problems.append(Problem(display, None, None, None, f"YAML invalide : {exc}"))
    return None, None


def _entries_from(
    display: str,
    node: yaml.Node | None,
    data: Any,
    problems: list[Problem],
    invalid_ids: set[str] | None = None,
) -> list[Entry]:
    """The valid entries of one file; problems appended; ids of invalid entries to `invalid_ids`."""
    if data is None:
        return []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        problems.append(
            Problem(
                display,
                _line(node) if node else 1,
                None,
                None,
                "le fichier doit être une liste d'entrées, chacune commençant par « - id: … »",
            )
        )
        return []
    entries: list[Entry] = []
    for item_node, item in zip(node.value, data, strict=True):
        line = _line(item_node)
        if not isinstance(item, dict):
            problems.append(
                Problem(
                    display,
                    line,
                    None,
                    None,
                    "chaque élément doit être une entrée avec id, questions et answer",
                )
            )
            continue
        keys = _key_lines(item_node)
        raw_id = item.get("id")
        entry_id = raw_id if isinstance(raw_id, str) and raw_id.strip() else None
        try:
            model = _EntryModel.model_validate(item)
        except ValidationError as exc:
            if entry_id is not None and invalid_ids is not None:
                invalid_ids.add(entry_id.strip())
            for error in exc.errors():
                loc = error["loc"]
                name = str(loc[0]) if loc else None
                where = line
                if name in keys:
                    where, value_node = keys[name]
                    if (
                        len(loc) > 1
                        and isinstance(loc[1], int)
                        and isinstance(value_node, yaml.SequenceNode)
                        and loc[1] < len(value_node.value)
                    ):
                        where = _line(value_node.value[loc[1]])
                problems.append(Problem(display, where, entry_id, name, _message(error)))
            continue
        if model.id.startswith(DEFI_PREFIX):
            for name in DEFI_FIELDS:
                if getattr(model, name) is None:
                    problems.append(
                        Problem(
                            display,
                            line,
                            model.id,
                            name,
                            "champ obligatoire pour un défi (name, administration, promotion)",
                        )
                    )
        for message in markup.problems(model.answer):
            where = _answer_line(keys.get("answer"), message) or line
            problems.append(Problem(display, where, model.id, "answer", message))
        entries.append(
            Entry(
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
                question_lines=_item_lines(keys.get("questions")),
            )
        )
    return entries


def _synonyms_from(
    display: str, node: yaml.Node | None, data: Any, problems: list[Problem]
) -> dict[str, tuple[str, ...]]:
    if data is None:
        return {}
    shape = (
        "doit associer un mot à la liste des mots qui veulent dire la même chose, "
        "par exemple « salaire: [rémunération, paye] »"
    )
    if not isinstance(data, dict):
        problems.append(Problem(display, _line(node) if node else 1, None, None, shape))
        return {}
    keys = _key_lines(node) if node else {}
    synonyms: dict[str, tuple[str, ...]] = {}
    for word, variants in data.items():
        where = keys.get(str(word), (None,))[0]
        if isinstance(variants, str):
            variants = [variants]
        if (
            not isinstance(word, str)
            or not isinstance(variants, list)
            or not all(isinstance(v, str) and v.strip() for v in variants)
        ):
            problems.append(Problem(display, where, None, str(word), shape))
            continue
        synonyms[word] = tuple(variants)
    return synonyms


def load(directory: Path | str) -> KnowledgeBase:
    """Load and validate every YAML file of `directory`; raise KnowledgeError with all problems."""
    knowledge, problems = collect(directory)
    if problems:
        raise KnowledgeError(problems)
    return knowledge


def collect(directory: Path | str) -> tuple[KnowledgeBase, list[Problem]]:
    """Read every YAML file of `directory`: the entries that are valid, and every problem found.

    `load` is the strict form; `check` uses this one to look for warnings in the valid entries
    even when other entries have errors.
    """
    folder = Path(directory)
    problems: list[Problem] = []
    if not folder.is_dir():
        problems.append(
            Problem(
                str(folder),
                None,
                None,
                None,
                "dossier introuvable ; vérifiez KNOWLEDGE_DIR ou --knowledge",
            )
        )
        return KnowledgeBase(entries=()), problems
    entries: list[Entry] = []
    invalid_ids: set[str] = set()
    synonyms: dict[str, tuple[str, ...]] = {}
    files = sorted(folder.glob("*.yaml"))
    for path in files:
        display = str(path)
        node, data = _read(path, display, problems)
        if path.name == SYNONYMS_FILE:
            synonyms = _synonyms_from(display, node, data, problems)
        else:
            entries.extend(_entries_from(display, node, data, problems, invalid_ids))
    if not any(path.name != SYNONYMS_FILE for path in files):
        problems.append(
            Problem(str(folder), None, None, None, "aucun fichier .yaml d'entrées dans ce dossier")
        )
    problems.extend(_cross_checks(entries, invalid_ids))
    return KnowledgeBase(entries=tuple(entries), synonyms=synonyms), problems


def _cross_checks(entries: list[Entry], invalid_ids: Iterable[str] = ()) -> list[Problem]:
    """Checks that need every entry: unique ids, related ids that exist.

    A related id naming an entry that exists but has errors is not reported again: the fix
    belongs to that entry, and a "no such entry" message would send staff the wrong way.
    """
    known_invalid = set(invalid_ids)
    problems: list[Problem] = []
    first: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in first:
            other = first[entry.id]
            problems.append(
                Problem(
                    entry.file,
                    entry.field_lines.get("id", entry.line),
                    entry.id,
                    "id",
                    f"identifiant déjà utilisé dans {other.file}:{other.line} ; "
                    "choisissez-en un autre",
                )
            )
        else:
            first[entry.id] = entry
    for entry in entries:
        for related in entry.related:
            if related not in first and related not in known_invalid:
                close = difflib.get_close_matches(related, list(first), n=1, cutoff=0.6)
                hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
                problems.append(
                    Problem(
                        entry.file,
                        entry.field_lines.get("related", entry.line),
                        entry.id,
                        "related",
                        f"« {related} » n'est l'identifiant d'aucune entrée{hint}",
                    )
                )
    return problems
