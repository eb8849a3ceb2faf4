"""Per-client rate limit for the web API: a sliding window of recent requests, in memory only.

Clients are keyed by their address as the web server sees it (behind a proxy: the address it
forwards, see FORWARDED_ALLOW_IPS). Nothing here is logged or written anywhere, and the counts
are forgotten after a few seconds (RGPD).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateLimits:
    """At most `requests` requests per client in any `window` seconds."""

    requests: int = 30
    """A person reads each answer: 30 questions, taps and votes in 10 s is already a script."""
    window: float = 10.0


class RateLimiter:
    """Says, request by request, whether a client may go on, and if not, for how long to wait."""

    MAX_CLIENTS = 10_000
    """Clients tracked at once; the least recently seen are forgotten first (bounds memory)."""

    def __init__(
        self, limits: RateLimits | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or RateLimits()
        self._clock = clock
        self._recent: OrderedDict[str, deque[float]] = OrderedDict()

    def check(self, client: str) -> int | None:
        """Count one request from `client`; None to serve it, else the seconds to wait (≥ 1)."""
        now = self._clock()
        recent = self._recent.get(client)
        if recent is None:
            recent = self._recent[client] = deque()
            while len(self._recent) > self.MAX_CLIENTS:
                self._recent.popitem(last=False)
        else:
            self._recent.move_to_end(client)
        while recent and recent[0] <= now - self.limits.window:
            recent.popleft()
        if len(recent) >= self.limits.requests:
            return max(1, math.ceil(recent[0] + self.limits.window - now))
        recent.append(now)
        return None

    def __len__(self) -> int:
        return len(self._recent)
