"""What Telegram refuses: its limits on messages and buttons, and the HTML it accepts."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_ANSWER_CALLBACK_TEXT = 200

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "blockquote",
    "span",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class BadRequest(Exception):
    """What Telegram answers with HTTP 400; the text is Telegram's description."""


def keyboard_buttons(markup: Any) -> list[tuple[str, str]]:
    if not markup:
        return []
    return [
        (button["text"], button.get("callback_data", ""))
        for row in markup["inline_keyboard"]
        for button in row
    ]


class _TelegramHtml(HTMLParser):
    """Telegram's HTML rules: listed tags only, properly nested, `<`, `>`, `&` escaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.visible: list[str] = []
        self.error: str | None = None

    def _fail(self, message: str) -> None:
        if self.error is None:
            self.error = f"Bad Request: can't parse entities: {message}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self._fail(f'unsupported start tag "{tag}"')
        if tag == "a" and not dict(attrs).get("href"):
            self._fail("a tag without href")
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            self._fail("span tag without class tg-spoiler")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._fail(f'unsupported self-closing tag "{tag}"')

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self._fail(f'unmatched end tag "{tag}"')
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for char in "<>&":
            if char in data:
                self._fail(f"character '{char}' must be escaped")
        self.visible.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in NAMED_ENTITIES:
            self._fail(f'unsupported HTML entity "&{name};"')
        self.visible.append(NAMED_ENTITIES.get(name, ""))

    def handle_charref(self, name: str) -> None:
        code = int(name[1:], 16) if name[:1] in "xX" else int(name)
        self.visible.append(chr(code))

    def handle_comment(self, data: str) -> None:
        self._fail("comments are not supported")

    def handle_decl(self, decl: str) -> None:
        self._fail("declarations are not supported")


def check_text(text: Any, parse_mode: Any) -> str:
    """The visible text of a message, or BadRequest as Telegram would refuse it."""
    if not isinstance(text, str):
        raise BadRequest("Bad Request: message text is empty")
    visible = text
    if parse_mode == "HTML":
        # A "&" that does not start an entity reaches handle_data only when nothing follows it.
        bare = re.search(r"&(?!(?:[a-zA-Z]+|#\d+|#[xX][0-9a-fA-F]+);)", text)
        if bare:
            raise BadRequest(
                "Bad Request: can't parse entities: character '&' must be escaped "
                f"(byte offset {len(text[: bare.start()].encode())})"
            )
        parser = _TelegramHtml()
        parser.feed(text)
        parser.close()
        if parser.error is None and parser.stack:
            parser.error = f"Bad Request: can't parse entities: unclosed tag {parser.stack[-1]!r}"
        if parser.error:
            raise BadRequest(parser.error)
        visible = "".join(parser.visible)
    elif parse_mode not in (None, ""):
        raise BadRequest(f"Bad Request: unsupported parse_mode {parse_mode!r}")
    if not visible.strip():
        raise BadRequest("Bad Request: message text is empty")
    if len(visible.encode("utf-16-le")) // 2 > MAX_TEXT:
        raise BadRequest("Bad Request: message is too long")
    return visible


def check_markup(markup: Any) -> None:
    if not markup:
        return
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list):
        raise BadRequest("Bad Request: can't parse reply keyboard markup JSON object")
    for row in rows:
        for button in row:
            if not str(button.get("text", "")).strip():
                raise BadRequest("Bad Request: text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise BadRequest("Bad Request: BUTTON_DATA_INVALID")
