"""The typed context every handler receives: `context.bot_data` is one `BotData`."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from bot.config import Settings
from bot.engine import Dialogues, Index
from bot.staff.holder import IndexHolder
from bot.staff.questionlog import QuestionLog
from bot.staff.reload import FolderWatcher
from bot.telegram_bot.flood import FloodGuard


class BotData:
    """What the handlers share, one attribute each.

    python-telegram-bot creates it without arguments (see `ContextTypes`); `build_application`
    sets every attribute before the first update is handled.
    """

    holder: IndexHolder
    """The live index; a handler reads `holder.index` once per update (see `engine`)."""
    settings: Settings
    flood: FloodGuard
    watcher: FolderWatcher
    """The knowledge folder's watcher, shared by the watch job and /recharger."""
    questions: QuestionLog | None = None
    """The question log; None when nothing is recorded (handler tests)."""
    dialogues: Dialogues
    """What the bot last answered in each chat, in memory only, to read follow-ups."""
    unparseable_updates: int = 0
    """Updates python-telegram-bot could not parse, skipped since start (shown by /stats)."""

    @property
    def engine(self) -> Index:
        """The current index: read it once per update, so a reload never splits one."""
        return self.holder.index


BotContext = CallbackContext[ExtBot[int], dict[Any, Any], dict[Any, Any], BotData]
"""The type of `context` in every handler and job (`int`: the rate limiter's argument type)."""

BotApplication = Application[
    ExtBot[int], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[BotContext]
]

CONTEXT_TYPES = ContextTypes(bot_data=BotData)
