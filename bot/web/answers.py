"""A rendered `Reply` as the JSON the web API returns: HTML for a page, plain text, buttons.

`bot.replies` writes Telegram HTML (escaped text, `<b>`, `<i>`, `<a href>`, lines); here its
paragraphs and `• ` bullets become `<p>` and `<ul>`, so a page and a screen reader see the same
structure as the answer in YAML. Nothing else is added: the HTML stays as safe as the renderer's.
"""

from __future__ import annotations

from typing import Any

from bot.replies import render
from bot.replies.render import Button, Reply

BULLET = "• "


def web_html(telegram_html: str) -> str:
    """Telegram HTML → page HTML: blank lines separate paragraphs, bullet lines make a list."""
    blocks: list[str] = []
    for chunk in telegram_html.strip().split("\n\n"):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith(BULLET) for line in lines):
            items = "".join(f"<li>{line.removeprefix(BULLET)}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append(f"<p>{'<br>'.join(lines)}</p>")
    return "".join(blocks)


def button_json(button: Button) -> dict[str, str]:
    return {"label": button.label, "action": button.action, "target": button.target}


def reply_json(reply: Reply, *, status: str, feedback: str | None) -> dict[str, Any]:
    """The API's answer for a reply.

    `suggestions` are the buttons offered instead of an answer ("Vouliez-vous dire…", topics);
    `related` are an answer's "Voir aussi" entries (the page labels them, so the reply's own
    "Voir aussi :" line is dropped); `feedback` is the ticket for votes and tapped suggestions.
    """
    answered = reply.entry_id is not None
    html = reply.html.removesuffix(render.SEE_ALSO_HTML) if answered else reply.html
    plain = reply.plain.removesuffix(render.SEE_ALSO_PLAIN) if answered else reply.plain
    buttons = [button_json(button) for button in reply.buttons]
    return {
        "status": status,
        "entry": reply.entry_id,
        "html": web_html(html),
        "text": plain,
        "suggestions": [] if answered else buttons,
        "related": buttons if answered else [],
        "feedback": feedback,
    }
