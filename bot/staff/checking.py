"""`python -m bot check`: every problem of the knowledge folder, or those of some files or an entry.

The whole folder is always read (a duplicate id or a link needs every file); narrowing only
chooses what is shown. The verdict is the whole base's: with an error anywhere, the bot keeps
its last valid base, and the summary says how many problems the narrowing hid.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.knowledge import KnowledgeBase, Problem, collect
from bot.knowledge.committed import committed_ids
from bot.staff.embeddings import cached_index
from bot.staff.lint import warnings


class ScopeError(ValueError):
    """A file or an entry to narrow the report to that the base does not have (French)."""


def plural(count: int, word: str) -> str:
    """'0 erreur', '1 erreur', '2 erreurs' (French: 0 and 1 take the singular)."""
    return f"{count} {word}{'s' if count > 1 else ''}"


def _counts(problems: Sequence[Problem]) -> str:
    errors = sum(1 for p in problems if p.severity == "erreur")
    return f"{plural(errors, 'erreur')}, {plural(len(problems) - errors, 'avertissement')}"


@dataclass(frozen=True)
class Scope:
    """What to show: problems of these files, or of this entry; everything when empty."""

    files: tuple[Path, ...] = ()
    entry: str | None = None
    names: tuple[str, ...] = ()
    """The files as the report names them (the folder's path, then the file's name)."""

    def __bool__(self) -> bool:
        return bool(self.files or self.entry)

    def shows(self, problem: Problem) -> bool:
        if self.entry is not None and problem.entry_id != self.entry:
            return False
        return not self.files or Path(problem.file).resolve() in self.files

    def label(self) -> str:
        if self.entry is not None:
            return f"Pour l'entrée « {self.entry} »"
        return "Dans " + ", ".join(self.names)


def scope_of(folder: Path, files: Sequence[str], entry: str | None) -> Scope:
    """The files (given as paths, or as names in `folder`) resolved; ScopeError if one is not
    a YAML file of `folder`."""
    resolved: list[Path] = []
    for name in files:
        path = Path(name) if Path(name).exists() else folder / name
        in_folder = path.resolve().parent == folder.resolve()
        if not (path.is_file() and in_folder and path.suffix == ".yaml"):
            raise ScopeError(
                f"« {name} » n'est pas un fichier .yaml du dossier {folder} ; donnez un fichier "
                f"du dossier de la base, par exemple {folder / 'defis.yaml'}"
            )
        resolved.append(path.resolve())
    return Scope(tuple(resolved), entry, tuple(str(folder / path.name) for path in resolved))


@dataclass(frozen=True)
class CheckReport:
    """The problems of a base, those shown, and the lines `check` prints."""

    knowledge: KnowledgeBase
    problems: tuple[Problem, ...]
    """Errors (file then line order), then warnings."""
    scope: Scope
    engine_checked: bool
    """False when errors kept the engine's checks (phrasings, staff tests) from running."""

    @property
    def valid(self) -> bool:
        return not any(p.severity == "erreur" for p in self.problems)

    @property
    def shown(self) -> list[Problem]:
        return [p for p in self.problems if self.scope.shows(p)]

    def lines(self) -> list[str]:
        lines = [str(p) for p in self.shown]
        if self.scope:
            lines.append(f"{self.scope.label()} : {_counts(self.shown)}.")
            hidden = [p for p in self.problems if not self.scope.shows(p)]
            if hidden:
                lines.append(
                    f"Ailleurs dans la base : {_counts(hidden)} (python -m bot check sans "
                    "fichier ni --entry pour tout voir)."
                )
        lines.append(self._verdict())
        return lines

    def _verdict(self) -> str:
        warned = sum(1 for p in self.problems if p.severity == "avertissement")
        if not self.valid:
            later = (
                ""
                if self.engine_checked
                else " Les formulations et les tests de tests.yaml seront essayés une fois les "
                "erreurs corrigées."
            )
            return (
                f"Base non valide : {_counts(self.problems)}. Corrigez les erreurs : tant qu'il y "
                f"en a, le bot garde la dernière base valide.{later}"
            )
        contents = (
            f"{plural(len(self.knowledge.entries), 'entrée')}, "
            f"{plural(len(self.knowledge.synonyms), 'groupe')} de synonymes, "
            f"{plural(len(self.knowledge.tests), 'test')}"
        )
        if warned:
            return (
                f"Base valide ({contents}) avec {plural(warned, 'avertissement')} : le bot "
                "fonctionne, mais certaines questions seront mal comprises."
            )
        return f"Base valide ({contents}), aucun avertissement."


def check(
    folder: Path,
    files: Sequence[str] = (),
    entry: str | None = None,
    settings: Settings | None = None,
) -> CheckReport:
    """Read and check the whole folder; ScopeError for a file or entry it does not have.

    With `settings`, the engine keeps its sentence embeddings in their cache folder.
    """
    knowledge, errors = collect(folder)
    scope = scope_of(folder, files, entry)
    if entry is not None:
        why = unknown_entry(entry, knowledge, errors)
        if why is not None:
            raise ScopeError(why)
    engine = not errors and bool(knowledge.entries)
    index = cached_index(knowledge, settings) if engine and settings is not None else None
    warned = warnings(knowledge, index, engine=engine) if knowledge.entries else []
    if knowledge.entries:
        warned = [*vanished_ids(folder, knowledge, errors), *warned]
    problems = (*sorted(errors, key=lambda p: (p.file, p.line or 0)), *warned)
    return CheckReport(knowledge, problems, scope, engine)


def vanished_ids(
    folder: Path, knowledge: KnowledgeBase, errors: Sequence[Problem]
) -> list[Problem]:
    """A warning per id of the last git commit that no entry has any more: a renamed entry
    breaks the direct links (`?start=id`) already shared and the buttons already sent. Nothing
    without git; an entry with an error still has its id."""
    before = committed_ids(folder)
    if not before:
        return []
    now = {e.id for e in knowledge.entries} | {p.entry_id for p in errors if p.entry_id}
    return [
        Problem(
            str(folder / before[gone]),
            None,
            gone,
            "id",
            f"l'identifiant « {gone} », présent dans la dernière version enregistrée dans git, "
            f"n'existe plus : les liens directs (?start={gone}) et les boutons déjà envoyés vers "
            "cette entrée ne marchent plus. Si vous l'avez renommée, remettez cet identifiant ; "
            "si vous l'avez supprimée exprès, ignorez cet avertissement",
            "avertissement",
        )
        for gone in sorted(set(before) - now)
    ]


def unknown_entry(entry: str, knowledge: KnowledgeBase, problems: Sequence[Problem]) -> str | None:
    """Why `entry` names nothing in the base (with the closest id); None when it names one."""
    known = {e.id for e in knowledge.entries} | {p.entry_id for p in problems if p.entry_id}
    if entry in known:
        return None
    close = difflib.get_close_matches(entry, sorted(known), n=1, cutoff=0.6)
    hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
    return f"aucune entrée n'a l'identifiant « {entry} »{hint}"
