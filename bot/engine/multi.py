"""Two questions in one message ("le salaire et la durée du contrat ?"): where to cut it.

The engine tries each cut in turn and keeps one only when both halves land, each on its own, on
two different entries (see `Index.decide`): a single question with an "et" in it ("les étudiants
et les apprentis peuvent-ils candidater ?") stays one question.
"""

from __future__ import annotations

import re

from bot.engine.clause import asking_sentence

_CUTS = re.compile(r"\?\s+(?=\S)|\s+(?:et|and|ainsi que)\s+|\s*[;+&]\s*", re.IGNORECASE)

MIN_PART_CHARS = 4
"""A half shorter than this ("et ?") is not a question of its own."""

MAX_WORDS = 16
"""A longer message is a story around one question ("Je suis data scientist et … le salaire,
c'est combien ?"), not two questions: its first half describes the person, and answering it
too gives a wrong answer next to the right one (measured in cross-validation on `story`)."""

_CLAUSE_END = re.compile(r"[,:]\s+")
"""Where a clause ends inside a sentence: a long asking sentence loses its opening clauses here."""

_BETWEEN = re.compile(r"\b(?:between|entre)\b", re.IGNORECASE)
"""« la différence entre un EIG et un prestataire », « between an EIG and a consultant »: the
« et » that follows joins the two things compared, it does not start a second question."""

MAX_CUTS = 2
"""Cuts tried per message: a long story has many "et", and only one message's time to spend."""


def halves(text: str) -> list[tuple[str, str]]:
    """The ways to cut `text` in two at a link word or punctuation, first cut first."""
    found: list[tuple[str, str]] = []
    text = asked_part(text)
    if len(text.split()) > MAX_WORDS:
        return found
    for match in _CUTS.finditer(text):
        head, tail = text[: match.start()].strip(), text[match.end() :].strip()
        compared = "?" not in match.group(0) and _BETWEEN.search(head.rpartition("?")[2])
        if len(head) >= MIN_PART_CHARS and len(tail) >= MIN_PART_CHARS and not compared:
            found.append((head, tail))
        if len(found) == MAX_CUTS:
            break
    return found


def asked_part(text: str) -> str:
    """The part of a long message that asks: its asking sentence, without the clauses that open
    it while it is still longer than `MAX_WORDS` (« mon fils vient d'être sélectionné comme EIG,
    il va être payé combien et c'est quoi son contrat ? » asks two things after its comma). A
    short message is kept whole."""
    if len(text.split()) <= MAX_WORDS:
        return text
    asked = asking_sentence(text) or text
    while len(asked.split()) > MAX_WORDS and (clause := _CLAUSE_END.search(asked)):
        asked = asked[clause.end() :]
    return asked
