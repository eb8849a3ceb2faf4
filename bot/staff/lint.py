"""Warnings about a valid knowledge base, found by running the engine on the base's own text.

Errors (the base cannot be loaded) come from `bot.knowledge`; these are warnings: the bot works,
but some questions will not be answered as staff expect. Each is a `Problem` with severity
"avertissement", located at the question or answer it is about.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.engine import Index
from bot.engine.normalize import fold
from bot.knowledge import Entry, KnowledgeBase, Problem
from bot.replies import render
from bot.replies.aspects import card_lines
from bot.replies.length import visible_length
from bot.replies.reply import BUTTON_LABEL_MAX, button_label
from bot.staff.expectations import misses

MIN_QUESTIONS = 3
"""Fewer phrasings than this and people's own wordings are often missed."""
MAX_ANSWER_CHARS = 3500
"""Telegram refuses messages over 4,096 characters; this leaves room for buttons' text and edits."""
MISLEADING = {"answer": "y répond avec", "suggest": "propose d'abord"}
"""What the bot does with a phrasing of this entry that sends people to another one."""
CARD_PARTS = {
    "mentors": ("mentor", "ses mentors", "et les mentors ?", "Mentors"),
    "equipe": ("equipe", "son équipe", "qui était dans l'équipe ?", "Équipe"),
}
"""Parts of a défi card that people ask for alone: the word that shows the card speaks of it
(folded), how the warning names it, a question asking for it, and the label its line must start
with to be given alone. A card that does not speak of a part is left alone: the fact may be
unknown."""


def warnings(
    knowledge: KnowledgeBase, index: Index | None = None, *, engine: bool = True
) -> list[Problem]:
    """Every warning for `knowledge`, in file then line order.

    `engine=False` leaves out what needs the engine (phrasings sent elsewhere, the staff's
    tests): on a base with errors some entries are missing, and the engine's view is wrong.
    """
    found = [
        *duplicate_questions(knowledge),
        *few_questions(knowledge),
        *untidy_titles(knowledge),
        *long_answers(knowledge),
        *unlabelled_card_parts(knowledge),
    ]
    if engine:
        built = index if index is not None else Index(knowledge)
        found += [*misrouted_questions(knowledge, built), *misses(knowledge.tests, built)]
    return sorted(found, key=lambda p: (p.file, p.line or 0))


def _question_line(entry: Entry, position: int) -> int:
    if position < len(entry.question_lines):
        return entry.question_lines[position]
    return entry.field_lines.get("questions", entry.line)


def _place(entry: Entry) -> str:
    return f"{entry.file}:{entry.line}"


def _warning(entry: Entry, line: int, field: str, message: str) -> Problem:
    return Problem(entry.file, line, entry.id, field, message, "avertissement")


def _field_warning(entry: Entry, field: str, message: str) -> Problem:
    """A warning at the line of one of the entry's fields (the entry's own line without it)."""
    return _warning(entry, entry.field_lines.get(field, entry.line), field, message)


def _thousands(value: int) -> str:
    """'3 775' with the French narrow no-break space."""
    return f"{value:,}".replace(",", "\u202f")


def misrouted_questions(knowledge: KnowledgeBase, index: Index) -> Iterator[Problem]:
    """Phrasings that mislead the bot: answered with another entry, or made of no word it reads.

    Each phrasing is asked as it stands, the base holding it. Only what staff can act on is
    reported: a phrasing the bot answers with another entry, or offers another entry first for,
    although it is written here (one of the two entries holds it by mistake, or both need
    sharper wording), and a phrasing with
    no word the bot reads ("et alors ?"). A phrasing the rest of its entry would not cover is
    not reported: that is what makes it worth keeping.
    """
    for entry in knowledge.entries:
        for position, question in enumerate(entry.questions):
            decision = index.decide(question)
            line = _question_line(entry, position)
            first = decision.candidates[0].entry if decision.candidates else None
            if not decision.analysis.words:
                yield _warning(
                    entry,
                    line,
                    "questions",
                    f"« {question} » : le bot ne reconnaît aucun mot de cette formulation, qui ne "
                    "dit donc pas de quoi parle l'entrée ; reformulez-la avec les mots importants "
                    "de la question, ou ajoutez un synonyme dans synonymes.yaml",
                )
            elif (
                decision.status in MISLEADING
                and first is not None
                and first.id != entry.id
                and entry.id not in decision.answered_ids  # answered with another: both given
            ):
                yield _warning(
                    entry,
                    line,
                    "questions",
                    f"« {question} » : le bot {MISLEADING[decision.status]} l'entrée "
                    f"« {first.id} » ({_place(first)}), pas celle-ci ; rendez cette formulation "
                    f"plus précise, ou déplacez-la dans « {first.id} » si c'est là qu'elle a sa "
                    "place",
                )


