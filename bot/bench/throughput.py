"""Bot throughput for the benchmark: updates per second through the real `Application`.

Updates from many users go through `build_application`'s application (handlers, flood guard,
engine, renderer, python-telegram-bot's serialisation) via its update queue, with concurrent
processing as configured there. The network is replaced by the fake Bot API of `bot.testing`, which
answers at once, and the rate limiter by one that does not wait: what is measured is
the bot's own cost per update, not Telegram's 30 messages/s cap.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import TypeHandler

from bot.config import Settings
from bot.engine import Index
from bot.knowledge import load
from bot.replies.render import Button
from bot.staff.holder import IndexHolder
from bot.telegram_bot.app import CONCURRENT_UPDATES, build_application
from bot.telegram_bot.callbacks import encode
from bot.telegram_bot.flood import FloodGuard
from bot.telegram_bot.throttle import NoLimits
from bot.testing import fake_bot_api as fake
from bot.tuning.evaluation import read_cases

FIRST_USER_ID = 100_000
COUNTED_GROUP = 1_000
"""The handler group of the counter that tells when every update has been handled."""


class _ErrorCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass(frozen=True, slots=True)
class Throughput:
    """The figures of one run."""

    updates: int
    users: int
    seconds: float
    concurrency: int
    calls: dict[str, int]
    errors: int
    kinds: dict[str, int]

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Camille", "language_code": "fr"}


def _message(number: int, user_id: int, text: str) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": number,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": "Camille"},
        "from": _user(user_id),
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"message": message}


def _tap(number: int, user_id: int, data: str) -> dict[str, Any]:
    return {
        "callback_query": {
            "id": str(number),
            "from": _user(user_id),
            "chat_instance": f"bench-{user_id}",
            "data": data,
            "message": {
                "message_id": number,
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private"},
                "from": fake.BOT_USER,
                "text": "…",
            },
        }
    }


def updates(
    questions: Sequence[str], entry_ids: Sequence[str], users: int, count: int, seed: int = 3
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """`count` updates from `users` users, each user's in order, users interleaved.

    A user's first update is /start; then questions (from `questions`), and now and then a tap on
    an entry button. Returns the updates (Bot API JSON) and how many of each kind.
    """
    rng = random.Random(seed)
    per_user = -(-count // users)
    sequences: list[list[tuple[str, str]]] = []
    for _ in range(users):
        sequence = [("commande", "/start")]
        while len(sequence) < per_user:
            if rng.random() < 0.15:
                button = Button("…", "entry", rng.choice(entry_ids))
                sequence.append(("bouton", encode(button)))
            elif rng.random() < 0.05:
                sequence.append(("commande", "/aide"))
            else:
                sequence.append(("question", rng.choice(questions)))
        sequences.append(sequence)
    out: list[dict[str, Any]] = []
    kinds: collections.Counter[str] = collections.Counter()
    for step in range(per_user):
        order = list(range(users))
        rng.shuffle(order)
        for user in order:
            if len(out) == count:
                break
            kind, payload = sequences[user][step]
            number = len(out) + 1
            user_id = FIRST_USER_ID + user
            body = (
                _tap(number, user_id, payload)
                if kind == "bouton"
                else _message(number, user_id, payload)
            )
            out.append({"update_id": number, **body})
            kinds[kind] += 1
    return out, dict(kinds)


async def run(
    index: Index,
    raw_updates: Sequence[dict[str, Any]],
    users: int,
    kinds: dict[str, int],
    *,
    concurrent: bool = True,
) -> Throughput:
    """Push the updates through the update queue (handled CONCURRENT_UPDATES at a time), or one
    by one with `process_update` when not `concurrent`; time until the last one is handled."""
    api = fake.FakeBotApi()
    request = fake.FakeRequest(api)
    app = build_application(
        Settings(token=fake.TOKEN, api_url="http://bot-api.invalid"),
        IndexHolder(index),
        request=request,
        get_updates_request=request,
        throttle=NoLimits(),
        flood=FloodGuard(),
    )
    done = asyncio.Event()
    handled = 0

    async def count(update: object, context: object) -> None:
        nonlocal handled
        handled += 1
        if handled == len(raw_updates):
            done.set()

    app.add_handler(TypeHandler(Update, count), group=COUNTED_GROUP)
    errors = _ErrorCount()
    logging.getLogger().addHandler(errors)
    try:
        async with app:
            await app.start()
            started = time.perf_counter()
            for data in raw_updates:
                update = Update.de_json(data, app.bot)
                if concurrent:
                    await app.update_queue.put(update)
                else:
                    await app.process_update(update)
            await asyncio.wait_for(done.wait(), timeout=600)
            seconds = time.perf_counter() - started
            await app.stop()
    finally:
        logging.getLogger().removeHandler(errors)
    return Throughput(
        updates=len(raw_updates),
        users=users,
        seconds=seconds,
        concurrency=CONCURRENT_UPDATES if concurrent else 1,
        calls=dict(collections.Counter(call.method for call in api.calls)),
        errors=errors.count,
        kinds=kinds,
    )


UPDATES = 2000
USERS = 500


def measure(
    knowledge_dir: Path,
    golden: Sequence[Path],
    *,
    count: int = UPDATES,
    users: int = USERS,
    concurrent: bool = True,
) -> Throughput:
    """Build the engine on the real base and push `count` updates from `users` users."""
    index = Index(load(knowledge_dir))
    questions = [case.question for path in golden for case in read_cases(path)]
    if not questions:
        questions = [q for entry in index.entries for q in entry.questions]
    raw, kinds = updates(questions, [e.id for e in index.entries], users, count)
    return asyncio.run(run(index, raw, users, kinds, concurrent=concurrent))
