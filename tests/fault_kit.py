"""What the end-to-end fault suite shares: the bot process against the loopback fake Bot API.

Every wait is bounded (`wait_until`), every address is 127.0.0.1, and only the processes the
tests start are stopped. `FAULT_BURST` and `FAULT_LOCK_SECONDS` scale two tests up to the sizes
of the reliability issue (3,000 updates, 20 s) when measuring for a report.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot_process import BotProcess, bot_process

from bot.staff.questionlog import DB_NAME
from bot.testing import fake_bot_api as fake

STARTUP = 20.0
STEP = 10.0
ADMIN_ID = 777001
BURST = int(os.environ.get("FAULT_BURST", "300"))
"""Updates of the burst tests (the issue measured 3,000; 300 keep the suite quick)."""
LOCK_SECONDS = float(os.environ.get("FAULT_LOCK_SECONDS", "6"))
"""How long another process holds the question log's lock (the issue measured 20 s)."""
QUESTION = "Quel est le salaire d'un EIG ?"
APOLOGY_START = "Désolé"


def wait_until(check: Callable[[], Any], timeout: float, what: str) -> Any:
    """`check()`'s first true value, polled every 50 ms; AssertionError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.05)


@contextmanager
def running(server: fake.FakeBotApiServer, folder: Path, **env: str) -> Iterator[BotProcess]:
    """`python -m bot run` against `server`, ready once it polls."""
    settings = {
        "TELEGRAM_BOT_TOKEN": fake.TOKEN,
        "TELEGRAM_API_URL": server.url,
        "ADMIN_IDS": str(ADMIN_ID),
        "LOG_LEVEL": "INFO",
        **env,
    }
    mark = server.api.mark()
    with bot_process(folder, **settings) as bot:
        server.api.wait_for("getUpdates", after=mark, timeout=STARTUP)
        yield bot


def ask(api: fake.FakeBotApi, text: str, user: int) -> dict[str, Any]:
    """A private message from `user` (its own chat); the queued update."""
    return api.push(fake.message(text, chat_id=user, user_id=user))


def sent_to(api: fake.FakeBotApi, chat: int, after: int = 0) -> list[fake.Call]:
    """Messages delivered to `chat` (accepted sendMessage calls)."""
    return [c for c in api.sent_messages(after) if int(c.params["chat_id"]) == chat]


def delivered(api: fake.FakeBotApi, after: int = 0) -> Counter[int]:
    """How many messages each chat received."""
    return Counter(int(c.params["chat_id"]) for c in api.sent_messages(after))


def admin_messages(api: fake.FakeBotApi, after: int = 0) -> list[str]:
    return [c.text for c in sent_to(api, ADMIN_ID, after)]


def logged_texts(data_dir: Path) -> list[str]:
    """The questions stored in the bot's log, read as another process would."""
    path = data_dir / DB_NAME
    if not path.exists():
        return []
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return [text for (text,) in db.execute("SELECT text FROM questions ORDER BY id")]
    except sqlite3.Error:
        return []


def now() -> datetime:
    return datetime.now(UTC)


def rss_mb(bot: BotProcess) -> float:
    """The bot process's resident memory, in MB (Linux), or 0 when it cannot be read."""
    try:
        status = Path(f"/proc/{bot.process.pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
