"""Duplicate ids, reported at the entry that is new: the one to rename without breaking links.

When the knowledge folder is a git checkout, the entry whose `- id:` line is not in the last
commit (`git show HEAD:file`) is the new one. Without git, or when git cannot tell, the later
one in file order is. Git is asked only when a duplicate exists, with a timeout; a missing
`git` command is no error.
"""

from __future__ import annotations

import difflib
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.model import Problems

GIT_TIMEOUT = 5.0
"""Seconds one git command may take: `check` and a reload must never hang on git."""


@dataclass(frozen=True, slots=True)
class IdLine:
    """Where an entry's id is written (for every entry, valid or not)."""

    entry_id: str
    path: Path
    display: str
    line: int


def _git(folder: Path, *args: str) -> str | None:
    """The output of one git command run in `folder`; None on any failure."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def added_lines(path: Path) -> set[int] | None:
    """Lines of `path` (1-based) that its last committed version lacks; None when unknown."""
    try:
        current = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    committed = _git(path.parent, "show", f"HEAD:./{path.name}")
    if committed is None:
        if _git(path.parent, "rev-parse", "--verify", "--quiet", "HEAD") is None:
            return None  # not a git checkout, no commit yet, or no git at all
        return set(range(1, len(current) + 1))  # a file never committed: every line is new
    matcher = difflib.SequenceMatcher(a=committed.splitlines(), b=current, autojunk=False)
    added: set[int] = set()
    for tag, _, _, start, end in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            added.update(range(start + 1, end + 1))
    return added


def report(ids: Iterable[IdLine], problems: Problems) -> None:
    """One problem per entry that reuses an id, at that entry, naming the other place."""
    by_id: dict[str, list[IdLine]] = {}
    for seen in ids:
        by_id.setdefault(seen.entry_id, []).append(seen)
    added: dict[Path, set[int] | None] = {}
    for places in by_id.values():
        if len(places) < 2:
            continue
        for path in {place.path for place in places} - set(added):
            added[path] = added_lines(path)
        new = [p for p in places if _is_new(p, added[p.path])]
        old = [p for p in places if _is_new(p, added[p.path]) is False]
        original, reported = (old[0], new) if new and old else (places[0], places[1:])
        for place in reported:
            _add(place, original, known=bool(new and old), problems=problems)


def _is_new(place: IdLine, added: set[int] | None) -> bool | None:
    """Whether the id line is not in the last commit; None when git cannot tell."""
    return None if added is None else place.line in added


def _add(place: IdLine, original: IdLine, *, known: bool, problems: Problems) -> None:
    which = (
        "donnez un autre identifiant à cette entrée-ci, qui est nouvelle (l'autre existe dans la "
        "dernière version enregistrée dans git)"
        if known
        else "donnez un autre identifiant à celle que vous venez d'ajouter (sans doute celle-ci, "
        "écrite après l'autre)"
    )
    problems.add(
        place.display,
        place.line,
        f"identifiant « {place.entry_id} » déjà utilisé par l'entrée de "
        f"{original.display}:{original.line} ; {which}, pour ne pas casser les liens (related, "
        "liens directs) vers l'autre",
        entry_id=place.entry_id,
        field="id",
    )
