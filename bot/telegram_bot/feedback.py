"""What users tell the bot back: decisions, tapped suggestions and votes, to the question log.

Every record goes to `bot.staff.questionlog` through a worker thread (`asyncio.to_thread`): the
disk never holds up a reply. A failing log is logged and otherwise ignored: recording a question
must never cost the user an answer. Without a log (`BotData.questions` is None, as in tests of
the Telegram layer) nothing is recorded.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update

from bot.engine import Decision
from bot.replies import render
from bot.staff.questionlog import LOG_ERRORS
from bot.telegram_bot import callbacks, texts
from bot.telegram_bot.context import BotContext

logger = logging.getLogger(__name__)


async def record_decision(context: BotContext, decision: Decision) -> int | None:
    """Record the engine's decision on a question; the logged question's id for suggestions."""
    log = context.bot_data.questions
    if log is None:
        return None
    try:
        return await asyncio.to_thread(log.record, decision)
    except LOG_ERRORS:
        logger.exception("Could not record a %s decision in the question log", decision.status)
        return None


async def record_choice(context: BotContext, choice: callbacks.Choice) -> None:
    """Note which suggestion was tapped for a logged question."""
    log = context.bot_data.questions
    if log is None:
        return
    try:
        await asyncio.to_thread(log.record_choice, choice.question_id, choice.entry_id)
    except LOG_ERRORS:
        logger.exception("Could not record a tapped suggestion in the question log")


async def vote(update: Update, context: BotContext) -> None:
    """Count an "Utile" / "Pas utile" vote for the entry and thank the user."""
    query = update.callback_query
    if query is None:
        return
    tapped = callbacks.decode_vote(query.data)
    if tapped is None:
        await query.answer(texts.stale_button_notice())
        return
    log = context.bot_data.questions
    if log is not None:
        try:
            await asyncio.to_thread(log.record_vote, tapped.entry_id, useful=tapped.useful)
        except LOG_ERRORS:
            logger.exception("Could not record a vote in the question log")
    await query.answer(render.vote_thanks_notice(useful=tapped.useful))
