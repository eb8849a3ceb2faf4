"""Texts only the Telegram channel needs: the command menu, notices, inline previews."""

from __future__ import annotations

from bot.knowledge import Entry, KnowledgeBase, markup
from bot.replies.render import Reply, bot_text, button_label

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Présentation et grands thèmes"),
    ("aide", "Comment poser une question"),
    ("faq", "Questions fréquentes par thème"),
    ("defis", "Les défis, par promotion"),
    ("contact", "Joindre l'équipe du programme"),
    ("confidentialite", "Ce que le bot enregistre, et pour combien de temps"),
)
"""The command menu registered with Telegram, in menu order: (command, description)."""


def render_not_text() -> Reply:
    """The reply to a sticker, photo, voice message, document or location."""
    html_text, plain = bot_text(
        [
            "Je ne lis que les questions écrites : je ne peux ni regarder les images, ni écouter "
            "les messages vocaux, ni ouvrir les fichiers.",
            "Écrivez-moi votre question en quelques mots, par exemple « quel est le salaire ? ».",
        ]
    )
    return Reply(html_text, plain)


def render_unknown_command() -> Reply:
    """The hint given for a command the bot does not know."""
    html_text, plain = bot_text(
        [
            "Je ne connais pas cette commande. Tapez /aide pour voir ce que je sais faire, "
            "ou posez directement votre question."
        ]
    )
    return Reply(html_text, plain)


def render_flood_notice(pause_seconds: int) -> Reply:
    """Sent once to a user who writes too fast, before the bot ignores them for a while."""
    html_text, plain = bot_text(
        [
            "Doucement ! Vous m'envoyez beaucoup de messages d'un coup. "
            f"Je fais une pause de {pause_seconds} secondes, puis je vous réponds à nouveau.",
        ]
    )
    return Reply(html_text, plain)


def stale_button_notice() -> str:
    """The short notice (plain text, at most 200 characters) for an outdated or unknown button."""
    return markup.french_spacing(
        "Ce bouton n'est plus valable : la réponse a changé depuis. Posez à nouveau votre question."
    )


def already_voted_notice() -> str:
    """The short notice (plain text) for a second vote on the same answer."""
    return "Merci, votre avis sur cette réponse est déjà compté."


def flood_button_notice() -> str:
    """The short notice (plain text) for a button tapped while the user is paused for flooding."""
    return markup.french_spacing(
        "Doucement ! Attendez quelques secondes avant de toucher un autre bouton."
    )


def entry_preview(entry: Entry, limit: int = 100) -> str:
    """The start of an entry's answer as one line of plain text (inline results)."""
    return button_label(markup.to_plain(markup.parse(entry.answer)), limit)


def topic_preview(topic: str, knowledge: KnowledgeBase) -> str:
    """What an inline result for a topic says under its title."""
    count = sum(1 for e in knowledge.entries if e.category == topic)
    return f"{count} question{'s' if count > 1 else ''} sur ce thème"
