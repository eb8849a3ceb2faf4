"""A part of a défi's card, for a message that asks only for it (« et les mentors ? »).

The engine says which parts (`Decision.aspects`); here they are found in the card as staff wrote
it: the lines that start with their label (« - Mentors : … », « Résultats : … »), and the
administration from the entry's own field. When no line has the label, the whole card is given:
the part may be in it in other words (« Le code n'est pas public »), and nothing is made up.
"""

from __future__ import annotations

from bot.knowledge import Entry, markup
from bot.replies.reply import Reply, entry_button, html_and_plain

LABELS: dict[str, tuple[str, ...]] = {
    "mentors": ("Mentor",),
    "equipe": ("Équipe",),
    "resultats": ("Résultat", "Réalisations"),
    "code": ("Code", "Site"),
}
"""How each part's line starts in the défi cards of `knowledge/defis.yaml`."""


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
    """The parts asked for, the full card one button away; `full` (the whole card) when no
    line of the card starts with their label: what the card says is then all there is to say."""
    lines = [line for aspect in aspects for line in card_lines(entry, aspect)]
    if not lines:
        return full
    name = entry.name or entry.title
    heading = markup.Block("paragraph", ((markup.Span("bold", name), markup.Span("text", " :")),))
    blocks = (heading, markup.Block("bullets", tuple(lines)))
    buttons = (entry_button(entry), *(b for b in full.buttons if b.target != entry.id))
    return Reply(*html_and_plain(blocks), buttons, entry_id=entry.id)
