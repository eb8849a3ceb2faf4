"""The Telegram application: every handler and job wired in one place."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    JobQueue,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.engine import Dialogues
from bot.staff.holder import IndexHolder
from bot.staff.recorder import Recorder
from bot.staff.reload import WATCH_INTERVAL, FolderWatcher
from bot.telegram_bot import addressing, admin, callbacks, feedback, handlers, texts
from bot.telegram_bot.context import CONTEXT_TYPES, BotApplication, BotContext
from bot.telegram_bot.flood import FloodGuard
from bot.telegram_bot.throttle import Throttle
from bot.telegram_bot.votes import VotedMessages

logger = logging.getLogger(__name__)

DEFAULTS = Defaults(
    parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
)
"""Every message is the HTML that `bot.replies` writes; links to the programme's site are many
and a preview of it under each answer would bury the answer."""

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
"""The update kinds the bot asks Telegram for (add one here when a handler needs it)."""

CONCURRENT_UPDATES = 32
"""Updates handled at once: a slow reply to one user (rate limits, retries) must not hold others."""

FOR_BOT = filters.UpdateType.MESSAGE & addressing.ADDRESSED
"""New messages meant for the bot: all in a private chat; commands, mentions, replies in groups."""


def build_application(
    settings: Settings,
    holder: IndexHolder,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    throttle: Throttle | None = None,
    flood: FloodGuard | None = None,
    recorder: Recorder | None = None,
    knowledge_dir: Path | None = None,
) -> BotApplication:
    """The application, its handlers wired, its `BotData` filled.

    `request`, `get_updates_request`, `throttle` and `flood` replace the network, the retry
    timings and the flood limits in tests. `recorder` writes to the question log (none: nothing
    is recorded; the caller starts and stops it); `knowledge_dir` the folder that is watched and
    reloaded (default KNOWLEDGE_DIR).
    """
    # Opt in to python-telegram-bot 23's `timedelta` periods now: in 22.x, building the
    # RetryAfter error of every HTTP 429 otherwise emits a deprecation warning.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    jobs: JobQueue[BotContext] = JobQueue()
    builder = (
        ApplicationBuilder()
        .token(settings.require_token())
        .context_types(CONTEXT_TYPES)
        .job_queue(jobs)
        .defaults(DEFAULTS)
        .base_url(f"{settings.api_url}/bot")
        .base_file_url(f"{settings.api_url}/file/bot")
        .rate_limiter(throttle or Throttle())
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(register_commands)
    )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application: BotApplication = builder.build()
    data = application.bot_data
    data.holder = holder
    data.settings = settings
    data.flood = flood or FloodGuard()
    data.watcher = FolderWatcher(knowledge_dir or settings.knowledge_dir)
    data.recorder = recorder
    data.dialogues = Dialogues()
    data.votes = VotedMessages()
    add_handlers(application, settings)
    schedule_jobs(application)
    return application


def add_handlers(application: BotApplication, settings: Settings) -> None:
    """Wire every handler. Within a group the first handler that matches an update wins."""
    # Group -1 runs before the others: the flood guard counts each message and tap meant for the
    # bot, and stops a flooding user's updates (ApplicationHandlerStop) before any work is done.
    application.add_handler(
        MessageHandler(FOR_BOT & (filters.TEXT | filters.ATTACHMENT), handlers.guard_flood),
        group=-1,
    )
    application.add_handler(CallbackQueryHandler(handlers.guard_flood), group=-1)

    # Group 0. Order matters: known commands before the catch-all for unknown commands; more
    # commands (staff, privacy) go with the known ones, above `unknown_command`.
    application.add_handler(CommandHandler("start", handlers.start, filters=FOR_BOT))
    application.add_handler(
        CommandHandler(["aide", "help"], handlers.help_command, filters=FOR_BOT)
    )
    application.add_handler(CommandHandler("defis", handlers.defis, filters=FOR_BOT))
    application.add_handler(CommandHandler("faq", handlers.faq, filters=FOR_BOT))
    application.add_handler(CommandHandler("contact", handlers.contact, filters=FOR_BOT))
    application.add_handler(CommandHandler("confidentialite", handlers.privacy, filters=FOR_BOT))
    # Staff commands match only an admin's private chat; anyone else's /stats falls through to
    # `unknown_command` and gets the same reply as any unknown command.
    admins = FOR_BOT & admin.admin_only(settings)
    application.add_handler(CommandHandler("nonrepondues", admin.unanswered, filters=admins))
    application.add_handler(CommandHandler("stats", admin.stats, filters=admins))
    application.add_handler(
        CommandHandler(["recharger", "reload"], admin.reload_command, filters=admins)
    )
    application.add_handler(MessageHandler(FOR_BOT & filters.COMMAND, handlers.unknown_command))
    application.add_handler(MessageHandler(FOR_BOT & filters.TEXT, handlers.question))
    application.add_handler(MessageHandler(FOR_BOT & filters.ATTACHMENT, handlers.not_text))
    # The catch-all for buttons comes last among callback handlers: a handler for other buttons
    # (feedback…) is added above it with a `pattern`, otherwise `button` calls its data stale.
    application.add_handler(CallbackQueryHandler(feedback.vote, pattern=callbacks.VOTE_PATTERN))
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(InlineQueryHandler(handlers.inline_query))

    application.add_error_handler(handlers.on_error)


def schedule_jobs(application: BotApplication) -> None:
    """The periodic jobs: reload the knowledge folder when it changes, tell admins when the
    question log stops or resumes, purge old questions."""
    jobs = application.job_queue
    if jobs is None:  # python-telegram-bot installed without the job-queue extra
        logger.warning("No job queue: the knowledge folder is reloaded only with /recharger")
        return
    jobs.run_repeating(
        stops_quietly(admin.watch_job),
        interval=WATCH_INTERVAL,
        first=WATCH_INTERVAL,
        name="knowledge-watcher",
    )
    jobs.run_repeating(
        stops_quietly(admin.log_news_job),
        interval=admin.LOG_NEWS_INTERVAL,
        first=admin.LOG_NEWS_INTERVAL,
        name="question-log-news",
    )
    jobs.run_repeating(
        stops_quietly(admin.purge_job),
        interval=admin.PURGE_INTERVAL,
        first=admin.PURGE_INTERVAL,
        name="question-log-purge",
    )


Job = Callable[[BotContext], Coroutine[Any, Any, None]]


def stops_quietly(job: Job) -> Job:
    """`job`, ended without a traceback when the bot stops while it runs: the scheduler logs
    any exception of a job with its traceback, and the stop cancels a job still waiting (the
    knowledge watcher waits for its look at the folder, in a thread). A fresh clone's tests saw
    one in the bot's log once, on a loaded machine."""

    async def run(context: BotContext) -> None:
        try:
            await job(context)
        except asyncio.CancelledError:
            logger.info("Job %s stopped with the bot", job.__name__)

    run.__name__ = job.__name__
    return run


async def register_commands(application: BotApplication) -> None:
    """Register the command menu with Telegram (post_init: once, before updates are fetched)."""
    commands = [BotCommand(command, description) for command, description in texts.COMMANDS]
    try:
        await application.bot.set_my_commands(commands)
    except TelegramError as error:  # the menu is a convenience: answer questions without it
        logger.warning("Could not register the command menu: %s", error)
