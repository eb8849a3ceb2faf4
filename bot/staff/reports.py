"""Reports on the question log for staff: unanswered questions grouped, and usage statistics.

The same functions feed the command line (`python -m bot unanswered | stats`) and the admin
commands in Telegram; they return plain text, the caller decides how to show it.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TextIO

from rapidfuzz import fuzz, process

from bot.staff.questionlog import LoggedQuestion, QuestionLog, Votes, utcnow

MERGE_SCORE = 90.0
"""rapidfuzz token_sort_ratio from which two normalised questions count as the same question."""
TELEGRAM_TOP = 20
"""Groups listed in a chat message: a screenful on a phone."""

_PERIOD = re.compile(r"^\s*(\d+)\s*([hdjw])\s*$", re.IGNORECASE)
_UNITS = {"h": ("heure", 1), "d": ("jour", 24), "j": ("jour", 24), "w": ("semaine", 168)}


class PeriodError(ValueError):
    """A `--since` value that is not a period; the message says what to write, in French."""


@dataclass(frozen=True, slots=True)
class Period:
    """How far back a report looks: '7d' → 7 days."""

    delta: timedelta
    label: str
    """French, for titles: '7 jours', '24 heures'."""


def parse_period(text: str) -> Period:
    """'7d', '24h', '2w' (or '7j' in French) → a Period."""
    match = _PERIOD.match(text)
    if not match or int(match.group(1)) == 0:
        raise PeriodError(
            f"période « {text} » non comprise : écrivez un nombre suivi de h (heures), "
            "d (jours) ou w (semaines), par exemple 24h, 7d ou 4w"
        )
    count = int(match.group(1))
    word, hours = _UNITS[match.group(2).lower()]
    return Period(timedelta(hours=count * hours), f"{count} {word}{'s' if count > 1 else ''}")


def percent(part: int, whole: int) -> str:
    """'42 %' with the French narrow no-break space."""
    return f"{round(100 * part / whole) if whole else 0}\u202f%"


def _decimal(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


# -- unanswered questions ------------------------------------------------------------------------


@dataclass
class Group:
    """Questions that are the same question, typed in slightly different ways."""

    normalized: str
    questions: list[LoggedQuestion] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def text(self) -> str:
        """The wording typed most often (the earliest on a tie)."""
        return Counter(q.text for q in self.questions).most_common(1)[0][0]

    @property
    def variants(self) -> list[str]:
        """Every distinct wording, most frequent first."""
        return [text for text, _ in Counter(q.text for q in self.questions).most_common()]

    @property
    def fallbacks(self) -> int:
        return sum(1 for q in self.questions if q.status == "fallback")

    @property
    def suggested(self) -> int:
        return sum(1 for q in self.questions if q.status == "suggest")

    @property
    def closest(self) -> tuple[str, float] | None:
        """The entry the engine ranked first most often, with its best score."""
        firsts = [q.candidates[0] for q in self.questions if q.candidates]
        if not firsts:
            return None
        entry_id = Counter(entry for entry, _ in firsts).most_common(1)[0][0]
        return entry_id, max(score for entry, score in firsts if entry == entry_id)

    @property
    def chosen(self) -> tuple[str, int] | None:
        """The suggestion tapped most often after these questions, with how many times."""
        taps = Counter(q.chosen for q in self.questions if q.chosen)
        return taps.most_common(1)[0] if taps else None

    @property
    def last_asked(self) -> datetime:
        return max(q.asked_at for q in self.questions)


def group_questions(questions: Iterable[LoggedQuestion]) -> list[Group]:
    """Group by normalised form, merge near-identical forms; most frequent first."""
    exact: dict[str, Group] = {}
    for question in questions:
        exact.setdefault(question.normalized, Group(question.normalized)).questions.append(question)
    merged: list[Group] = []
    keys: list[str] = []
    for group in sorted(exact.values(), key=lambda g: (-g.count, g.normalized)):
        match = process.extractOne(
            group.normalized, keys, scorer=fuzz.token_sort_ratio, score_cutoff=MERGE_SCORE
        )
        if match is None:
            merged.append(group)
            keys.append(group.normalized)
        else:
            merged[match[2]].questions.extend(group.questions)
    for group in merged:
        group.questions.sort(key=lambda q: (q.asked_at, q.id))
    return sorted(merged, key=lambda g: (-g.count, -g.last_asked.timestamp(), g.normalized))


def _closest_text(group: Group) -> str:
    closest = group.closest
    return f"{closest[0]} ({_decimal(closest[1])})" if closest else "-"


def _chosen_text(group: Group) -> str:
    chosen = group.chosen
    return f"{chosen[0]} ({chosen[1]} fois)" if chosen else "-"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def answered_now(groups: Sequence[Group], decide: Callable[[str], str | None]) -> dict[str, str]:
    """For each group whose question the base served today answers directly, that entry's id
    (`decide` gives it, or None): staff see what an edit has already fixed."""
    return {g.text: found for g in groups if (found := decide(g.text)) is not None}


def write_table(
    groups: Sequence[Group], period: Period, out: TextIO, now: Mapping[str, str]
) -> None:
    """Aligned columns for a terminal; `now` as `answered_now` gives it."""
    total = sum(g.count for g in groups)
    if not groups:
        print(f"Aucune question sans réponse sûre depuis {period.label}.", file=out)
        return
    print(
        f"Questions sans réponse sûre depuis {period.label} : {total} question"
        f"{'s' if total > 1 else ''}, {len(groups)} groupe{'s' if len(groups) > 1 else ''} "
        "(les plus fréquentes d'abord).",
        file=out,
    )
    header = (
        "Nb",
        "Sugg.",
        "Sans",
        "Question",
        "Entrée la plus proche",
        "Suggestion choisie",
        "Aujourd'hui",
    )
    rows = [
        (
            str(g.count),
            str(g.suggested),
            str(g.fallbacks),
            _cut(g.text, 60),
            _closest_text(g),
            _chosen_text(g),
            now.get(g.text, "-"),
        )
        for g in groups
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [
            cell.rjust(widths[i]) if i < 3 else cell.ljust(widths[i]) for i, cell in enumerate(row)
        ]
        print("  ".join(cells).rstrip(), file=out)
    print(
        "\nSugg. : le bot a proposé des suggestions ; Sans : il n'a rien trouvé. Le nombre "
        "après l'entrée la plus proche est son score au moment de la question, de 0 à 1 (ce "
        "n'était pas une réponse). Aujourd'hui : l'entrée par laquelle la base actuelle répond "
        "directement à cette question (« - » : toujours pas de réponse directe). Ajoutez les "
        "autres formulations aux « questions » de la bonne entrée, puis lancez python -m bot "
        "check. "
        "Une question hors sujet à laquelle le bot a bien fait de ne pas répondre peut rester "
        "là, ou aller dans hors-sujet.yaml s'il hésitait.",
        file=out,
    )


def write_csv(groups: Sequence[Group], out: TextIO) -> None:
    """One row per group, for a spreadsheet."""
    writer = csv.writer(out)
    writer.writerow(
        [
            "nombre",
            "question",
            "suggestions",
            "sans_reponse",
            "entree_la_plus_proche",
            "score",
            "suggestion_choisie",
            "fois_choisie",
            "variantes",
            "derniere_fois_utc",
        ]
    )
    for g in groups:
        closest, chosen = g.closest, g.chosen
        writer.writerow(
            [
                g.count,
                g.text,
                g.suggested,
                g.fallbacks,
                closest[0] if closest else "",
                f"{closest[1]:.2f}" if closest else "",
                chosen[0] if chosen else "",
                chosen[1] if chosen else 0,
                " | ".join(g.variants),
                g.last_asked.strftime("%Y-%m-%d %H:%M"),
            ]
        )


def unanswered_lines(groups: Sequence[Group], period: Period, limit: int) -> list[str]:
    """A short list for a chat message: the top `limit` groups, one line each."""
    if not groups:
        return [f"Aucune question sans réponse sûre depuis {period.label}."]
    lines = [f"Questions sans réponse sûre depuis {period.label} (les {limit} plus fréquentes) :"]
    for g in groups[:limit]:
        detail = f"proche de {_closest_text(g)}"
        if g.chosen:
            detail += f", choisie : {_chosen_text(g)}"
        lines.append(f"{g.count} × « {_cut(g.text, 80)} » → {detail}")
    return lines


# -- statistics ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts over a period."""

    answered: int
    suggested: int
    fallbacks: int
    chosen: int
    """Suggestions tapped after a `suggest` or a `fallback`."""
    by_entry: tuple[tuple[str, int], ...]
    """Entries by how often they were given (direct answers and tapped suggestions)."""
    votes: tuple[tuple[str, Votes], ...]
    """Entries with at least one "Pas utile", most "Pas utile" first."""

    @property
    def total(self) -> int:
        return self.answered + self.suggested + self.fallbacks


