"""Flood protection: a person reading is never paused; a flood gets one notice, then quiet."""

from __future__ import annotations

from bot.telegram_bot.flood import FloodGuard, FloodLimits


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def test_a_normal_pace_is_never_paused():
    clock = Clock()
    guard = FloodGuard(FloodLimits(messages=5, window=10, pause=30), clock=clock)
    for _ in range(100):
        assert guard.check(1) == "ok"
        clock.now += 2.5


def test_a_burst_gets_one_warning_then_silence_until_the_pause_ends():
    clock = Clock()
    guard = FloodGuard(FloodLimits(messages=5, window=10, pause=30), clock=clock)
    verdicts = [guard.check(1) for _ in range(9)]
    assert verdicts == ["ok"] * 5 + ["warn"] + ["ignore"] * 3
    clock.now += 29
    assert guard.check(1) == "ignore"
    clock.now += 1.5
    assert guard.check(1) == "ok"  # and the count starts afresh
    assert [guard.check(1) for _ in range(4)] == ["ok"] * 4


def test_users_are_counted_apart():
    clock = Clock()
    guard = FloodGuard(FloodLimits(messages=2, window=10, pause=30), clock=clock)
    assert [guard.check(1) for _ in range(3)] == ["ok", "ok", "warn"]
    assert [guard.check(2) for _ in range(2)] == ["ok", "ok"]


def test_memory_stays_bounded_under_many_users():
    clock = Clock()
    guard = FloodGuard(FloodLimits(messages=2, window=1, pause=1), clock=clock)
    guard.MAX_TRACKED = 100
    for user in range(1000):
        guard.check(user)
        clock.now += 0.1
    assert len(guard._recent) <= 111
