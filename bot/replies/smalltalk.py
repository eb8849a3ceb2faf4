"""Replies to small talk: a greeting, a thank-you, an "ok", a laugh, a goodbye, an insult…"""

from __future__ import annotations

from bot.engine import SmallTalk
from bot.knowledge import KnowledgeBase
from bot.replies.reply import CONTACT_EMAIL, Reply, bot_text, topic_buttons

_TEXTS: dict[SmallTalk, str] = {
    "greeting": "Bonjour ! Je réponds à vos questions sur le programme **Entrepreneurs "
    "d'Intérêt Général** (EIG). Posez votre question comme elle vient, ou choisissez un thème :",
    "thanks": "Avec plaisir ! Une autre question sur le programme ? Écrivez-la, ou choisissez "
    "un thème :",
    "ack": "Très bien. Si vous avez une autre question sur le programme EIG, écrivez-la, ou "
    "choisissez un thème :",
    "laugh": "Content de vous faire sourire ! Une question sur le programme EIG ? Écrivez-la, "
    "ou choisissez un thème :",
    "bye": "Au revoir, et bonne continuation ! Revenez quand vous voulez : je suis là pour "
    "vos questions sur le programme EIG.",
    "insult": "Désolé si je ne vous ai pas aidé. Reformulez votre question en quelques mots "
    f"(par exemple « salaire » ou « date limite »), ou écrivez à l'équipe du programme : "
    f"{CONTACT_EMAIL}",
    "bot": "Je suis un assistant automatique : je réponds aux questions sur le programme "
    "**Entrepreneurs d'Intérêt Général** à partir des informations publiées par le programme "
    f"(jusqu'en 2022). Pour parler à une personne, écrivez à l'équipe : {CONTACT_EMAIL}",
    "language": "Je réponds en français, mais vous pouvez m'écrire en anglais : je comprends "
    "les questions en anglais sur le programme EIG. (I answer in French, but you can ask your "
    "questions in English.) Posez votre question, ou choisissez un thème :",
}

_WITH_TOPICS: frozenset[SmallTalk] = frozenset(
    {"greeting", "thanks", "ack", "laugh", "insult", "language"}
)
"""Kinds after which the topics are offered: the conversation may go on."""


def render_small_talk(kind: SmallTalk, knowledge: KnowledgeBase) -> Reply:
    """The short, kind reply to one kind of small talk."""
    html_text, plain = bot_text([_TEXTS[kind]])
    buttons = topic_buttons(knowledge) if kind in _WITH_TOPICS else ()
    return Reply(html_text, plain, buttons)
