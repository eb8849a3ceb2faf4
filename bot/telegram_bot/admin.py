"""Staff commands in Telegram (/nonrepondues, /stats, /recharger) and the knowledge watcher job.

The commands answer only `ADMIN_IDS`, in a private chat: `admin_only` keeps them from matching
anyone else's update, which then reaches the unknown-command handler like any unknown command,
so a non-admin learns nothing. Reading the question log (in the recorder's thread) and reloading
the base (in a daemon thread, `reload.in_background`) never hold up other users' answers, and a
frozen disk never holds up the bot's exit.
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
from bot.staff.recorder import LogUnavailable
from bot.staff.reload import ReloadResult, in_background, log_result, reload
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
LOG_NEWS_INTERVAL = 5.0
"""Seconds between two looks at the question log's health, to tell admins when it changes."""
READ_TIMEOUT = 20.0
"""Seconds a staff report waits for the question log (behind queued writes, a busy disk)."""
NO_LOG = "Le journal des questions n'est pas activé sur ce bot."
LOG_BUSY = (
    "Le journal des questions ne répond pas pour l'instant (disque occupé ?) ; réessayez dans "
    "une minute."
)


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
    context: BotContext,
    period_text: str,
    lines_of: Callable[[QuestionLog, Period], list[str]],
) -> list[str]:
    """A report on the question log, read in the recorder's thread."""
    recorder = context.bot_data.recorder
    if recorder is None:
        return [NO_LOG]
    period = parse_period(period_text)
    read = recorder.read(lambda log: lines_of(log, period))
    try:
        return await asyncio.wait_for(asyncio.wrap_future(read), READ_TIMEOUT)
    except LogUnavailable as error:
        return [str(error)]
    except TimeoutError:
        return [LOG_BUSY]


async def unanswered(update: Update, context: BotContext) -> None:
    """Send the most frequent questions of the last 7 days that got no sure answer."""

    def lines(log: QuestionLog, period: Period) -> list[str]:
        return unanswered_lines(recent_groups(log, period), period, TELEGRAM_TOP)

    await _answer(update, text_reply(await _report(context, UNANSWERED_PERIOD, lines)))


async def stats(update: Update, context: BotContext) -> None:
    """Send the statistics of the last 30 days (and the updates skipped as unreadable)."""

    def lines(log: QuestionLog, period: Period) -> list[str]:
        return stats_lines(recent_stats(log, period), period)

    found = await _report(context, STATS_PERIOD, lines)
    skipped = context.bot_data.unreadable_updates
    if skipped:
        found += [
            "",
            f"Messages illisibles ignorés depuis le démarrage du bot : {skipped} (Telegram les a "
            "envoyés sous une forme que le bot ne sait pas lire ; voir le journal).",
        ]
    await _answer(update, text_reply(found))


async def reload_command(update: Update, context: BotContext) -> None:
    """Reload the knowledge base now; say what changed, or why the new base was refused."""
    data = context.bot_data
    holder, watcher = data.holder, data.watcher

    def work() -> ReloadResult:
        seen = watcher.snapshot()
        result = reload(holder, watcher.folder)
        watcher.reset(seen)  # the watcher must not reload (and report) the same edit again
        return result

    result = await asyncio.wrap_future(in_background(work))
    log_result(result)
    await _answer(update, text_reply(result.lines()))


async def notify_admins(context: BotContext, reply: Reply) -> None:
    """Send `reply` to every admin who can receive it (an admin must have started the bot)."""
    for admin_id in sorted(context.bot_data.settings.admin_ids):
        try:
            await delivery.send(context.bot, admin_id, reply)
        except TelegramError as error:
            logger.warning("Could not send a notice to an admin: %s", error)


async def reload_if_changed(context: BotContext) -> ReloadResult | None:
    """Reload when the folder has changed and settled; the admins hear about a refused base.

    The look at the folder and the reload run in a daemon thread; while one is still running
    (a disk that does not answer), no other is started.
    """
    data = context.bot_data
    if data.watching is not None and not data.watching.done():
        return None
    holder, watcher = data.holder, data.watcher

    def work() -> ReloadResult | None:
        return reload(holder, watcher.folder) if watcher.poll() else None

    data.watching = in_background(work)
    result = await asyncio.wrap_future(data.watching)
    if result is None:
        return None
    log_result(result)
    if not result.ok:
        await notify_admins(context, text_reply(result.lines()))
    return result


async def watch_job(context: BotContext) -> None:
    """Job: look at the knowledge folder, reload it if it changed."""
    await reload_if_changed(context)


async def purge_job(context: BotContext) -> None:
    """Job: apply the retention period even when nobody writes to the log."""
    recorder = context.bot_data.recorder
    if recorder is not None:
        recorder.purge()


async def log_news_job(context: BotContext) -> None:
    """Job: tell the admins, once, that the question log stopped working, or works again."""
    recorder = context.bot_data.recorder
    if recorder is not None:
        for news in recorder.news():
            await notify_admins(context, text_reply([news]))
