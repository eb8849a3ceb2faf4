"""The line of a long answer that a message asks about, to give first.

« qui paie les déplacements ? » is answered by the financing entry, whose answer covers the
programme's whole financing: the line on travel is its fourth bullet, below what a phone shows.
When words of the message are found in one line of the answer only, outside its opening
paragraph, and they are rare in the base, that line is the one asked about: the reply gives it
first, then the rest of the answer (nothing the answer says is left out). Only a line that reads
alone goes first (`_reads_alone`); otherwise the answer is given as written.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.engine.normalize import Normalizer
from bot.knowledge import Entry, markup

LONG_ANSWER = 500
"""Characters from which an answer is long on a phone; a shorter one is read whole at once."""
MIN_LEAD_WEIGHT = 0.8
"""Summed IDF (scaled to 1) of the message's words that point to the line: a rare word of the
base. Common ones (« eig », « programme », « payé ») point to a line by chance. On the golden
tables' answered questions, lines found with less were often beside the point."""
MIN_FOLLOW_UP_LEAD_WEIGHT = 0.6
"""The same, for a follow-up that gets the answer just given again (« combien de femmes ? » after
the 3rd promotion's figures, « et un diplôme c'est obligatoire ? » after the experience asked
for): the conversation has said which answer it is about, and without a line first the reply
is the whole answer again. Such a line must hold every word of the message that says something
(`SAYS_SOMETHING`). On the golden tables' and twelve tryouts' conversations, 11 follow-ups get a
line at this weight and not at `MIN_LEAD_WEIGHT`, each the line asked about."""
SAYS_SOMETHING = 0.4
"""Scaled IDF from which a word of a message names something (« dossier », not « data » nor
« combien »): a line found with less than `MIN_LEAD_WEIGHT` must hold every such word."""
MIN_LEAD_WORDS = 5
"""A shorter line is a heading (« Deux objectifs : ») or a fragment that says nothing alone."""
MIN_LIST_LEFT = 2
"""Items a list must keep once its asked line goes first: « deux types de mentors : » followed
by a single bullet reads as a mistake (candidate tryout p)."""
_POINTS_BACK = re.compile(r"\b(?:cet|cette|ces)\s+\w", re.IGNORECASE)
"""« avant cette date », « ces défis »: a line that needs the lines before it to be read (not
« ce », also a pronoun: « ce sont ses règles »)."""


@dataclass(frozen=True, slots=True)
class AnswerLines:
    """Which line of an answer each of its terms points to, read once per entry."""

    pointed: Mapping[str, int]
    """Term → the number (in `markup.numbered_lines`) of the one line that may lead and holds it,
    for the terms of the answer found in no other line and not in its opening paragraph."""

    @classmethod
    def of(cls, entry: Entry, normalizer: Normalizer) -> AnswerLines:
        opening: set[str] = set()
        holders: defaultdict[str, list[int]] = defaultdict(list)
        alone: set[int] = set()
        blocks = markup.parse(entry.answer)
        for number, (block, line) in enumerate(markup.numbered_lines(blocks)):
            text = markup.line_text(line)
            terms = set(normalizer.analyze(text).terms)
            if block == 0:
                opening |= terms
            elif _words(text) >= MIN_LEAD_WORDS and not text.rstrip().endswith(":"):
                for term in terms:
                    holders[term].append(number)
                if _reads_alone(blocks, block, text):
                    alone.add(number)
        return cls(
            {
                term: lines[0]
                for term, lines in holders.items()
                if len(lines) == 1
                and lines[0] in alone
                and term not in opening
                and not term.startswith("?")
            }
        )


def _reads_alone(blocks: tuple[markup.Block, ...], block: int, text: str) -> bool:
    """Whether a line of `blocks[block]` can go first without the lines around it: not one of a
    short list, not a paragraph under a heading (« … les liste : »), not pointing back."""
    kind = blocks[block].kind
    if kind == "bullets" and len(blocks[block].lines) - 1 < MIN_LIST_LEFT:
        return False
    before = blocks[block - 1] if block > 0 else None
    headed = before is not None and markup.line_text(before.lines[-1]).rstrip().endswith(":")
    if kind == "paragraph" and headed:
        return False
    return _POINTS_BACK.search(text) is None


def _words(text: str) -> int:
    return sum(any(c.isalnum() for c in word) for word in text.split())


def asked_line(
    lines: AnswerLines,
    terms: Iterable[str],
    idf: Mapping[str, float],
    min_weight: float = MIN_LEAD_WEIGHT,
) -> int | None:
    """The number of the one line the message's `terms` point to, or None: the line with the
    most weight of the terms that point to it leads, if the weight is at least `min_weight` and
    no other line ties."""
    weights: defaultdict[int, float] = defaultdict(float)
    asked = set(terms)
    for term in asked:
        if term in lines.pointed and term in idf:
            weights[lines.pointed[term]] += idf[term]
    ranked = sorted(weights.items(), key=lambda item: -item[1])[:2]
    if not ranked or ranked[0][1] < min_weight:
        return None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    if ranked[0][1] < MIN_LEAD_WEIGHT and not _all_point_to(ranked[0][0], asked, lines, idf):
        return None  # « il faut fournir quoi comme dossier ? »: « dossier » is elsewhere too
    return ranked[0][0]


def _all_point_to(
    number: int, terms: set[str], lines: AnswerLines, idf: Mapping[str, float]
) -> bool:
    """Whether every term of the message that says something (`SAYS_SOMETHING`) points to the
    line `number`: a line found with a lighter weight must be all the message asks about."""
    return all(
        lines.pointed.get(term) == number
        for term in terms
        if not term.startswith("?") and idf.get(term, 0.0) >= SAYS_SOMETHING
    )


def leads(entry: Entry) -> bool:
    """Whether an answer is long enough for a line of it to be given first (not a défi's card:
    its parts are asked for by name, see `bot.engine.defis`)."""
    return not entry.is_defi and len(entry.answer) >= LONG_ANSWER
