"""How long a reply is, counted the way messaging apps count: UTF-16 code units."""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^>]+>")


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units (an emoji counts 2), as Telegram counts text."""
    return len(text.encode("utf-16-le")) // 2


def visible_length(text_html: str) -> int:
    """Length of the text a reader sees in bot HTML: tags dropped, entities read."""
    return utf16_length(html.unescape(_TAG.sub("", text_html)))
