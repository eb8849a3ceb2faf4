"""Per-user flood protection: count recent messages in memory, pause users who send too many.

Only counters keyed by Telegram user id live here, in memory, for a few seconds; nothing is
logged or written anywhere (RGPD).
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["ok", "warn", "ignore"]
"""`ok`: answer; `warn`: send the one "doucement" notice; `ignore`: drop the update silently."""


@dataclass(frozen=True, slots=True)
class FloodLimits:
    """How many messages a user may send in `window` seconds before a pause of `pause` seconds."""

    messages: int = 8
    window: float = 10.0
    pause: float = 30.0


class FloodGuard:
    """Decides, message by message, whether a user is writing faster than a person reads.

    Each check costs the same whatever the number of users: the users are kept in order of their
    last message (and pauses in the order they end), so forgetting the quietest is O(1).
    """

    MAX_TRACKED = 10_000
    """Above this many users, forget the least recently active (bounds memory under a raid)."""

    def __init__(
        self, limits: FloodLimits | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or FloodLimits()
        self._clock = clock
        self._recent: OrderedDict[int, deque[float]] = OrderedDict()
        self._paused_until: OrderedDict[int, float] = OrderedDict()

    def check(self, user_id: int) -> Verdict:
        """Count one message from `user_id` and say what to do with it."""
        now = self._clock()
        paused_until = self._paused_until.get(user_id)
        if paused_until is not None:
            if now < paused_until:
                return "ignore"
            del self._paused_until[user_id]
            self._recent.pop(user_id, None)
        recent = self._recent.get(user_id)
        if recent is None:
            recent = self._recent[user_id] = deque()
        else:
            self._recent.move_to_end(user_id)
        while recent and recent[0] <= now - self.limits.window:
            recent.popleft()
        recent.append(now)
        verdict: Verdict = "ok"
        if len(recent) > self.limits.messages:
            # A pause lasts the same for everyone: pauses end in the order they begin.
            self._paused_until[user_id] = now + self.limits.pause
            del self._recent[user_id]
            verdict = "warn"
        self._forget(now)
        return verdict

    def _forget(self, now: float) -> None:
        while len(self._recent) > self.MAX_TRACKED:
            self._recent.popitem(last=False)
        while self._paused_until:
            user_id, until = next(iter(self._paused_until.items()))
            if until > now and len(self._paused_until) <= self.MAX_TRACKED:
                break
            del self._paused_until[user_id]
