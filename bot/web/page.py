"""The chat page (`/`): one HTML file filled in per request, with headers that keep it sealed.

The page loads only its own CSS and JavaScript (`static/`); the welcome message travels inside it
as JSON, so the first answer appears without a request. The Content-Security-Policy forbids any
other source, and lets only the sites of WEB_ALLOWED_ORIGINS show the page in a frame.
"""

from __future__ import annotations

import functools
import html
import json
import string
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.replies.render import CONTACT_EMAIL
from bot.web.answers import web_html
from bot.web.api import MAX_QUESTION_CHARS
from bot.web.chat import WebChat

TEMPLATE = Path(__file__).resolve().parent / "templates" / "chat.html"


@functools.cache
def _template() -> string.Template:
    return string.Template(TEMPLATE.read_text(encoding="utf-8"))


def script_json(value: Any) -> str:
    """JSON that can sit inside a <script> element: no '<' that could close it."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def render_page(chat: WebChat) -> str:
    """The page, with the current base's welcome and the privacy notice."""
    return _template().substitute(
        welcome=script_json(chat.welcome()),
        privacy=web_html(chat.privacy().html),
        max_question=MAX_QUESTION_CHARS,
        contact=html.escape(CONTACT_EMAIL),
    )


def page_headers(allowed_origins: Sequence[str]) -> dict[str, str]:
    """Security headers of the page: its own files only, framed only by the allowed sites."""
    ancestors = " ".join(["'self'", *allowed_origins])
    policy = (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        f"img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
    )
    return {
        "Content-Security-Policy": policy,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-cache",
    }
