"""Long replies: cut into messages Telegram accepts, at paragraph boundaries, nothing lost."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.telegram_bot.splitting import MAX_LENGTH, size, split_html
from bot.testing import fake_bot_api as fake


def visible(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def test_a_short_reply_is_one_message():
    assert split_html("<b>Bonjour</b> !") == ["<b>Bonjour</b> !"]


def test_a_long_reply_is_cut_between_paragraphs():
    paragraphs = [f"Paragraphe {n} :" + " mot" * 200 for n in range(8)]
    parts = split_html("\n\n".join(paragraphs))
    assert len(parts) > 1
    assert all(size(p) <= MAX_LENGTH for p in parts)
    assert "\n\n".join(parts) == "\n\n".join(paragraphs)


def test_a_paragraph_too_long_for_one_message_is_cut_between_lines_then_words():
    lines = "\n".join(f"• ligne {n} " + "x" * 50 for n in range(100))
    parts = split_html(lines)
    assert all(size(p) <= MAX_LENGTH for p in parts)
    assert all(p.startswith("• ligne") for p in parts)  # cut at a line break
    words = split_html("mot " * 3000)
    assert all(p.endswith("mot") and p.startswith("mot") for p in words)


def test_tags_open_at_a_cut_are_closed_and_reopened():
    parts = split_html("<b>" + "gras " * 2000 + "</b>")
    assert len(parts) > 1
    for part in parts:
        assert part.startswith("<b>") and part.endswith("</b>")
        fake.check_text(part, "HTML")  # Telegram would accept each part


def test_entities_and_emoji_are_never_cut_in_half():
    text = ("&amp;&lt;🙂 " * 1500).strip()
    parts = split_html(text, limit=500)
    assert all(size(p) <= 500 for p in parts)
    assert " ".join(parts) == text
    for part in parts:
        fake.check_text(part, "HTML")


blocks = st.lists(
    st.tuples(
        st.sampled_from(["", "b", "i", "a"]),
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(blocks, st.sampled_from(["\n\n", "\n", " "]), st.integers(min_value=120, max_value=700))
def test_any_reply_becomes_valid_messages_that_keep_every_word(parts, separator, limit):
    chunks = []
    for tag, text in parts:
        escaped = html.escape(text, quote=False)
        if not escaped.strip():
            continue
        if tag == "a":
            chunks.append(f'<a href="https://example.org/x?a=1&amp;b=2">{escaped}</a>')
        elif tag:
            chunks.append(f"<{tag}>{escaped}</{tag}>")
        else:
            chunks.append(escaped)
    source = separator.join(chunks)
    messages = split_html(source, limit=limit)
    for message in messages:
        assert size(message) <= limit
        fake.check_text(message, "HTML")
    assert "".join("".join(visible(m).split()) for m in messages) == "".join(
        visible(source).split()
    )
