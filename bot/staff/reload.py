"""Live reload: validate the knowledge folder, swap the index if valid, say what changed.

A broken edit never replaces the base being served: `reload` loads and indexes the whole folder
first, and swaps only a complete new index into the `IndexHolder`. `FolderWatcher` notices edits
by polling file times and sizes (no extra dependency; a poll every few seconds costs one `stat`
per YAML file).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from bot.engine import Index
from bot.knowledge import KnowledgeBase, KnowledgeError, Problem, load
from bot.staff.holder import IndexHolder

logger = logging.getLogger(__name__)

WATCH_INTERVAL = 3.0
"""Seconds between two looks at the folder: an edit is live 3 to 6 seconds after it is saved."""

Snapshot = dict[str, tuple[int, int]]
"""File name → (modification time in ns, size), for every YAML file of the folder."""

_LOCK = threading.Lock()  # two reloads at once would compute their diffs against the same base


@dataclass(frozen=True, slots=True)
class Changes:
    """What differs between two knowledge bases, by entry id."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    synonyms: bool = False
    """Whether synonymes.yaml changed."""
    declines: bool = False
    """Whether hors-sujet.yaml (the questions to decline) changed."""

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.modified or self.synonyms or self.declines)


def diff(old: KnowledgeBase, new: KnowledgeBase) -> Changes:
    """Entries added, removed and modified from `old` to `new` (ids in file order)."""
    before, after = old.fingerprints(), new.fingerprints()
    return Changes(
        added=tuple(i for i in after if i not in before),
        removed=tuple(i for i in before if i not in after),
        modified=tuple(i for i in after if i in before and before[i] != after[i]),
        synonyms=dict(old.synonyms) != dict(new.synonyms),
        declines=old.declines != new.declines,
    )


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """The outcome of one reload."""

    ok: bool
    changes: Changes
    problems: tuple[Problem, ...]
    """Why the new base was refused (empty when `ok`)."""
    entries: int
    """Entries in the base now being served (the new one, or the old one kept)."""

    def lines(self) -> list[str]:
        """The outcome in French, for an admin: what changed, or every error with its place."""
        if not self.ok:
            errors = [p for p in self.problems if p.severity == "erreur"]
            count = len(errors)
            return [
                f"Rechargement refusé : {count} erreur{'s' if count > 1 else ''} dans la base de "
                f"connaissances. Le bot continue avec la base précédente ({self.entries} "
                "entrées). Corrigez ces lignes, puis enregistrez :",
                *(str(p) for p in self.problems),
            ]
        if self.changes.empty:
            return [f"Base rechargée ({self.entries} entrées) : aucun changement."]

        def names(ids: tuple[str, ...]) -> str:
            return ", ".join(ids) if ids else "aucune"

        lines = [
            f"Base rechargée ({self.entries} entrées).",
            f"Ajoutées : {names(self.changes.added)}",
            f"Supprimées : {names(self.changes.removed)}",
            f"Modifiées : {names(self.changes.modified)}",
        ]
        if self.changes.synonyms:
            lines.append("Synonymes modifiés.")
        if self.changes.declines:
            lines.append("Questions hors sujet modifiées.")
        return lines


def reload(holder: IndexHolder, knowledge_dir: Path | str) -> ReloadResult:
    """Load and index `knowledge_dir`; swap it in only if it is entirely valid."""
    with _LOCK:
        current = holder.index
        try:
            knowledge = load(knowledge_dir)
        except KnowledgeError as exc:
            return ReloadResult(False, Changes(), exc.problems, len(current.entries))
        index = Index(
            knowledge,
            model=current.model,
            encoder=current.semantic.encoder,
            store=current.semantic.store,
        )
        holder.swap(index)
        return ReloadResult(True, diff(current.knowledge, knowledge), (), len(knowledge.entries))


def log_result(result: ReloadResult) -> None:
    """Write a reload's outcome to the log: one line, or one line per problem."""
    if result.ok:
        logger.info("%s", " ".join(result.lines()))
        return
    logger.warning("%s", result.lines()[0])
    for problem in result.problems:
        logger.warning("%s", problem)


def snapshot(folder: Path | str) -> Snapshot:
    """The time and size of every YAML file in `folder` (empty if the folder is missing)."""
    found: Snapshot = {}
    try:
        paths = sorted(Path(folder).glob("*.yaml"))
    except OSError:
        return found
    for path in paths:
        try:
            stat = path.stat()
        except OSError:  # deleted between the listing and the stat
            continue
        found[path.name] = (stat.st_mtime_ns, stat.st_size)
    return found


class FolderWatcher:
    """Tells when the knowledge folder has changed and the change has settled.

    `poll` is called every few seconds. A change is reported once the folder has looked the same
    on two polls in a row, so that a file being saved in several writes is not loaded half-way.
    """

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self._seen = snapshot(self.folder)
        self._pending: Snapshot | None = None

    def snapshot(self) -> Snapshot:
        return snapshot(self.folder)

    def poll(self) -> bool:
        """True once for each settled change since the last reload."""
        current = snapshot(self.folder)
        if current == self._seen:
            self._pending = None
            return False
        if current != self._pending:
            self._pending = current
            return False
        self._seen, self._pending = current, None
        return True

    def reset(self, seen: Snapshot | None = None) -> None:
        """Treat the folder as loaded (after a reload done another way, e.g. `/recharger`).

        Pass the snapshot taken *before* that reload, so that an edit made during it is not lost.
        """
        self._seen = snapshot(self.folder) if seen is None else seen
        self._pending = None
