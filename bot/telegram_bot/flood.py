"""Per-user flood protection: count recent messages in memory, pause users who send too many.

Only counters keyed by Telegram user id live here, in memory, for a few seconds; nothing is
logged or written anywhere (RGPD).
"""

from __future__ import annotations

import time
from collections import deque
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
    """Decides, message by message, whether a user is writing faster than a person reads."""

    MAX_TRACKED = 10_000
    """Above this many users, forget the quiet ones (bounds memory under a raid)."""

    def __init__(
        self, limits: FloodLimits | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or FloodLimits()
        self._clock = clock
        self._recent: dict[int, deque[float]] = {}
        self._paused_until: dict[int, float] = {}

    def check(self, user_id: int) -> Verdict:
        """Count one message from `user_id` and say what to do with it."""
        now = self._clock()
        paused_until = self._paused_until.get(user_id)
        if paused_until is not None:
            if now < paused_until:
                return "ignore"
            del self._paused_until[user_id]
            self._recent.pop(user_id, None)
        recent = self._recent.setdefault(user_id, deque())
        while recent and recent[0] <= now - self.limits.window:
            recent.popleft()
        recent.append(now)
        if len(recent) <= self.limits.messages:
            if len(self._recent) > self.MAX_TRACKED:
                self._forget_quiet(now)
            return "ok"
        self._paused_until[user_id] = now + self.limits.pause
        del self._recent[user_id]
        return "warn"

    def _forget_quiet(self, now: float) -> None:
        for user_id in [
            u for u, times in self._recent.items() if times[-1] <= now - self.limits.window
        ]:
            del self._recent[user_id]
        for user_id in [u for u, until in self._paused_until.items() if until <= now]:
            del self._paused_until[user_id]
