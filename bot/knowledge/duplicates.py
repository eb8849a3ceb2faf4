"""Duplicate ids, reported at the entry that is new: the one to rename without breaking links.

When the knowledge folder is a git checkout, the entry whose `- id:` line is not in the last
commit (`git show HEAD:file`) is the new one (`bot.knowledge.committed`). Without git, or when git
cannot tell, the one in the file saved last is, or the later one in the same file. Git is asked
only when a duplicate exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.committed import added_lines
from bot.knowledge.model import Problems


@dataclass(frozen=True, slots=True)
class IdLine:
    """Where an entry's id is written (for every entry, valid or not)."""

    entry_id: str
    path: Path
    display: str
    line: int


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
        original, *reported = [old[0], *new] if new and old else _latest_last(places)
        for place in reported:
            _add(place, original, known=bool(new and old), problems=problems)


SAVED_APART = 2.0
"""Seconds between two files' last changes for the later one to be the one just edited: files
written together (a git checkout, a copied folder) tell nothing by their times."""


def _latest_last(places: list[IdLine]) -> list[IdLine]:
    """Without git: the place to keep first, then the others. The one to keep is in the file
    saved longest ago, when it was saved well before the others' (the entry just pasted is in
    the file saved last); otherwise the first in file order (the copy is written below)."""

    def changed(place: IdLine) -> float:
        try:
            return place.path.stat().st_mtime
        except OSError:
            return 0.0

    times = [changed(place) for place in places]
    oldest = min(range(len(places)), key=lambda n: (times[n], n))
    apart = all(n == oldest or times[n] - times[oldest] >= SAVED_APART for n in range(len(times)))
    first = oldest if apart else 0
    return [places[first], *(place for n, place in enumerate(places) if n != first)]


def _is_new(place: IdLine, added: set[int] | None) -> bool | None:
    """Whether the id line is not in the last commit; None when git cannot tell."""
    return None if added is None else place.line in added


def _add(place: IdLine, original: IdLine, *, known: bool, problems: Problems) -> None:
    which = (
        "donnez un autre identifiant à cette entrée-ci, qui est nouvelle (l'autre existe dans la "
        "dernière version enregistrée dans git)"
        if known
        else "donnez un autre identifiant à celle que vous venez d'ajouter (sans doute celle-ci : "
        "son fichier a été enregistré en dernier, ou elle est écrite après l'autre)"
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
