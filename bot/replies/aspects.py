"""A part of a défi's card, for a message that asks only for it (« et les mentors ? »).

The engine says which parts (`Decision.aspects`); here they are found in the card as staff wrote
it: the lines that start with their label (« - Mentors : … », « Résultats : … »), and the
administration from the entry's own field. A part the card does not have is said so, with the
full card and the programme's contact, never made up.
"""

from __future__ import annotations

from bot.knowledge import Entry, markup
from bot.replies.reply import CONTACT_EMAIL, Reply, entry_button

LABELS: dict[str, tuple[str, ...]] = {
    "mentors": ("Mentor",),
    "equipe": ("Équipe",),
    "resultats": ("Résultat", "Réalisations"),
    "code": ("Code", "Site"),
}
"""How each part's line starts in the défi cards of `knowledge/defis.yaml`."""

MISSING = {
    "mentors": "ses mentors",
    "equipe": "son équipe",
    "administration": "l'administration qui l'a porté",
    "resultats": "ses résultats",
    "code": "l'adresse de son code",
}
"""Each part, as the sentence « Ma fiche sur … ne donne pas … » names it."""


def card_lines(entry: Entry, aspect: str) -> list[markup.Line]:
    """The lines of the card that give `aspect` (empty when the card has none)."""
    if aspect == "administration":
        return (
            [(markup.Span("text", f"Porté par : {entry.administration}"),)]
            if (entry.administration)
            else []
        )
    labels = LABELS.get(aspect, ())
    found = []
    for block in markup.parse(entry.answer):
        for line in block.lines:
            text = "".join(span.text for span in line).lstrip()
            if text.startswith(labels):
                found.append(line)
    return found


def render_aspects(entry: Entry, aspects: tuple[str, ...], full: Reply) -> Reply:
    """The parts asked for, the full card one button away; `full` (the whole card) when the
    card has none of them, after a sentence that says so."""
    name = entry.name or entry.title
    lines = [line for aspect in aspects for line in card_lines(entry, aspect)]
    if not lines:
        missing = " ni ".join(MISSING.get(a, a) for a in aspects)
        note = (
            f"Ma fiche sur {name} ne donne pas {missing}. L'équipe du programme peut vous "
            f"renseigner : {CONTACT_EMAIL}"
        )
        blocks = markup.parse(note)
        return Reply(
            f"{markup.to_html(blocks)}\n\n{full.html}",
            f"{markup.to_plain(blocks)}\n\n{full.plain}",
            full.buttons,
            entry_id=entry.id,
        )
    heading = markup.Block("paragraph", ((markup.Span("bold", name), markup.Span("text", " :")),))
    blocks = (heading, markup.Block("bullets", tuple(lines)))
    buttons = (entry_button(entry), *(b for b in full.buttons if b.target != entry.id))
    return Reply(markup.to_html(blocks), markup.to_plain(blocks), buttons, entry_id=entry.id)
