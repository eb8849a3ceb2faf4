"""The privacy notices: what the bot stores about a conversation, and for how long.

Kept next to nothing else so that it changes together with `bot.staff.questionlog`, which it
describes: `/confidentialite` on Telegram, and the notice under the web chat.
"""

from __future__ import annotations

from bot.replies.render import CONTACT_EMAIL, Reply, bot_text

WHAT_IS_RECORDED = (
    "Quand je ne suis pas sûr de ma réponse, j'enregistre votre question (en masquant les "
    "adresses e-mail et numéros de téléphone qu'elle contiendrait), l'heure et les "
    "réponses que je vous ai proposées, pour que l'équipe du programme puisse améliorer "
    "mes réponses.\n"
    "- Pour les autres questions, je compte seulement quelle réponse a été donnée, sans "
    "garder le texte.\n"
    "- Vos avis « Utile » / « Pas utile » sont comptés par réponse."
)
"""What the question log keeps, the same on every channel."""


def _days(retention_days: int) -> str:
    return f"{retention_days} jour{'s' if retention_days > 1 else ''}"


def _reply(paragraphs: list[str]) -> Reply:
    return Reply(*bot_text(paragraphs))


def render_privacy(retention_days: int) -> Reply:
    """What the question log keeps (see `bot.staff.questionlog`), in words a user can check."""
    return _reply(
        [
            "**Ce que j'enregistre**",
            WHAT_IS_RECORDED,
            "Je n'enregistre **jamais** votre identifiant Telegram, votre nom, votre pseudonyme "
            "ni l'identifiant de cette conversation : rien de ce que je garde ne permet de savoir "
            "qui a posé une question.",
            f"Ces données sont effacées automatiquement au bout de {_days(retention_days)}. La "
            "conversation elle-même reste, comme toute conversation, dans Telegram.",
            f"Une question sur vos données : {CONTACT_EMAIL}",
        ]
    )


def render_web_privacy(retention_days: int) -> Reply:
    """The same notice for the web chat: no cookie, no address, a conversation the page forgets."""
    return _reply(
        [
            WHAT_IS_RECORDED,
            "Cette page ne dépose **aucun cookie**. Je n'enregistre **jamais** votre adresse IP "
            "ni l'identifiant de cette conversation : rien de ce que je garde ne permet de savoir "
            "qui a posé une question. La conversation n'est affichée que dans cette page : elle "
            "s'efface quand vous la fermez ou la rechargez.",
            f"Ces données sont effacées automatiquement au bout de {_days(retention_days)}. "
            f"Une question sur vos données : {CONTACT_EMAIL}",
        ]
    )
