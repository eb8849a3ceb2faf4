"""The défis by promotion, built from the `defi-…` entries: no list of défis is kept by hand.

An answer line that is exactly `(liste des défis)` is replaced, when the base loads, by the
list: one heading per promotion, then each défi's name, administration and theme. The /defis
menu groups its buttons the same way.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterable

from bot.knowledge.model import Entry
from bot.knowledge.topics import promotion_label

OVERVIEW_MARK = "(liste des défis)"
"""The answer line that the generated list of défis replaces."""


def accentless(text: str) -> str:
    """`text` without accents or capitals: alphabetical order as a reader expects it, and words
    compared as people type them."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def by_promotion(entries: Iterable[Entry]) -> list[tuple[int | None, list[Entry]]]:
    """The défis grouped by promotion (oldest first, no promotion last), by name in each."""
    groups: dict[int | None, list[Entry]] = {}
    for entry in entries:
        if entry.is_defi:
            groups.setdefault(entry.promotion, []).append(entry)
    ordered = sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or 0))
    return [
        (promotion, sorted(defis, key=lambda e: accentless(e.name or e.title)))
        for promotion, defis in ordered
    ]


def heading(promotion: int | None, count: int) -> str:
    """'3e promotion (2019) : 15 défis'."""
    label = promotion_label(promotion) if promotion is not None else "Autres défis"
    return f"{label} : {count} défi{'s' if count > 1 else ''}"


def defi_line(entry: Entry) -> str:
    """'**DataJust** — Ministère de la Justice… : indemnisation du préjudice corporel'."""
    text = f"**{entry.name or entry.title}**"
    if entry.administration:
        text += f" — {entry.administration}"
    return f"{text} : {entry.theme}" if entry.theme else text


def overview(entries: Iterable[Entry]) -> str:
    """The list of défis by promotion, in the answers' mark-up."""
    blocks = []
    for promotion, defis in by_promotion(entries):
        lines = [f"**{heading(promotion, len(defis))}**", *(f"- {defi_line(e)}" for e in defis)]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _has_mark(entry: Entry) -> bool:
    return any(line.strip() == OVERVIEW_MARK for line in entry.answer.splitlines())


def expand(entries: list[Entry]) -> list[Entry]:
    """`entries`, with the list of défis in place of every `(liste des défis)` line."""
    if not any(_has_mark(entry) for entry in entries):
        return entries
    listing = overview(entries)

    def expanded(entry: Entry) -> Entry:
        lines = entry.answer.splitlines()
        answer = "\n".join(listing if line.strip() == OVERVIEW_MARK else line for line in lines)
        return dataclasses.replace(entry, answer=answer)

    return [expanded(entry) if _has_mark(entry) else entry for entry in entries]
