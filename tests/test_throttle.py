"""Sending under faults: passing failures are retried with a bounded backoff, refusals are not."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError
from telegram.ext import ExtBot

from bot.telegram_bot.throttle import Throttle
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
