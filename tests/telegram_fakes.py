"""The real application, in process, wired to a `FakeBotApi`: feed it updates, read what it sent."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update

from bot.config import Settings
from bot.engine import Index
from bot.replies.render import VOTE_LABELS, Reply
from bot.staff.holder import IndexHolder
from bot.telegram_bot.app import build_application
from bot.telegram_bot.callbacks import encode, encode_vote, signing_key
from bot.telegram_bot.context import BotApplication
from bot.telegram_bot.flood import FloodGuard
from bot.telegram_bot.throttle import Throttle
from bot.testing import fake_bot_api as fake

_update_ids = itertools.count(1)
KEY = signing_key(fake.TOKEN)


class Harness:
    """One bot and its fake Bot API."""

    def __init__(self, app: BotApplication, api: fake.FakeBotApi, holder: IndexHolder) -> None:
        self.app = app
        self.api = api
        self.holder = holder

    async def feed(self, update: dict[str, Any]) -> list[fake.Call]:
        """Process one update as if Telegram sent it; the calls the bot made meanwhile."""
        mark = self.api.mark()
        data = {"update_id": next(_update_ids), **update}
        await self.app.process_update(Update.de_json(data, self.app.bot))
        return self.api.calls_since(mark)

    async def replies(self, update: dict[str, Any]) -> list[fake.Call]:
        """The messages the user received (accepted sendMessage calls) for one update."""
        return [c for c in await self.feed(update) if c.method == "sendMessage" and c.ok]


@asynccontextmanager
async def running_bot(
    index: Index, *, flood: FloodGuard | None = None, throttle: Throttle | None = None
) -> AsyncIterator[Harness]:
    """The application built by `build_application`, initialised against a fresh fake API."""
    api = fake.FakeBotApi()
    holder = IndexHolder(index)
    app = build_application(
        Settings(token=fake.TOKEN, api_url="http://fake-bot-api.invalid"),
        holder,
        request=fake.FakeRequest(api),
        get_updates_request=fake.FakeRequest(api),
        throttle=throttle or Throttle(backoff=0.0, chat_rate=0.0),
        flood=flood,
    )
    async with app:
        yield Harness(app, api, holder)


def shown(reply: Reply, chat: int | str = fake.USER_ID) -> tuple[str, list[tuple[str, str]]]:
    """What the user should see for `reply`: HTML text, (label, callback data) buttons.

    An entry's answer ends with the "Utile" / "Pas utile" row (`delivery.keyboard`), signed for
    `chat` (the chat id, or `callbacks.INLINE_PLACE` in inline mode).
    """
    buttons = [(b.label, encode(b)) for b in reply.buttons]
    if reply.entry_id is not None:
        useful, not_useful = VOTE_LABELS
        buttons += [
            (useful, encode_vote(reply.entry_id, useful=True, key=KEY, place=str(chat))),
            (not_useful, encode_vote(reply.entry_id, useful=False, key=KEY, place=str(chat))),
        ]
    return reply.html, buttons


def seen(call: fake.Call) -> tuple[str, list[tuple[str, str]]]:
    """What the user saw in one sent message."""
    return call.text, call.buttons
