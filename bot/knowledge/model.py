"""The validated knowledge base: frozen entries, and the problems that keep a base from loading."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

DEFI_PREFIX = "defi-"
"""Entries whose id starts with this are défis: they need a name, an administration, a promotion."""

DEFI_CATEGORY = "defis"
"""The category of the défis, and of the entry that lists them."""

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


class Problems(list[Problem]):
    """The problems found so far while reading a base; `add` builds and appends one."""

    def add(
        self,
        file: str,
        line: int | None,
        message: str,
        *,
        entry_id: str | None = None,
        field: str | None = None,
    ) -> None:
        self.append(Problem(file, line, entry_id, field, message))


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

    def fingerprint(self) -> str:
        """A hash of what users see of the entry, to tell what changed between two loads."""
        content = (
            self.questions,
            self.answer,
            self.related,
            self.links,
            self.category,
            self.name,
            self.administration,
            self.promotion,
        )
        return hashlib.sha256(repr(content).encode()).hexdigest()


@dataclass(frozen=True)
class KnowledgeBase:
    """All entries and synonyms, validated; immutable once built."""

    entries: tuple[Entry, ...]
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    declines: tuple[str, ...] = ()
    """Questions close to the domain that the bot must decline (`hors-sujet.yaml`)."""
    by_id: Mapping[str, Entry] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {entry.id: entry for entry in self.entries})

    def get(self, entry_id: str) -> Entry | None:
        return self.by_id.get(entry_id)

    @property
    def defi_overview(self) -> Entry | None:
        """The entry that presents all the défis: in the défis' category, not a défi itself."""
        return next(
            (e for e in self.entries if e.category == DEFI_CATEGORY and not e.is_defi), None
        )

    def fingerprints(self) -> dict[str, str]:
        """A content hash per entry id, to tell what changed between two loads."""
        return {entry.id: entry.fingerprint() for entry in self.entries}
