"""The typed context every handler receives: `context.bot_data` is one `BotData`."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from bot.config import Settings
from bot.engine import Dialogues, Index
from bot.staff.holder import IndexHolder
from bot.staff.recorder import Recorder
from bot.staff.reload import FolderWatcher, ReloadResult
from bot.telegram_bot.flood import FloodGuard
from bot.telegram_bot.votes import VotedMessages


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
    watching: Future[ReloadResult | None] | None = None
    """The watcher's look at the folder in progress, if any (a stuck disk: no second one)."""
    recorder: Recorder | None = None
    """Writes to the question log, off the answer path; None when nothing is recorded."""
    dialogues: Dialogues
    """What the bot last answered in each chat, in memory only, to read follow-ups."""
    votes: VotedMessages
    """Answer messages already voted on (one vote each)."""
    unreadable_updates: int = 0
    """Updates skipped since the start because python-telegram-bot could not read them."""

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
