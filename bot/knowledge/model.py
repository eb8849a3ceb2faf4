"""The validated knowledge base: frozen entries, and the problems that keep a base from loading."""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

SHARED_FIELD_ORDERS = 256
"""Orders of an entry's fields whose names are shared (a base is written with a few)."""

DEFI_PREFIX = "defi-"
"""Entries whose id starts with this are défis: they need a name, an administration, a promotion."""

DEFI_CATEGORY = "defis"
"""The category of the défis, and of the entry that lists them."""

ADMINISTRATIONS_CATEGORY = "administrations"
"""The category of what an administration asks (proposing a défi: its calendar, file, jury)."""

CANDIDATES_CATEGORY = "candidature"
"""The category of what a candidate asks (the same questions, for candidates)."""

TEAM_LABEL = "Équipe"
"""How the line of a défi card that names its team starts (« - Équipe : … »)."""

MENTOR_LABEL = "Mentor"
"""How the line of a défi card that names its mentors starts (« - Mentors : … »)."""

PEOPLE_LINE = re.compile(rf"^\s*[-*]\s*(?:{TEAM_LABEL}|{MENTOR_LABEL}s?)\s*:(.*)$", re.MULTILINE)
"""A card's team or mentors line; what follows the colon names the people."""

PROPER_NAME = re.compile(r"\b[A-ZÀ-Ý][\w'’-]*")
"""A capitalised word: a person's name, not the roles and remarks around it."""

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
    column: int | None = None
    """1-based column, for YAML syntax errors (where in the line the fix goes)."""

    @property
    def place(self) -> str:
        """'file:line:column', as far as it is known."""
        place = self.file
        if self.line:
            place += f":{self.line}"
            if self.column:
                place += f":{self.column}"
        return place

    def __str__(self) -> str:
        """'file:line: id: field: message'; an unknown id or field is left out, not a '-'."""
        parts = [self.place, *(part for part in (self.entry_id, self.field) if part)]
        text = ": ".join([*parts, self.message])
        return f"{text} (avertissement)" if self.severity == "avertissement" else text


class Problems(list[Problem]):
    """The problems found so far while reading a base; `add` builds and appends one."""

    def __init__(self) -> None:
        super().__init__()
        self.unparsed_ids: set[str] = set()
        """Entry ids seen in the text of files that could not be parsed: they exist, so a
        `related` or a staff test that names one is not a second error."""

    def add(
        self,
        file: str,
        line: int | None,
        message: str,
        *,
        entry_id: str | None = None,
        field: str | None = None,
        column: int | None = None,
    ) -> None:
        self.append(Problem(file, line, entry_id, field, message, column=column))


class KnowledgeError(Exception):
    """The knowledge base could not be loaded; `problems` says every reason and where."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class FieldLines(Mapping[str, int]):
    """The line of each field of an entry, in little memory: the field names as one tuple
    shared by every entry written with the same fields, and the lines as an array (a dict per
    entry took 10 MB at 20,000 entries, for lines only the validator's messages read)."""

    __slots__ = ("_lines", "_names")

    def __init__(self, lines: Mapping[str, int] | None = None) -> None:
        lines = lines or {}
        self._names = _shared_names(tuple(lines))
        self._lines = array("i", lines.values())

    def __getitem__(self, name: str) -> int:
        try:
            return self._lines[self._names.index(name)]
        except ValueError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


@lru_cache(maxsize=SHARED_FIELD_ORDERS)
def _shared_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """One tuple for every equal tuple of field names (the first one met)."""
    return names


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
    theme: str | None = None
    """A défi's subject in a few words, for the generated list of défis."""
    file: str = ""
    line: int = 0
    field_lines: Mapping[str, int] = field(default_factory=FieldLines, compare=False, hash=False)
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

    @property
    def people(self) -> tuple[str, ...]:
        """The names on a défi card's team and mentors lines (« Victor Journé »), without the
        roles in brackets: a défi is asked for by the name of one of its people too."""
        found: list[str] = []
        for match in PEOPLE_LINE.finditer(self.answer):
            text = re.sub(r"\([^)]*\)", " ", match.group(1))
            found.extend(PROPER_NAME.findall(text))
        return tuple(found)

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
            self.theme,
        )
        return hashlib.sha256(repr(content).encode()).hexdigest()


DECLINE = "decline"
"""What a staff test expects when the bot must not answer (the question is not about EIG)."""


@dataclass(frozen=True, slots=True)
class StaffTest:
    """A question staff wrote down, and the entry the bot must answer it with (or DECLINE)."""

    question: str
    expect: str
    file: str
    line: int


@dataclass(frozen=True)
class KnowledgeBase:
    """All entries and synonyms, validated; immutable once built."""

    entries: tuple[Entry, ...]
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    tests: tuple[StaffTest, ...] = ()
    """The staff's tests (`tests.yaml`): run by `check`, never used to answer."""
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
