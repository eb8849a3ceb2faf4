"""The part of an answer a message asks about: a part of a défi's card, for a message that asks
only for it (« et les mentors ? »), or the line of a long answer, given first (`render_lead`).

The engine says which parts (`Decision.aspects`); here they are found in the card as staff wrote
it: the lines that start with their label (« - Mentors : … », « Résultats : … »), and the
administration from the entry's own field. When no line has the label, the whole card is given:
the part may be in it in other words (« Le code n'est pas public »), and nothing is made up.
"""

from __future__ import annotations

import dataclasses

from bot.knowledge import MENTOR_LABEL, TEAM_LABEL, Entry, markup
from bot.replies.reply import (
    Button,
    Reply,
    answer_reply,
    entry_button,
    html_and_plain,
    prefixed,
)

LABELS: dict[str, tuple[str, ...]] = {
    "mentors": (MENTOR_LABEL,),
    "equipe": (TEAM_LABEL,),
    "resultats": ("Résultat", "Réalisations"),
    "code": ("Code", "Site"),
}
"""How each part's line starts in the défi cards of `knowledge/defis.yaml`."""

NOT_ON_THE_CARD: dict[str, str] = {
    "code": "La fiche {of_name} n'indique ni site ni code public. Voici ce qu'elle dit :",
}
"""Before the whole card, when a part asked has no line of its own and that says the card has
none: a tryout read PolyGraphe's whole card again for « et le site », looking for a site it
does not have. A card without a results line may still tell them in other words (PolyGraphe's
« En chiffres : … »): it is given as it is."""


def card_lines(entry: Entry, aspect: str) -> list[markup.Line]:
    """The lines of the card that give `aspect` (empty when the card has none)."""
    if aspect == "administration":
        if not entry.administration:
            return []
        return [(markup.Span("text", f"Porté par : {entry.administration}"),)]
    labels = LABELS.get(aspect, ())
    found = []
    for block in markup.parse(entry.answer):
        for line in block.lines:
            text = "".join(span.text for span in line).lstrip()
            if text.startswith(labels):
                found.append(line)
    return found


def render_aspects(entry: Entry, aspects: tuple[str, ...], full: Reply) -> Reply:
    """The parts asked for, the full card one button away; `full` (the whole card), after a
    line that says so for a site or code (`NOT_ON_THE_CARD`), when a part asked has no line of
    the card that starts with its label:
    what the card says is then all there is to say (« et l'équipe est restée après ? » asks for
    IA Flash's team line and its results, which no line labels)."""
    found = [card_lines(entry, aspect) for aspect in aspects]
    missing = [aspect for aspect, lines in zip(aspects, found, strict=True) if not lines]
    if missing:
        note = NOT_ON_THE_CARD.get(missing[0])
        if note is None:
            return full
        return prefixed(full, note.format(of_name=_of(entry.name or entry.title)))
    lines = [line for part in found for line in part]
    name = entry.name or entry.title
    heading = markup.Block("paragraph", ((markup.Span("bold", name), markup.Span("text", " :")),))
    blocks = (heading, markup.Block("bullets", tuple(lines)))
    return Reply(*html_and_plain(blocks), _whole_answer_first(entry, full), entry_id=entry.id)


_ELIDING = frozenset("AEIOUYÉÈÊÂÎÔaeiouyéèêâîô")


def _of(name: str) -> str:
    """« de PolyGraphe », « d'IA Flash »."""
    return f"d'{name}" if name[:1] in _ELIDING else f"de {name}"


def render_lead(entry: Entry, number: int, full: Reply, *, alone: bool = False) -> Reply:
    """The line `number` of the answer (`markup.numbered_lines`), the one the message asked
    about, first and in bold (a bullet read alone gets a capital and a full stop), then the rest
    of the answer as written, without that line: two candidate tryouts read it twice, at the
    top and again lower down, as the bot repeating itself. `alone`: the answer was just given
    in full, and that line is the reply, the whole answer one button away (three tryouts
    found the same long answer sent again for each follow-up, the fact asked for buried)."""
    blocks = markup.parse(entry.answer)
    lines = markup.numbered_lines(blocks)
    if not 0 <= number < len(lines):
        return full  # the base changed between the decision and the reply
    asked = lines[number][1]
    line = tuple(
        span if span.kind == "link" else markup.Span("bold", span.text)
        for span in _as_sentence(asked)
    )
    lead = markup.Block("paragraph", (line,))
    if alone:
        return Reply(*html_and_plain((lead,)), _whole_answer_first(entry, full), entry_id=entry.id)
    return answer_reply((lead, *markup.without_line(blocks, number)), entry, full.buttons)


def _whole_answer_first(entry: Entry, full: Reply) -> tuple[Button, ...]:
    """The buttons of a part of an answer: the whole answer first, then the full reply's own
    (without a second button to the same entry)."""
    return (entry_button(entry), *(b for b in full.buttons if b.target != entry.id))


def _as_sentence(line: markup.Line) -> markup.Line:
    """A bullet as a sentence of its own: « un portfolio si c'est pertinent ; » reads
    « Un portfolio si c'est pertinent. »."""
    spans = list(line)
    if not spans:
        return line
    first, last = spans[0], spans[-1]
    if first.kind != "link" and first.text[:1].islower():
        spans[0] = dataclasses.replace(first, text=first.text[:1].upper() + first.text[1:])
        last = spans[-1]
    if last.kind != "link":
        text = last.text.rstrip().rstrip(";,:").rstrip()
        if text and text[-1] not in ".!?»)":
            text += "."
        spans[-1] = dataclasses.replace(last, text=text)
    return tuple(spans)
