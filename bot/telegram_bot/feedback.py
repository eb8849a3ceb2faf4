"""What users tell the bot back, recorded in the question log, and /confidentialite.

Decisions, tapped suggestions and "Utile" / "Pas utile" votes go to `bot.questionlog` through a
worker thread (`asyncio.to_thread`): the disk never holds up a reply. A failing log is logged and
otherwise ignored: recording a question must never cost the user an answer. The application runs
without a log when `bot_data` has none (tests of the Telegram layer), and then records nothing.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3

from telegram import Update
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.engine import Decision
from bot.replies import render
from bot.replies.privacy import render_privacy
from bot.staff.questionlog import QuestionLog
from bot.telegram_bot import callbacks, delivery

logger = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

LOG_KEY = "questions"
"""`bot_data` key of the `QuestionLog`."""


def question_log(context: Context) -> QuestionLog | None:
    log = context.bot_data.get(LOG_KEY)
    return log if isinstance(log, QuestionLog) else None


async def record_decision(context: Context, decision: Decision) -> int | None:
    """Record the engine's decision on a question; the logged question's id for suggestions."""
    log = question_log(context)
    if log is None:
        return None
    try:
        return await asyncio.to_thread(log.record, decision)
    except sqlite3.Error:
        logger.exception("Could not record a %s decision in the question log", decision.status)
        return None


async def record_choice(context: Context, choice: callbacks.Choice) -> None:
    """Note which suggestion was tapped for a logged question."""
    log = question_log(context)
    if log is None:
        return
    try:
        await asyncio.to_thread(log.record_choice, choice.question_id, choice.entry_id)
    except sqlite3.Error:
        logger.exception("Could not record a tapped suggestion in the question log")


async def vote(update: Update, context: Context) -> None:
    """Count an "Utile" / "Pas utile" vote for the entry and thank the user."""
    query = update.callback_query
    if query is None:
        return
    tapped = callbacks.decode_vote(query.data)
    if tapped is None:
        await query.answer(render.stale_button_notice())
        return
    log = question_log(context)
    if log is not None:
        try:
            await asyncio.to_thread(log.record_vote, tapped.entry_id, useful=tapped.useful)
        except sqlite3.Error:
            logger.exception("Could not record a vote in the question log")
    await query.answer(render.vote_thanks_notice(useful=tapped.useful))


async def privacy(update: Update, context: Context) -> None:
    """Tell what the bot stores and for how long."""
    settings = context.bot_data.get("settings")
    days = settings.retention_days if isinstance(settings, Settings) else Settings().retention_days
    if update.effective_message is not None:
        await delivery.answer(update.effective_message, render_privacy(days))
