"""The web chat's way to the question log: opened once, every write off the event loop.

`write` is the one door: the web chat never calls the log another way, so that moving writes to
a background queue changes this function only. A failing log is logged and otherwise ignored:
recording a question never costs anyone an answer.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from typing import TypeVar

from bot.config import ConfigError, Settings
from bot.staff.questionlog import QuestionLog

logger = logging.getLogger(__name__)

T = TypeVar("T")


def open_log(settings: Settings) -> QuestionLog:
    """The question log of DATA_DIR, or a `ConfigError` that says what to check."""
    try:
        return QuestionLog.open(settings)
    except (OSError, sqlite3.Error) as error:
        raise ConfigError(
            f"impossible d'ouvrir le journal des questions dans {settings.data_dir} ({error}) : "
            "vérifiez DATA_DIR et que le bot a le droit d'y écrire"
        ) from None


async def write(log: QuestionLog | None, call: Callable[[QuestionLog], T], what: str) -> T | None:
    """Run `call(log)` in a worker thread; None without a log or when the write fails."""
    if log is None:
        return None
    try:
        return await asyncio.to_thread(call, log)
    except sqlite3.Error:
        logger.exception("Could not record %s in the question log", what)
        return None
