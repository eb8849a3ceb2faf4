"""Inline mode (`@bot salaire` in any chat): a query → the results to list, described, not built."""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine import Index
from bot.knowledge import KnowledgeBase
from bot.replies import render
from bot.telegram_bot import texts

MAX_RESULTS = 10


@dataclass(frozen=True, slots=True)
class InlineItem:
    """One result: what the list shows, and the message sent when the user picks it."""

    id: str
    title: str
    description: str
    reply: render.Reply


def inline_items(index: Index, query: str) -> tuple[InlineItem, ...]:
    """Up to ten entries that match `query`; the main topics when it is empty or off-topic."""
    knowledge = index.knowledge
    # The engine's decision says whether the query is about EIG at all; the ranking lists more
    # entries than a decision keeps (which stops at the suggestions).
    if not query.strip() or index.decide(query).status == "fallback":
        return topic_items(knowledge)
    return tuple(
        InlineItem(
            f"e:{c.entry.id}",
            c.entry.title,
            texts.entry_preview(c.entry),
            render.render_entry(c.entry, knowledge),
        )
        for c in index.search(query, limit=MAX_RESULTS).candidates
    )


def topic_items(knowledge: KnowledgeBase) -> tuple[InlineItem, ...]:
    """One result per topic that has entries, in menu order."""
    items = []
    for button in render.topic_buttons(knowledge):
        reply = render.render_topic(button.target, knowledge)
        if reply is not None:
            items.append(
                InlineItem(
                    f"t:{button.target}",
                    button.label,
                    texts.topic_preview(button.target, knowledge),
                    reply,
                )
            )
    return tuple(items[:MAX_RESULTS])