def compute_stats(log: QuestionLog, since: datetime) -> Stats:
    questions = log.questions(since)
    answered = log.answered(since)
    given = Counter(answered)
    given.update(q.chosen for q in questions if q.chosen)
    votes = sorted(
        ((entry, v) for entry, v in log.votes(since).items() if v.not_useful),
        key=lambda item: (-item[1].not_useful, item[1].useful, item[0]),
    )
    return Stats(
        answered=sum(answered.values()),
        suggested=sum(1 for q in questions if q.status == "suggest"),
        fallbacks=sum(1 for q in questions if q.status == "fallback"),
        chosen=sum(1 for q in questions if q.chosen),
        by_entry=tuple(sorted(given.items(), key=lambda item: (-item[1], item[0]))),
        votes=tuple(votes),
    )


def stats_lines(stats: Stats, period: Period, limit: int = 10) -> list[str]:
    """The statistics as French lines of text."""
    total = stats.total
    if not total:
        return [f"Aucune question depuis {period.label}."]
    lines = [
        f"Depuis {period.label} : {total} question{'s' if total > 1 else ''}.",
        f"- réponse directe : {stats.answered} ({percent(stats.answered, total)})",
        f"- suggestions proposées : {stats.suggested} ({percent(stats.suggested, total)})",
        f"- pas de réponse sûre : {stats.fallbacks} ({percent(stats.fallbacks, total)})",
        f"- suggestion choisie ensuite : {stats.chosen} fois",
        "",
        "Entrées les plus demandées :",
    ]
    lines += [f"- {entry} : {count}" for entry, count in stats.by_entry[:limit]] or ["- (aucune)"]
    lines += ["", "Entrées jugées « Pas utile » le plus souvent :"]
    lines += [
        f"- {entry} : {v.not_useful} « Pas utile », {v.useful} « Utile »"
        for entry, v in stats.votes[:limit]
    ] or ["- (aucune)"]
    return lines


# -- over a recent period --------------------------------------------------------------------------


def recent_groups(log: QuestionLog, period: Period) -> list[Group]:
    """The unanswered questions of the last `period`, grouped."""
    return group_questions(log.questions(utcnow() - period.delta))


def recent_stats(log: QuestionLog, period: Period) -> Stats:
    """The statistics of the last `period`."""
    return compute_stats(log, utcnow() - period.delta)
