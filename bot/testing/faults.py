"""Faults the fake Bot API injects on demand: an error status, a dropped connection, a late answer.

A fault is armed for the next call of a method (`Faults.fail_next`) or for every call during a
period (`fail_for`, and `flood` for Telegram's flood control, whose 429 says how many seconds
are left). `FakeBotApi` asks `Faults.next` before answering each call.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

DROPPED = 0
"""A fault status: the connection closes without an answer (the request may not have arrived)."""
HANG = -1
"""A fault status: the call is received and done, but its answer comes only after `hang` seconds
(the client's read time-out expires first: it cannot know whether the message went out)."""


@dataclass
class Fault:
    """What one call gets instead of its normal answer."""

    status: int
    retry_after: int | None = None
    description: str = ""
    hang: float = 0.0


@dataclass
class _Period:
    """Faults for every call of a method until `until` (monotonic), statuses in turn."""

    until: float
    statuses: tuple[int, ...]
    turn: int = 0
    flood: bool = False
    """429 with the seconds left as `retry_after`, as Telegram does after a flood."""


class Faults:
    """The faults armed per method; thread-safe (the fake server answers from many threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next: dict[str, deque[Fault]] = {}
        self._periods: dict[str, _Period] = {}

    def fail_next(self, method: str, fault: Fault) -> None:
        with self._lock:
            self._next.setdefault(method, deque()).append(fault)

    def fail_for(self, method: str, seconds: float, statuses: Sequence[int]) -> None:
        with self._lock:
            self._periods[method] = _Period(time.monotonic() + seconds, tuple(statuses))

    def flood(self, method: str, retry_after: int) -> None:
        with self._lock:
            self._periods[method] = _Period(time.monotonic() + retry_after, (429,), flood=True)

    def next(self, method: str) -> Fault | None:
        """The fault the next call of `method` gets, if any."""
        with self._lock:
            armed = self._next.get(method)
            if armed:
                return armed.popleft()
            period = self._periods.get(method)
            if period is None:
                return None
            left = period.until - time.monotonic()
            if left <= 0:
                del self._periods[method]
                return None
            if period.flood:
                seconds = max(1, math.ceil(left))
                return Fault(429, seconds, f"Too Many Requests: retry after {seconds}")
            status = period.statuses[period.turn % len(period.statuses)]
            period.turn += 1
            return Fault(status)
