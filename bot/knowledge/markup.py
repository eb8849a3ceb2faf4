"""The small mark-up that staff write answers in: paragraphs, `- ` bullets, **bold**, links.

Parsing is separate from output so that the validator, the Telegram renderer (HTML) and the
terminal renderer (plain text) agree on what an answer means.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

_BOLD = r"\*\*(?P<bold>[^*\n]+?)\*\*"
_LINK = r"\[(?P<label>[^\]\n]+)\]\((?P<href>https?://[^\s()]+)\)"
_URL = r"(?P<url>https?://[^\s<>\"]+[^\s<>\".,;:!?)»])"
_INLINE = re.compile(f"{_BOLD}|{_LINK}|{_URL}")
_BULLET = re.compile(r"^\s*[-•]\s+")

SpanKind = Literal["text", "bold", "link"]


@dataclass(frozen=True, slots=True)
class Span:
    """A run of inline text: plain, bold, or a link to `url`."""

    kind: SpanKind
    text: str
    url: str = ""


Line = tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (its lines) or a bullet list (one line per item)."""

    kind: Literal["paragraph", "bullets"]
    lines: tuple[Line, ...]


def parse_inline(text: str) -> Line:
    """Split one line into spans."""
    spans: list[Span] = []
    pos = 0
    for match in _INLINE.finditer(text):
        if match.start() > pos:
            spans.append(Span("text", text[pos : match.start()]))
        if match.group("bold") is not None:
            spans.append(Span("bold", match.group("bold")))
        elif match.group("label") is not None:
            spans.append(Span("link", match.group("label"), match.group("href")))
        else:
            spans.append(Span("link", match.group("url"), match.group("url")))
        pos = match.end()
    if pos < len(text):
        spans.append(Span("text", text[pos:]))
    return tuple(spans)


