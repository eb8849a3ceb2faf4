"""Replies to small talk: a greeting, a thank-you, an "ok", a laugh, a goodbye, an insult…"""

from __future__ import annotations

from bot.engine import Language, SmallTalk
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

_ENGLISH_LINES: dict[SmallTalk, str] = {
    "greeting": "(Hello! I answer in French, but you can ask your questions in English.)",
    "thanks": "(You're welcome! Ask another question any time, in English if you like.)",
    "ack": "(All right. Ask another question any time, in English if you like.)",
    "laugh": "(Glad to make you smile! Ask a question any time, in English if you like.)",
    "bye": "(Goodbye, and good luck!)",
    "insult": "(Sorry if I could not help. Try a few key words, or write to the programme's team.)",
    "bot": "(I am an automatic assistant; to talk to a person, write to the programme's team.)",
}
"""The one English line before a reply to small talk written in English (« language » is in
both languages already)."""

_WITH_TOPICS: frozenset[SmallTalk] = frozenset(
    {"greeting", "thanks", "ack", "laugh", "insult", "language"}
)
"""Kinds after which the topics are offered: the conversation may go on."""


def render_small_talk(
    kind: SmallTalk, knowledge: KnowledgeBase, language: Language = "fr"
) -> Reply:
    """The short, kind reply to one kind of small talk, with one English line before it when
    it was written in English."""
    english = _ENGLISH_LINES.get(kind) if language == "en" else None
    html_text, plain = bot_text([english, _TEXTS[kind]] if english else [_TEXTS[kind]])
    buttons = topic_buttons(knowledge) if kind in _WITH_TOPICS else ()
    return Reply(html_text, plain, buttons)
