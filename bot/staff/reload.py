"""Live reload: validate the knowledge folder, swap the index if valid, say what changed.

A broken edit never replaces the base being served: `reload` loads and indexes the whole folder
first, and swaps only a complete new index into the `IndexHolder`. `FolderWatcher` notices edits
by polling file times and sizes (no extra dependency; a poll every few seconds costs one `stat`
per YAML file).

Nothing here can hang for good: the folder is read in a daemon thread that `reload` waits for at
most `RELOAD_DEADLINE` seconds (a frozen disk makes that reload fail, not the next ones), the
reload lock is always released, and `in_background` runs the whole thing off the event loop in a
daemon thread, which never delays the process's exit.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bot.engine import Index
from bot.knowledge import KnowledgeBase, KnowledgeError, Problem, load
from bot.staff.holder import IndexHolder

logger = logging.getLogger(__name__)

T = TypeVar("T")

WATCH_INTERVAL = 3.0
"""Seconds between two looks at the folder: an edit is live 3 to 6 seconds after it is saved."""
RELOAD_DEADLINE = 30.0
"""Seconds a reload may take: the largest base allowed (16 Mio) loads in well under that; longer
means a disk that does not answer, and the reload is refused rather than waited for."""
SHOWN_PROBLEMS = 10
"""Problems listed to an admin: enough to start fixing; `python -m bot check` lists them all."""
SHOWN_IDS = 20
"""Entry ids named per line of a reload's summary (added, removed, modified)."""
MAX_LINE = 300
"""Characters of one problem shown: a problem quotes the file, and files are staff's text."""
MAX_LOG_LINE = 2000
"""Characters of the one log line that reports a reload."""

Snapshot = dict[str, tuple[int, int]]
"""File name → (modification time in ns, size), for every YAML file of the folder."""

_LOCK = threading.Lock()  # two reloads at once would compute their diffs against the same base
_stuck: list[threading.Thread] = []  # a reader still blocked after its deadline (at most one)


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
        """The outcome in French, for an admin, short whatever the base: what changed, or the
        number of errors and the first `SHOWN_PROBLEMS` of them with their place."""
        if not self.ok:
            errors = [p for p in self.problems if p.severity == "erreur"]
            count = len(errors)
            shown = [_cut(str(p), MAX_LINE) for p in self.problems[:SHOWN_PROBLEMS]]
            more = len(self.problems) - len(shown)
            lines = [
                f"Rechargement refusé : {_number(count)} erreur{'s' if count > 1 else ''} dans la "
                f"base de connaissances. Le bot continue avec la base précédente ({self.entries} "
                "entrées). Corrigez ces lignes, puis enregistrez :",
                *shown,
            ]
            if more:
                lines.append(
                    f"… et {_number(more)} autre{'s' if more > 1 else ''} : la commande "
                    "« python -m bot check » les liste toutes."
                )
            return lines
        if self.changes.empty:
            return [f"Base rechargée ({self.entries} entrées) : aucun changement."]

        def names(ids: tuple[str, ...]) -> str:
            if not ids:
                return "aucune"
            more = len(ids) - SHOWN_IDS
            listed = ", ".join(ids[:SHOWN_IDS])
            return (
                f"{listed} et {_number(more)} autre{'s' if more > 1 else ''}"
                if more > 0
                else listed
            )

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


def _number(count: int) -> str:
    """'10 000': French thousands separator (a narrow no-break space)."""
    return f"{count:,}".replace(",", "\u202f")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _refused(folder: Path | str, why: str, entries: int) -> ReloadResult:
    return ReloadResult(False, Changes(), (Problem(str(folder), None, None, None, why),), entries)


def reload(
    holder: IndexHolder, knowledge_dir: Path | str, *, deadline: float = RELOAD_DEADLINE
) -> ReloadResult:
    """Load and index `knowledge_dir`; swap it in only if it is entirely valid.

    Waits at most `deadline` seconds for the lock and as long again for the folder to be read:
    past that, the reload is refused with a French reason and the served base stays.
    """
    if not _LOCK.acquire(timeout=deadline):
        return _refused(
            knowledge_dir,
            "un autre rechargement est en cours depuis trop longtemps ; réessayez plus tard",
            len(holder.index.entries),
        )
    try:
        current = holder.index
        outcome = _load_within(knowledge_dir, current, deadline)
        if isinstance(outcome, str):
            return _refused(knowledge_dir, outcome, len(current.entries))
        if isinstance(outcome, KnowledgeError):
            return ReloadResult(False, Changes(), outcome.problems, len(current.entries))
        holder.swap(outcome)
        if holder.keep is not None:
            holder.keep(knowledge_dir)
        knowledge = outcome.knowledge
        return ReloadResult(True, diff(current.knowledge, knowledge), (), len(knowledge.entries))
    finally:
        _LOCK.release()


def _load_within(
    folder: Path | str, current: Index, deadline: float
) -> Index | KnowledgeError | str:
    """The new index, its problems, or why it could not be read within `deadline` seconds.

    The reading runs in a daemon thread: a read that never returns (a frozen disk) costs that
    thread, never the lock or the process's exit. While it is still stuck, no other is started.
    """
    if _stuck and _stuck[0].is_alive():
        return "la lecture précédente du dossier est toujours bloquée : le disque ne répond pas"
    _stuck.clear()
    found: list[Index | KnowledgeError] = []

    def read() -> None:
        try:
            found.append(
                Index(
                    load(folder),
                    model=current.model,
                    encoder=current.semantic.encoder,
                    store=current.semantic.store,
                    snapshots=current.snapshots,
                )
            )
        except KnowledgeError as error:
            found.append(error)
        except Exception:
            logger.exception("Reading the knowledge folder failed")

    reader = threading.Thread(target=read, name="knowledge-reader", daemon=True)
    reader.start()
    reader.join(deadline)
    if reader.is_alive():
        _stuck.append(reader)
        seconds = f"{deadline:g}".replace(".", ",")
        return (
            f"la lecture du dossier a pris plus de {seconds} secondes (disque bloqué ?) ; "
            "le bot garde la base précédente"
        )
    if not found:
        return "la lecture du dossier a échoué sur une erreur inattendue (voir le journal)"
    return found[0]


def log_result(result: ReloadResult) -> None:
    """Write a reload's outcome to the log, in one line of bounded length."""
    line = _cut(" | ".join(result.lines()), MAX_LOG_LINE)
    if result.ok:
        logger.info("%s", line)
    else:
        logger.warning("%s", line)


def in_background(call: Callable[[], T]) -> Future[T]:
    """Run `call` in a new daemon thread; its outcome as a future (`asyncio.wrap_future` awaits it).

    Unlike `asyncio.to_thread`, whose threads the interpreter waits for at exit, a call stuck on a
    frozen disk here never delays the process's exit.
    """
    future: Future[T] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(call())
        except BaseException as error:  # handed to whoever awaits the future
            future.set_exception(error)

    threading.Thread(target=run, name="background", daemon=True).start()
    return future


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
    Safe to call from several threads (the watch job and `/recharger` run in their own).
    """

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self._seen = snapshot(self.folder)
        self._pending: Snapshot | None = None

    def snapshot(self) -> Snapshot:
        return snapshot(self.folder)

    def poll(self) -> bool:
        """True once for each settled change since the last reload."""
        current = snapshot(self.folder)
        with self._lock:
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
        current = snapshot(self.folder) if seen is None else seen
        with self._lock:
            self._seen, self._pending = current, None
