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
from datetime import timedelta

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes, filters

from bot.config import Settings
from bot.replies.render import Reply
from bot.staff.holder import IndexHolder
from bot.staff.questionlog import utcnow
from bot.staff.reload import FolderWatcher, ReloadResult, log_result, reload
from bot.staff.reports import (
    TELEGRAM_TOP,
    compute_stats,
    group_questions,
    parse_period,
    stats_lines,
    unanswered_lines,
)
from bot.telegram_bot import delivery
from bot.telegram_bot.feedback import question_log

logger = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

WATCHER_KEY = "watcher"
"""`bot_data` key of the `FolderWatcher` of the knowledge folder."""
SETTINGS_KEY = "settings"
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


async def unanswered(update: Update, context: Context) -> None:
    """Send the most frequent questions of the last 7 days that got no sure answer."""
    log = question_log(context)
    if log is None:
        await _answer(update, text_reply([NO_LOG]))
        return
    period = parse_period(UNANSWERED_PERIOD)
    since = utcnow() - period.delta
    groups = await asyncio.to_thread(lambda: group_questions(log.questions(since)))
    await _answer(update, text_reply(unanswered_lines(groups, period, TELEGRAM_TOP)))


async def stats(update: Update, context: Context) -> None:
    """Send the statistics of the last 30 days."""
    log = question_log(context)
    if log is None:
        await _answer(update, text_reply([NO_LOG]))
        return
    period = parse_period(STATS_PERIOD)
    found = await asyncio.to_thread(compute_stats, log, utcnow() - period.delta)
    await _answer(update, text_reply(stats_lines(found, period)))


def _holder_and_watcher(context: Context) -> tuple[IndexHolder, FolderWatcher]:
    holder = context.bot_data["holder"]
    watcher = context.bot_data[WATCHER_KEY]
    assert isinstance(holder, IndexHolder) and isinstance(watcher, FolderWatcher)
    return holder, watcher


async def reload_command(update: Update, context: Context) -> None:
    """Reload the knowledge base now; say what changed, or why the new base was refused."""
    holder, watcher = _holder_and_watcher(context)
    seen = watcher.snapshot()
    result = await asyncio.to_thread(reload, holder, watcher.folder)
    watcher.reset(seen)  # the watcher must not reload (and report) the same edit again
    log_result(result)
    await _answer(update, text_reply(result.lines()))


async def notify_admins(context: Context, reply: Reply) -> None:
    """Send `reply` to every admin who can receive it (an admin must have started the bot)."""
    settings = context.bot_data.get(SETTINGS_KEY)
    admins = sorted(settings.admin_ids) if isinstance(settings, Settings) else []
    for admin_id in admins:
        try:
            await delivery.send(context.bot, admin_id, reply)
        except TelegramError as error:
            logger.warning("Could not tell an admin about a refused reload: %s", error)


async def reload_if_changed(context: Context) -> ReloadResult | None:
    """Reload when the folder has changed and settled; the admins hear about a refused base."""
    holder, watcher = _holder_and_watcher(context)
    if not watcher.poll():
        return None
    result = await asyncio.to_thread(reload, holder, watcher.folder)
    log_result(result)
    if not result.ok:
        await notify_admins(context, text_reply(result.lines()))
    return result


async def watch_job(context: Context) -> None:
    """Job: look at the knowledge folder, reload it if it changed."""
    await reload_if_changed(context)


async def purge_job(context: Context) -> None:
    """Job: apply the retention period even when nobody writes to the log."""
    log = question_log(context)
    if log is not None:
        await asyncio.to_thread(log.purge)
