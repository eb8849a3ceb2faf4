"""One vote per answer message: which messages were voted on, in memory and bounded.

A message is named by its chat and message ids (or its inline message id): nothing about who
voted is kept, and nothing here is written anywhere. After a restart, or once `MAX_MESSAGES`
later messages were voted on, an old message can be voted on again: a rare double count, never
a flood of them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable


class VotedMessages:
    """Remembers the last `capacity` messages that received a vote."""

    MAX_MESSAGES = 10_000
    """Messages remembered: days of votes for this bot, under a megabyte of memory."""

    def __init__(self, capacity: int = MAX_MESSAGES) -> None:
        self.capacity = capacity
        self._seen: OrderedDict[Hashable, None] = OrderedDict()

    def first_vote(self, message: Hashable) -> bool:
        """True the first time `message` gets a vote (and remember it); False after."""
        if message in self._seen:
            self._seen.move_to_end(message)
            return False
        self._seen[message] = None
        while len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
        return True
