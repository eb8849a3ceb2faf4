"""What a reply is, whatever the channel: HTML and plain text, and buttons described, not built.

The Telegram layer turns a `Button` into an inline keyboard button, the web page into a button,
the terminal chat into a numbered choice.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from bot.knowledge import TOPICS, Entry, KnowledgeBase, markup

CONTACT_EMAIL = "entrepreneur-interet-general@data.gouv.fr"
WEBSITE = "https://entrepreneur-interet-general.etalab.gouv.fr"


ButtonAction = Literal["entry", "topic"]


@dataclass(frozen=True, slots=True)
class Button:
    """A choice offered under a reply: open an entry, or list a topic's questions."""

    label: str
    action: ButtonAction
    target: str


@dataclass(frozen=True, slots=True)
class Reply:
    """A reply ready to send: the same message as Telegram HTML and as plain text."""

    html: str
    plain: str
    buttons: tuple[Button, ...] = ()
    entry_id: str | None = None
    """The entry this reply answers with, if any (for feedback buttons and statistics)."""


def html_and_plain(blocks: tuple[markup.Block, ...]) -> tuple[str, str]:
    """Parsed mark-up as a reply shows it (French spacing), in HTML and in plain text."""
    typeset = markup.typeset(blocks)
    return markup.to_html(typeset), markup.to_plain(typeset)


SEE_ALSO_HTML = "\n\n<i>Voir aussi\u00a0:</i>"
SEE_ALSO_PLAIN = "\n\nVoir aussi\u00a0:"
"""The line above an entry's related-entry buttons (a channel that labels them itself drops it)."""


def answer_reply(
    blocks: tuple[markup.Block, ...], entry: Entry, buttons: tuple[Button, ...]
) -> Reply:
    """An answer of `entry` made of `blocks`, with `buttons` (its related entries) under
    « Voir aussi »."""
    body_html, body_plain = html_and_plain(blocks)
    if buttons:
        body_html += SEE_ALSO_HTML
        body_plain += SEE_ALSO_PLAIN
    return Reply(body_html, body_plain, buttons, entry_id=entry.id)


def bot_text(texts: list[str]) -> tuple[str, str]:
    """Render bot-written text (same mark-up as answers) to HTML and plain text."""
    return html_and_plain(markup.parse("\n\n".join(texts)))


def prefixed(reply: Reply, text: str) -> Reply:
    """`reply` after a paragraph of bot-written `text`."""
    note_html, note_plain = bot_text([text])
    return dataclasses.replace(
        reply, html=f"{note_html}\n\n{reply.html}", plain=f"{note_plain}\n\n{reply.plain}"
    )


BUTTON_LABEL_MAX = 60
"""Characters of a button label: about what a phone shows on one line."""


def button_label(text: str, limit: int = BUTTON_LABEL_MAX) -> str:
    """`text` on one line, cut with an ellipsis at `limit` characters."""
    text = markup.french_spacing(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def entry_button(entry: Entry) -> Button:
    return Button(button_label(entry.title), "entry", entry.id)


def topic_buttons(knowledge: KnowledgeBase) -> tuple[Button, ...]:
    """One button per topic that has at least one entry."""
    present = {entry.category for entry in knowledge.entries}
    return tuple(Button(label, "topic", key) for key, label in TOPICS.items() if key in present)
