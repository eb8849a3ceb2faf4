"""Conversations: what the bot last answered in each chat, so that a follow-up can be read.

"et pour les fonctionnaires ?" or "qui l'a porté ?" make sense only after the previous answer.
`Dialogues` remembers, per conversation, the entries the bot last gave, in memory only and for a
few minutes: nothing here is written to disk or to a log, and a conversation id is whatever the
channel uses (a Telegram chat, a web page's random id), never a person's name.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from bot.engine.decision import Decision
from bot.engine.index import Index

FOLLOW_UP_SECONDS = 600.0
"""A follow-up comes within minutes; after ten, a message starts a new conversation."""

MAX_CONVERSATIONS = 10_000
"""Conversations remembered at once; the least recent are forgotten first (bounds memory)."""


@dataclass(frozen=True, slots=True)
class _Memory:
    entry_ids: tuple[str, ...]
    at: float


class Dialogues:
    """The last answer of each conversation, forgotten after `ttl` seconds."""

    def __init__(
        self,
        *,
        ttl: float = FOLLOW_UP_SECONDS,
        capacity: int = MAX_CONVERSATIONS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.capacity = capacity
        self._clock = clock
        self._memory: OrderedDict[Hashable, _Memory] = OrderedDict()

    def last(self, conversation: Hashable) -> tuple[str, ...]:
        """The entries last given in `conversation` (empty when none, or too long ago)."""
        memory = self._memory.get(conversation)
        if memory is None:
            return ()
        if self._clock() - memory.at > self.ttl:
            del self._memory[conversation]
            return ()
        return memory.entry_ids

    def remember(self, conversation: Hashable, entry_ids: Sequence[str]) -> None:
        """Note that the bot just gave `entry_ids` in `conversation` (an answer, a button)."""
        if not entry_ids:
            return
        self._memory[conversation] = _Memory(tuple(entry_ids), self._clock())
        self._memory.move_to_end(conversation)
        while len(self._memory) > self.capacity:
            self._memory.popitem(last=False)

    def decide(self, index: Index, conversation: Hashable, text: str) -> Decision:
        """The engine's decision for `text`, read after what `conversation` last answered."""
        previous = self.last(conversation)
        decision = index.decide(text, context=previous)
        self.remember(conversation, decision.context_after(previous, index.knowledge))
        return decision

    def __len__(self) -> int:
        return len(self._memory)