def parse(text: str) -> tuple[Block, ...]:
    """Parse an answer into blocks; blank lines separate paragraphs, `- ` lines are bullets."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip() for line in chunk.splitlines() if line.strip()]
        current: list[Line] = []
        kind: Literal["paragraph", "bullets"] | None = None
        for line in lines:
            line_kind: Literal["paragraph", "bullets"] = (
                "bullets" if _BULLET.match(line) else "paragraph"
            )
            if kind is not None and line_kind != kind:
                blocks.append(Block(kind, tuple(current)))
                current = []
            kind = line_kind
            current.append(parse_inline(_BULLET.sub("", line) if line_kind == "bullets" else line))
        if kind is not None:
            blocks.append(Block(kind, tuple(current)))
    return tuple(blocks)


def numbered_lines(blocks: tuple[Block, ...]) -> list[tuple[int, Line]]:
    """Every line of `blocks` in reading order, with the number of its block."""
    return [(number, line) for number, block in enumerate(blocks) for line in block.lines]


def without_line(blocks: tuple[Block, ...], number: int) -> tuple[Block, ...]:
    """`blocks` without the line `number` of `numbered_lines` (a block left empty goes too)."""
    kept: list[Block] = []
    seen = 0
    for block in blocks:
        lines = tuple(
            line for position, line in enumerate(block.lines, start=seen) if position != number
        )
        seen += len(block.lines)
        if lines:
            kept.append(Block(block.kind, lines))
    return tuple(kept)


def line_text(line: Line) -> str:
    """A line's text without its mark-up (a link's label)."""
    return "".join(span.text for span in line)


def problems(text: str) -> list[str]:
    """What would keep an answer from rendering as staff meant it, in French; empty when fine."""
    found: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        rest = _INLINE.sub("", line)
        where = f"ligne {number} de la réponse"
        if "**" in rest:
            found.append(f"{where} : « ** » sans sa paire ; écrivez **texte en gras**")
        if re.search(r"\[[^\]]*\]\s*\(", rest):
            found.append(
                f"{where} : lien mal formé ; écrivez [texte](https://adresse) "
                "avec une adresse qui commence par https://, sans espace entre ] et ("
            )
        star = _SINGLE_STAR.search(rest)
        if star is not None:
            found.append(
                f"{where} : « {star.group()} » : une seule étoile ne change rien et "
                "s'afficherait ; écrivez **texte en gras**, ou retirez les étoiles"
            )
        tag = _HTML.search(rest)
        if tag is not None:
            found.append(
                f"{where} : « {tag.group()} » s'afficherait tel quel : le bot n'utilise pas le "
                "HTML ; écrivez **texte en gras**, une ligne vide pour un paragraphe, & et < "
                "tels quels"
            )
    return found


_SINGLE_STAR = re.compile(r"(?<![*\w])\*[^*\s][^*]*?\*(?![*\w])")
"""*texte* (italics elsewhere): the bot knows only **bold**, and would show the stars."""
_HTML = re.compile(
    r"</?(?:b|i|u|em|strong|br|p|a|span|div|ul|li)\b[^>]*>|&(?:amp|lt|gt|nbsp|quot);", re.I
)
"""HTML tags and entities, typed by someone used to the web: shown as typed, never rendered."""


NARROW_SPACE = "\u202f"
"""Espace fine insécable: before ; ! ? and %, inside « », between groups of thousands."""
NO_BREAK_SPACE = "\u00a0"
"""Espace insécable: before a colon and a currency."""

_SPACING = (
    (re.compile(r" +([;!?»%])"), NARROW_SPACE + r"\1"),
    (re.compile(r"« +"), "«" + NARROW_SPACE),
    (re.compile(r" +:(?!\S)"), NO_BREAK_SPACE + ":"),
    (re.compile(r"(?<=\d) +(?=(?:k|M|Md)?€)"), NO_BREAK_SPACE),
)
_THOUSANDS = re.compile(r"\b\d{1,3}(?: \d{3})+\b")


def french_spacing(text: str) -> str:
    """`text` with the non-breaking spaces of French typography: a line never starts with
    « ? », « : » or « € », nor breaks « 4 000 » in two (staff type ordinary spaces)."""
    for pattern, replacement in _SPACING:
        text = pattern.sub(replacement, text)
    return _THOUSANDS.sub(lambda m: m.group().replace(" ", NARROW_SPACE), text)


def typeset(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """The blocks with `french_spacing` in their text (links and addresses are left as they are)."""

    def spans(line: Line) -> Line:
        return tuple(
            span if span.kind == "link" else Span(span.kind, french_spacing(span.text))
            for span in line
        )

    return tuple(Block(b.kind, tuple(spans(line) for line in b.lines)) for b in blocks)


def to_html(blocks: tuple[Block, ...]) -> str:
    """Telegram HTML: every piece of text escaped, only <b> and <a href> tags."""
    parts: list[str] = []
    for block in blocks:
        if block.kind == "bullets":
            parts.append("\n".join("• " + _line_html(line) for line in block.lines))
        else:
            parts.append("\n".join(_line_html(line) for line in block.lines))
    return "\n\n".join(parts)


def to_plain(blocks: tuple[Block, ...]) -> str:
    """Plain text for the terminal: bold dropped, links as 'label (url)'."""
    parts: list[str] = []
    for block in blocks:
        prefix = "• " if block.kind == "bullets" else ""
        parts.append("\n".join(prefix + _line_plain(line) for line in block.lines))
    return "\n\n".join(parts)


def _line_html(line: Line) -> str:
    out: list[str] = []
    for span in line:
        text = html.escape(span.text, quote=False)
        if span.kind == "bold":
            out.append(f"<b>{text}</b>")
        elif span.kind == "link":
            out.append(f'<a href="{html.escape(span.url, quote=True)}">{text}</a>')
        else:
            out.append(text)
    return "".join(out)


def _line_plain(line: Line) -> str:
    out: list[str] = []
    for span in line:
        if span.kind == "link" and span.text != span.url:
            out.append(f"{span.text} ({span.url})")
        else:
            out.append(span.text)
    return "".join(out)
