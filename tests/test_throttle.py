"""Sending under faults: what surely did not arrive is retried a while, nothing is sent twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot.telegram_bot.throttle import RETRY_ATTEMPTS, Throttle, is_transient
from bot.testing import fake_bot_api as fake


class Sleeps(list[float]):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def bot(sleeps: Sleeps) -> AsyncIterator[tuple[ExtBot[int], fake.FakeBotApi]]:
    api = fake.FakeBotApi()
    throttle = Throttle(attempts=4, backoff=0.5, max_backoff=1.5, chat_rate=0, sleep=sleeps)
    bot: ExtBot[int] = ExtBot(
        fake.TOKEN,
        base_url="http://fake-bot-api.invalid/bot",
        request=fake.FakeRequest(api),
        get_updates_request=fake.FakeRequest(api),
        rate_limiter=throttle,
    )
    async with bot:
        yield bot, api


def statuses(api: fake.FakeBotApi) -> list[int]:
    return [c.status for c in api.calls if c.method == "sendMessage"]


async def test_transient_failures_are_retried_with_growing_bounded_delays(bot, sleeps):
    ext, api = bot
    for status in (500, fake.DROPPED, 503):
        api.fail_next("sendMessage", status)
    message = await ext.send_message(fake.USER_ID, "Bonjour")
    assert message.text == "Bonjour"
    assert statuses(api) == [500, fake.DROPPED, 503, 200]
    assert sleeps == [0.5, 1.0, 1.5]


async def test_retries_stop_after_a_bounded_number_of_attempts(bot, sleeps):
    ext, api = bot
    for _ in range(5):
        api.fail_next("sendMessage", 502)
    with pytest.raises(NetworkError):
        await ext.send_message(fake.USER_ID, "Bonjour")
    assert statuses(api) == [502] * 4
    assert len(sleeps) == 3


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, BadRequest), (403, Forbidden)],
)
async def test_permanent_refusals_are_not_retried(bot, sleeps, status, error):
    ext, api = bot
    api.fail_next("sendMessage", status, description="refused")
    with pytest.raises(error):
        await ext.send_message(fake.USER_ID, "Bonjour")
    assert statuses(api) == [status]
    assert sleeps == []


async def test_other_calls_are_retried_too(bot, sleeps):
    ext, api = bot
    api.fail_next("answerCallbackQuery", 500)
    assert await ext.answer_callback_query("cq1") is True
    assert [c.status for c in api.calls if c.method == "answerCallbackQuery"] == [500, 200]


async def test_a_send_that_got_no_answer_in_time_is_not_sent_again(bot, sleeps):
    # Telegram received it and may have delivered it: sending again could duplicate the answer.
    ext, api = bot
    api.fail_next("sendMessage", fake.HANG, hang=8.0)
    with pytest.raises(TimedOut):
        await ext.send_message(fake.USER_ID, "Bonjour")
    assert statuses(api) == [200]
    assert sleeps == []


def failure(error: Exception, cause: BaseException | None) -> Exception:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (failure(NetworkError("Internal Server Error (500)"), None), True),
        (failure(NetworkError("Bad Gateway (502)"), None), True),
        (failure(NetworkError("httpx.ConnectError: refused"), httpx.ConnectError("refused")), True),
        (failure(TimedOut("Pool timeout"), httpx.PoolTimeout("pool")), True),
        (failure(TimedOut(), httpx.ConnectTimeout("connect")), True),
        (failure(NetworkError("dropped"), httpx.RemoteProtocolError("disconnected")), True),
        (failure(NetworkError("reset"), httpx.ReadError("reset")), True),
        (failure(TimedOut(), httpx.ReadTimeout("read")), False),
        (failure(TimedOut(), httpx.WriteTimeout("write")), False),
        (failure(TimedOut(), None), False),
        (BadRequest("Bad Request: message is too long"), False),
        (Forbidden("Forbidden: bot was blocked by the user"), False),
    ],
)
def test_only_what_surely_did_not_arrive_or_was_refused_in_passing_is_retried(error, retried):
    assert is_transient(error) is retried


async def test_the_default_retries_span_more_than_thirty_seconds():
    sleeps = Sleeps()
    api = fake.FakeBotApi()
    throttle = Throttle(chat_rate=0, sleep=sleeps)
    ext: ExtBot[int] = ExtBot(
        fake.TOKEN,
        base_url="http://fake-bot-api.invalid/bot",
        request=fake.FakeRequest(api),
        get_updates_request=fake.FakeRequest(api),
        rate_limiter=throttle,
    )
    async with ext:
        api.fail_for("sendMessage", 3600, [500, fake.DROPPED])
        with pytest.raises(NetworkError):
            await ext.send_message(fake.USER_ID, "Bonjour")
    assert len(statuses(api)) == RETRY_ATTEMPTS
    assert sum(sleeps) >= 30
    assert max(sleeps) <= 8


class FakeTime:
    """A clock and a sleep that moves it: waits are counted, not spent."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


async def test_a_429_makes_every_request_wait_then_each_is_delivered(monkeypatch):
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    time = FakeTime()
    api = fake.FakeBotApi()
    throttle = Throttle(chat_rate=0, sleep=time.sleep, clock=time.clock)
    ext: ExtBot[int] = ExtBot(
        fake.TOKEN,
        base_url="http://fake-bot-api.invalid/bot",
        request=fake.FakeRequest(api),
        get_updates_request=fake.FakeRequest(api),
        rate_limiter=throttle,
    )
    async with ext:
        for _ in range(3):  # Telegram keeps refusing for a while, as after a burst
            api.fail_next("sendMessage", 429, retry_after=3, description="Too Many Requests")
        sent = await asyncio.gather(
            *(ext.send_message(chat, f"Réponse {chat}") for chat in (1, 2, 3, 4))
        )
    assert sorted(m.text for m in sent) == [f"Réponse {chat}" for chat in (1, 2, 3, 4)]
    assert statuses(api).count(200) == 4
    assert sum(time.slept) >= 3


async def test_a_429_asking_for_too_long_a_wait_fails(monkeypatch):
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    time = FakeTime()
    api = fake.FakeBotApi()
    throttle = Throttle(chat_rate=0, sleep=time.sleep, clock=time.clock, max_retry_after=60)
    ext: ExtBot[int] = ExtBot(
        fake.TOKEN,
        base_url="http://fake-bot-api.invalid/bot",
        request=fake.FakeRequest(api),
        get_updates_request=fake.FakeRequest(api),
        rate_limiter=throttle,
    )
    async with ext:
        api.fail_next("sendMessage", 429, retry_after=3600, description="Too Many Requests")
        with pytest.raises(RetryAfter):
            await ext.send_message(fake.USER_ID, "Bonjour")
    assert statuses(api) == [429]
