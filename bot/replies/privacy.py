"""The /confidentialite reply: what the bot stores about a conversation, and for how long.

Kept next to nothing else so that it changes together with `bot.staff.questionlog`, which it
describes.
"""

from __future__ import annotations

from bot.knowledge import markup
from bot.replies.render import CONTACT_EMAIL, Reply


def render_privacy(retention_days: int) -> Reply:
    """What the question log keeps (see `bot.staff.questionlog`), in words a user can check."""
    days = f"{retention_days} jour{'s' if retention_days > 1 else ''}"
    text = "\n\n".join(
        [
            "**Ce que j'enregistre**",
            "Quand je ne suis pas sûr de ma réponse, j'enregistre votre question (en masquant les "
            "adresses e-mail et numéros de téléphone qu'elle contiendrait), l'heure et les "
            "réponses que je vous ai proposées, pour que l'équipe du programme puisse améliorer "
            "mes réponses.\n"
            "- Pour les autres questions, je compte seulement quelle réponse a été donnée, sans "
            "garder le texte.\n"
            "- Vos avis « Utile » / « Pas utile » sont comptés par réponse.",
            "Je n'enregistre **jamais** votre identifiant Telegram, votre nom, votre pseudonyme "
            "ni l'identifiant de cette conversation : rien de ce que je garde ne permet de savoir "
            "qui a posé une question.",
            f"Ces données sont effacées automatiquement au bout de {days}. La conversation "
            "elle-même reste, comme toute conversation, dans Telegram.",
            f"Une question sur vos données : {CONTACT_EMAIL}",
        ]
    )
    blocks = markup.parse(text)
    return Reply(markup.to_html(blocks), markup.to_plain(blocks))