def duplicate_questions(knowledge: KnowledgeBase) -> Iterator[Problem]:
    """The same phrasing (ignoring case, accents and punctuation) under two entries."""
    seen: dict[str, tuple[Entry, int]] = {}
    for entry in knowledge.entries:
        for position, question in enumerate(entry.questions):
            key = fold(question)
            if not key:
                continue
            if key not in seen:
                seen[key] = (entry, position)
                continue
            other, other_position = seen[key]
            if other.id == entry.id:
                continue
            yield _warning(
                entry,
                _question_line(entry, position),
                "questions",
                f"« {question} » figure aussi dans l'entrée « {other.id} » "
                f"({other.file}:{_question_line(other, other_position)}) ; le bot ne peut pas "
                "choisir entre les deux : gardez cette formulation dans une seule entrée",
            )


def few_questions(knowledge: KnowledgeBase) -> Iterator[Problem]:
    """Entries with fewer than `MIN_QUESTIONS` phrasings."""
    for entry in knowledge.entries:
        count = len(entry.questions)
        if count < MIN_QUESTIONS:
            yield _field_warning(
                entry,
                "questions",
                f"seulement {count} formulation{'s' if count > 1 else ''} ; ajoutez-en au moins "
                f"{MIN_QUESTIONS}, écrites comme les gens les taperaient (mots courts, sans "
                "accents, en abrégé), pour que le bot reconnaisse la question",
            )


def untidy_titles(knowledge: KnowledgeBase) -> Iterator[Problem]:
    """Entries whose first question, the title people see, is not a tidy question."""
    for entry in knowledge.entries:
        title = entry.title.strip()
        if not (title[:1].isupper() and title.endswith("?")):
            yield _warning(
                entry,
                _question_line(entry, 0),
                "questions",
                f"la première question, « {title} », est le titre de l'entrée (sur les boutons "
                "et dans « Vouliez-vous dire… ? ») : mettez en premier une question complète, "
                "avec une majuscule et un point d'interrogation, et ajoutez les formulations "
                "tapées comme les gens écrivent après elle",
            )
        elif len(title) > BUTTON_LABEL_MAX:
            yield _warning(
                entry,
                _question_line(entry, 0),
                "questions",
                f"la première question fait {len(title)} caractères : c'est le titre de "
                f"l'entrée, et ses boutons n'en montrent que {BUTTON_LABEL_MAX} (« "
                f"{button_label(title)} ») ; mettez en premier une question plus courte, et la "
                "longue après elle",
            )


def long_answers(knowledge: KnowledgeBase) -> Iterator[Problem]:
    """Answers too long for one Telegram message once rendered."""
    for entry in knowledge.entries:
        length = visible_length(render.render_entry(entry, knowledge).html)
        if length > MAX_ANSWER_CHARS:
            yield _field_warning(
                entry,
                "answer",
                f"réponse trop longue pour un seul message Telegram ({_thousands(length)} "
                f"caractères une fois mise en forme, {_thousands(MAX_ANSWER_CHARS)} au plus) ; "
                "raccourcissez-la, ou découpez-la en plusieurs entrées reliées par « related »",
            )


def unlabelled_card_parts(knowledge: KnowledgeBase) -> Iterator[Problem]:
    """Défi cards that speak of a part (`CARD_PARTS`) on no line starting with its label."""
    for entry in knowledge.entries:
        if not entry.is_defi:
            continue
        answer = fold(entry.answer)
        for part, (cue, topic, question, label) in CARD_PARTS.items():
            if cue in answer and not card_lines(entry, part):
                yield _field_warning(
                    entry,
                    "answer",
                    f"la fiche parle de {topic} mais aucune de ses lignes ne commence par "
                    f"« {label} » : à « {question} » après cette fiche, le bot redonnera la "
                    f"fiche entière ; écrivez cette partie sur une ligne « - {label} : … »",
                )
