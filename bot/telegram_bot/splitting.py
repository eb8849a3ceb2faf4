"""Split Telegram HTML into messages that fit Telegram's length limit, at paragraph boundaries.

A cut goes, by preference, at the last paragraph break that fits, else the last line break,
else the last space, else anywhere between two tokens (never inside a tag or an entity). Tags open
at a cut are closed at the end of one message and opened again at the start of the next, so each
message is valid HTML on its own.
"""

from __future__ import annotations

import re

from bot.replies.length import utf16_length

MAX_LENGTH = 4096
"""Telegram's limit on a message's text."""

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")
# Break kinds, best first.
_PARAGRAPH, _LINE, _SPACE, _ANY = 3, 2, 1, 0


def size(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts; tags count too, to stay on the safe side."""
    return utf16_length(text)


def split_html(text: str, limit: int = MAX_LENGTH) -> list[str]:
    """`text` as one or more non-empty messages of at most `limit` UTF-16 code units each."""
    rest = text.strip()
    chunks: list[str] = []
    while size(rest) > limit:
        head, open_tags, tail = _cut(rest, limit)
        chunks.append(head.rstrip() + "".join(f"</{name}>" for name, _ in reversed(open_tags)))
        tail = tail.lstrip()
        if not tail:
            break
        rest = "".join(tag for _, tag in open_tags) + tail
    else:
        if rest:
            chunks.append(rest)
    return chunks


def _tokens(limit: int) -> re.Pattern[str]:
    """Tags, entities, whitespace runs and words (long words in pieces that leave room to cut)."""
    return re.compile(rf"<[^>]*>|&#?\w+;|\s+|[^<&\s]{{1,{max(1, limit // 8)}}}|[<&]")


def _cut(text: str, limit: int) -> tuple[str, list[tuple[str, str]], str]:
    """The longest head that fits and ends at the best kind of break, its open tags, the rest."""
    best: dict[int, tuple[int, list[tuple[str, str]]]] = {}
    stack: list[tuple[str, str]] = []
    position = used = 0
    visible = False  # a head must show something, not only tags reopened from the last message
    for match in _tokens(limit).finditer(text):
        token = match.group()
        closing = sum(len(name) + 3 for name, _ in stack)
        if visible and used + closing <= limit:
            best[_break_kind(token)] = (position, list(stack))
        used += size(token)
        if used > limit:
            break
        tag = _TAG.fullmatch(token)
        if tag and tag.group(1):
            if stack and stack[-1][0] == tag.group(2).lower():
                stack.pop()
        elif tag:
            stack.append((tag.group(2).lower(), token))
        elif not token.isspace():
            visible = True
        position = match.end()
    for kind in (_PARAGRAPH, _LINE, _SPACE, _ANY):
        if kind in best:
            cut, open_tags = best[kind]
            return text[:cut], open_tags, text[cut:]
    # Only reachable with a limit smaller than one token: cut the token itself.
    return text[:limit], [], text[limit:]


def _break_kind(token: str) -> int:
    """How good a place the start of `token` is for a cut."""
    if token.isspace():
        if token.count("\n") >= 2:
            return _PARAGRAPH
        return _LINE if "\n" in token else _SPACE
    return _ANY
