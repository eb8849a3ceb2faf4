"""Staff commands in Telegram (/nonrepondues, /stats, /recharger) and the knowledge watcher job.

The commands answer only `ADMIN_IDS`, in a private chat: `admin_only` keeps them from matching
anyone else's update, which then reaches the unknown-command handler like any unknown command,
so a non-admin learns nothing. Reading the question log and reloading the base run in worker
threads (`asyncio.to_thread`): SQLite and YAML parsing never hold up other users' answers.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Callable
from datetime import timedelta

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import filters

from bot.config import Settings
from bot.replies.render import Reply
from bot.staff.questionlog import QuestionLog
from bot.staff.reload import ReloadResult, log_result, reload
from bot.staff.reports import (
    TELEGRAM_TOP,
    Period,
    parse_period,
    recent_groups,
    recent_stats,
    stats_lines,
    unanswered_lines,
)
from bot.telegram_bot import delivery
from bot.telegram_bot.context import BotContext

logger = logging.getLogger(__name__)

UNANSWERED_PERIOD = "7d"
STATS_PERIOD = "30d"
PURGE_INTERVAL = timedelta(hours=1)
NO_LOG = "Le journal des questions n'est pas activé sur ce bot."


def admin_only(settings: Settings) -> filters.BaseFilter:
    """Updates from an admin in a private chat; with no ADMIN_IDS, from nobody."""
    return filters.User(user_id=settings.admin_ids) & filters.ChatType.PRIVATE


def text_reply(lines: list[str]) -> Reply:
    """Lines of plain text as a reply, every line escaped for Telegram HTML."""
    return Reply("\n".join(html.escape(line, quote=False) for line in lines), "\n".join(lines))


async def _answer(update: Update, reply: Reply) -> None:
    if update.effective_message is not None:
        await delivery.answer(update.effective_message, reply)


async def _report(
    update: Update,
    context: BotContext,
    period_text: str,
    lines_of: Callable[[QuestionLog, Period], list[str]],
) -> None:
    """Send a report on the question log, read in a worker thread."""
    log = context.bot_data.questions
    if log is None:
        lines = [NO_LOG]
    else:
        lines = await asyncio.to_thread(lines_of, log, parse_period(period_text))
    await _answer(update, text_reply(lines))


async def unanswered(update: Update, context: BotContext) -> None:
    """Send the most frequent questions of the last 7 days that got no sure answer."""

    def lines(log: QuestionLog, period: Period) -> list[str]:
        return unanswered_lines(recent_groups(log, period), period, TELEGRAM_TOP)

    await _report(update, context, UNANSWERED_PERIOD, lines)


async def stats(update: Update, context: BotContext) -> None:
    """Send the statistics of the last 30 days."""

    def lines(log: QuestionLog, period: Period) -> list[str]:
        return stats_lines(recent_stats(log, period), period)

    await _report(update, context, STATS_PERIOD, lines)


async def reload_command(update: Update, context: BotContext) -> None:
    """Reload the knowledge base now; say what changed, or why the new base was refused."""
    data = context.bot_data
    holder, watcher = data.holder, data.watcher
    seen = watcher.snapshot()
    result = await asyncio.to_thread(reload, holder, watcher.folder)
    watcher.reset(seen)  # the watcher must not reload (and report) the same edit again
    log_result(result)
    await _answer(update, text_reply(result.lines()))


async def notify_admins(context: BotContext, reply: Reply) -> None:
    """Send `reply` to every admin who can receive it (an admin must have started the bot)."""
    for admin_id in sorted(context.bot_data.settings.admin_ids):
        try:
            await delivery.send(context.bot, admin_id, reply)
        except TelegramError as error:
            logger.warning("Could not tell an admin about a refused reload: %s", error)


async def reload_if_changed(context: BotContext) -> ReloadResult | None:
    """Reload when the folder has changed and settled; the admins hear about a refused base."""
    data = context.bot_data
    holder, watcher = data.holder, data.watcher
    if not watcher.poll():
        return None
    result = await asyncio.to_thread(reload, holder, watcher.folder)
    log_result(result)
    if not result.ok:
        await notify_admins(context, text_reply(result.lines()))
    return result


async def watch_job(context: BotContext) -> None:
    """Job: look at the knowledge folder, reload it if it changed."""
    await reload_if_changed(context)


async def purge_job(context: BotContext) -> None:
    """Job: apply the retention period even when nobody writes to the log."""
    log = context.bot_data.questions
    if log is not None:
        await asyncio.to_thread(log.purge)
