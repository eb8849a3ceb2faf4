"""Decision → French reply: Telegram HTML, plain text for the terminal, and button descriptions.

Buttons are described, not built: the Telegram layer turns a `Button` into an inline keyboard
button, the terminal chat into a numbered choice.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Literal

from bot.engine import Decision
from bot.knowledge import Entry, KnowledgeBase, markup

CONTACT_EMAIL = "entrepreneur-interet-general@data.gouv.fr"
WEBSITE = "https://entrepreneur-interet-general.etalab.gouv.fr"

TOPICS: dict[str, str] = {
    "programme": "Le programme",
    "candidature": "Candidater",
    "mission": "La mission d'EIG",
    "defis": "Les défis",
    "administrations": "Proposer un défi",
    "contact": "Contact",
}
"""Entry categories shown as topics, in menu order, with their French label."""

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


def bot_text(texts: list[str]) -> tuple[str, str]:
    """Render bot-written text (same mark-up as answers) to HTML and plain text."""
    blocks = markup.parse("\n\n".join(texts))
    return markup.to_html(blocks), markup.to_plain(blocks)


BUTTON_LABEL_MAX = 60
"""Characters of a button label: about what a phone shows on one line."""


def button_label(text: str, limit: int = BUTTON_LABEL_MAX) -> str:
    """`text` on one line, cut with an ellipsis at `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def entry_button(entry: Entry) -> Button:
    return Button(button_label(entry.title), "entry", entry.id)


def topic_buttons(knowledge: KnowledgeBase) -> tuple[Button, ...]:
    """One button per topic that has at least one entry."""
    present = {entry.category for entry in knowledge.entries}
    return tuple(Button(label, "topic", key) for key, label in TOPICS.items() if key in present)


SEE_ALSO_HTML = "\n\n<i>Voir aussi :</i>"
SEE_ALSO_PLAIN = "\n\nVoir aussi :"
"""The line above an entry's related-entry buttons (a channel that labels them itself drops it)."""


def render_entry(entry: Entry, knowledge: KnowledgeBase) -> Reply:
    """An entry's answer, with its related entries as "Voir aussi" buttons."""
    blocks = markup.parse(entry.answer)
    related = [knowledge.by_id[r] for r in entry.related if r in knowledge.by_id]
    buttons = tuple(entry_button(r) for r in related)
    body_html = markup.to_html(blocks)
    body_plain = markup.to_plain(blocks)
    if buttons:
        body_html += SEE_ALSO_HTML
        body_plain += SEE_ALSO_PLAIN
    return Reply(body_html, body_plain, buttons, entry_id=entry.id)


def render_suggestions(entries: tuple[Entry, ...]) -> Reply:
    """ "Vouliez-vous dire…" with one button per entry."""
    html_text, plain = bot_text(["Je ne suis pas certain d'avoir compris. Vouliez-vous dire… ?"])
    return Reply(html_text, plain, tuple(entry_button(e) for e in entries))


def render_fallback(knowledge: KnowledgeBase) -> Reply:
    """The polite "I do not know" with a way forward: topics and the programme's contact."""
    html_text, plain = bot_text(
        [
            "Je n'ai pas de réponse sûre à cette question. Je réponds aux questions sur le "
            "programme "
            "**Entrepreneurs d'Intérêt Général** : le programme, la candidature, le contrat, les "
            "mentors et les défis.",
            "Vous pouvez reformuler votre question en quelques mots (par exemple « salaire » ou "
            "« date limite »), choisir un thème ci-dessous, ou écrire à l'équipe du programme : "
            f"{CONTACT_EMAIL}",
        ]
    )
    return Reply(html_text, plain, topic_buttons(knowledge))


def render_thanks(knowledge: KnowledgeBase) -> Reply:
    """The reply to a plain "merci": nothing to look up."""
    html_text, plain = bot_text(
        [
            "Avec plaisir ! Une autre question sur le programme ? Écrivez-la, ou choisissez "
            "un thème :"
        ]
    )
    return Reply(html_text, plain, topic_buttons(knowledge))


def render_decision(decision: Decision, knowledge: KnowledgeBase) -> Reply:
    """The reply for an engine decision."""
    if decision.status == "answer" and decision.entry is not None:
        return render_entry(decision.entry, knowledge)
    if decision.status == "suggest":
        return render_suggestions(decision.suggestions)
    if decision.small_talk == "greeting":
        return render_welcome(knowledge)
    if decision.small_talk == "thanks":
        return render_thanks(knowledge)
    return render_fallback(knowledge)


def render_topic(topic: str, knowledge: KnowledgeBase) -> Reply | None:
    """A topic's questions as buttons; None for an unknown topic."""
    if topic not in TOPICS:
        return None
    entries = [e for e in knowledge.entries if e.category == topic]
    if not entries:
        return None
    label = html.escape(TOPICS[topic])
    return Reply(
        f"<b>{label}</b> : choisissez une question.",
        f"{TOPICS[topic]} : choisissez une question.",
        tuple(entry_button(e) for e in entries),
    )


def render_welcome(knowledge: KnowledgeBase) -> Reply:
    """The /start message: what the bot knows, and the main topics."""
    html_text, plain = bot_text(
        [
            "Bonjour ! Je réponds à vos questions sur le programme **Entrepreneurs d'Intérêt "
            "Général** (EIG) : ce qu'il est, qui peut candidater et comment, le contrat, "
            "les mentors "
            "et les défis de la 3e promotion.",
            "Posez votre question comme elle vient, par exemple « quel est le salaire ? » ou "
            "« le défi sur les réfugiés », ou choisissez un thème :",
        ]
    )
    return Reply(html_text, plain, topic_buttons(knowledge))


def render_help(knowledge: KnowledgeBase) -> Reply:
    """The /aide message."""
    html_text, plain = bot_text(
        [
            "Écrivez simplement votre question, même en quelques mots : « salaire », "
            "« télétravail », "
            "« comment candidater », « c'est quoi DataJust ».",
            "Commandes :\n"
            "- /defis : les défis de la 3e promotion\n"
            "- /faq : les questions fréquentes par thème\n"
            "- /contact : joindre l'équipe du programme\n"
            "- /confidentialite : ce que le bot enregistre",
            "Quand je ne suis pas sûr, je vous propose les questions les plus proches.",
        ]
    )
    return Reply(html_text, plain, topic_buttons(knowledge))


def render_defis(knowledge: KnowledgeBase) -> Reply:
    """The défis as buttons."""
    defis = [e for e in knowledge.entries if e.is_defi]
    html_text, plain = bot_text(["Les défis : choisissez-en un pour le découvrir."])
    return Reply(
        html_text,
        plain,
        tuple(Button(button_label(e.name or e.title), "entry", e.id) for e in defis),
    )


def render_contact(knowledge: KnowledgeBase) -> Reply:
    """The contact entry when the base has one, otherwise the programme's address."""
    entry = knowledge.get("contact")
    if entry is not None:
        return render_entry(entry, knowledge)
    html_text, plain = bot_text(
        [f"Écrivez à l'équipe du programme : {CONTACT_EMAIL}", f"Site : {WEBSITE}"]
    )
    return Reply(html_text, plain)


def render_target(action: ButtonAction, target: str, knowledge: KnowledgeBase) -> Reply | None:
    """What a button (or a deep link) opens: an entry or a topic; None when it no longer exists."""
    if action == "entry":
        entry = knowledge.get(target)
        return render_entry(entry, knowledge) if entry is not None else None
    return render_topic(target, knowledge)


def render_faq(knowledge: KnowledgeBase) -> Reply:
    """The /faq message: the topics, each opening its questions."""
    html_text, plain = bot_text(["Les questions fréquentes, par thème : choisissez-en un."])
    return Reply(html_text, plain, topic_buttons(knowledge))


def render_apology() -> Reply:
    """Sent when something went wrong while answering."""
    html_text, plain = bot_text(
        [
            "Désolé, un problème technique m'a empêché de vous répondre. Réessayez dans un "
            f"instant ; si le problème continue, écrivez à l'équipe du programme : {CONTACT_EMAIL}",
        ]
    )
    return Reply(html_text, plain)


VOTE_LABELS = ("Utile", "Pas utile")
"""The two feedback buttons under an entry's answer."""


def vote_thanks_notice(*, useful: bool) -> str:
    """The short notice (plain text) shown when someone taps "Utile" or "Pas utile"."""
    if useful:
        return "Merci pour votre avis !"
    return (
        "Merci pour votre avis : l'équipe du programme en tiendra compte pour améliorer "
        "cette réponse."
    )
