"""The Telegram application: every handler wired in one place, and `run` for `python -m bot run`."""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    InlineQueryHandler,
    JobQueue,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import logs
from bot.config import ConfigError, Settings
from bot.engine import Index
from bot.knowledge import load
from bot.replies import render
from bot.staff.holder import IndexHolder
from bot.staff.questionlog import QuestionLog
from bot.staff.reload import WATCH_INTERVAL, FolderWatcher
from bot.telegram_bot import addressing, callbacks, feedback, handlers
from bot.telegram_bot import staff as admin
from bot.telegram_bot.flood import FloodGuard
from bot.telegram_bot.throttle import Throttle

logger = logging.getLogger(__name__)

BotApplication = Application[
    ExtBot[int],
    ContextTypes.DEFAULT_TYPE,
    dict[Any, Any],
    dict[Any, Any],
    dict[Any, Any],
    JobQueue[ContextTypes.DEFAULT_TYPE],
]

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
    questions: QuestionLog | None = None,
    knowledge_dir: Path | None = None,
) -> BotApplication:
    """The application, its handlers wired; `bot_data["holder"]` is how handlers reach the engine.

    `request`, `get_updates_request`, `throttle` and `flood` replace the network, the retry
    timings and the flood limits in tests. `questions` is the question log (none: nothing is
    recorded); `knowledge_dir` the folder that is watched and reloaded (default KNOWLEDGE_DIR).
    """
    # Opt in to python-telegram-bot 23's `timedelta` periods now: in 22.x, building the
    # RetryAfter error of every HTTP 429 otherwise emits a deprecation warning.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    builder = (
        ApplicationBuilder()
        .token(settings.require_token())
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
    application = builder.build()
    application.bot_data["holder"] = holder
    application.bot_data["flood"] = flood or FloodGuard()
    application.bot_data[admin.SETTINGS_KEY] = settings
    application.bot_data[admin.WATCHER_KEY] = FolderWatcher(knowledge_dir or settings.knowledge_dir)
    if questions is not None:
        application.bot_data[feedback.LOG_KEY] = questions
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
    application.add_handler(CommandHandler("confidentialite", feedback.privacy, filters=FOR_BOT))
    # Staff commands match only an admin's private chat; anyone else's /stats falls through to
    # `unknown_command` and gets the same reply as any unknown command.
    staff = FOR_BOT & admin.admin_only(settings)
    application.add_handler(CommandHandler("nonrepondues", admin.unanswered, filters=staff))
    application.add_handler(CommandHandler("stats", admin.stats, filters=staff))
    application.add_handler(
        CommandHandler(["recharger", "reload"], admin.reload_command, filters=staff)
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
    """The periodic jobs: reload the knowledge folder when it changes, purge old questions."""
    jobs = application.job_queue
    if jobs is None:  # python-telegram-bot installed without the job-queue extra
        logger.warning("No job queue: the knowledge folder is reloaded only with /recharger")
        return
    jobs.run_repeating(
        admin.watch_job, interval=WATCH_INTERVAL, first=WATCH_INTERVAL, name="knowledge-watcher"
    )
    jobs.run_repeating(
        admin.purge_job,
        interval=admin.PURGE_INTERVAL,
        first=admin.PURGE_INTERVAL,
        name="question-log-purge",
    )


async def register_commands(application: BotApplication) -> None:
    """Register the command menu with Telegram (post_init: once, before updates are fetched)."""
    commands = [BotCommand(command, description) for command, description in render.COMMANDS]
    try:
        await application.bot.set_my_commands(commands)
    except TelegramError as error:  # the menu is a convenience: answer questions without it
        logger.warning("Could not register the command menu: %s", error)


def webhook_secret(settings: Settings) -> str:
    """WEBHOOK_SECRET, or a value derived from the token: the same in every instance."""
    if settings.webhook_secret:
        return settings.webhook_secret
    return hashlib.sha256(f"eig-bot webhook:{settings.require_token()}".encode()).hexdigest()


def run(settings: Settings, knowledge_dir: Path) -> int:
    """Run the bot until SIGTERM/SIGINT: a webhook when WEBHOOK_URL is set, else long polling.

    Errors with a known cause become a `ConfigError` (the command line prints its French message);
    anything else is logged, through the redacting filter, and ends with exit code 1.
    """
    token = settings.require_token()
    logs.configure(settings.log_level, [token, settings.webhook_secret], (InvalidToken,))
    holder = IndexHolder(Index(load(knowledge_dir)))
    try:
        questions = QuestionLog.open(settings)
    except (OSError, sqlite3.Error) as error:
        raise ConfigError(
            f"impossible d'ouvrir le journal des questions dans {settings.data_dir} ({error}) : "
            "vérifiez DATA_DIR et que le bot a le droit d'y écrire"
        ) from None
    application = build_application(
        settings, holder, questions=questions, knowledge_dir=knowledge_dir
    )
    logger.info("Knowledge base loaded: %d entries", len(holder.index.knowledge.entries))
    try:
        _serve(application, settings)
    except ConfigError:
        raise
    except Exception:
        # Logged here rather than left to Python, whose traceback would bypass the redaction.
        logger.exception("Stopped on an unexpected error")
        return 1
    finally:
        questions.close()
    logger.info("Stopped cleanly")
    return 0


def _serve(application: BotApplication, settings: Settings) -> None:
    """Serve updates until a stop signal; known failures as `ConfigError`."""
    try:
        if settings.webhook_url:
            logger.info("Serving the webhook on %s:%d", settings.webhook_listen, settings.port)
            application.run_webhook(
                listen=settings.webhook_listen,
                port=settings.port,
                url_path=urlsplit(settings.webhook_url).path,
                webhook_url=settings.webhook_url,
                secret_token=webhook_secret(settings),
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            logger.info("Long polling %s", settings.api_url)
            application.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        raise ConfigError(
            "Telegram refuse le jeton TELEGRAM_BOT_TOKEN : vérifiez-le auprès de @BotFather "
            "(le jeton change si vous le régénérez)"
        ) from None
    except NetworkError as error:
        logger.error("Stopped: the Bot API cannot be reached (%s)", error)
        raise ConfigError(
            f"impossible de joindre l'API Telegram à l'adresse {settings.api_url} : vérifiez "
            "TELEGRAM_API_URL et la connexion réseau"
        ) from None
    except OSError as error:
        if not settings.webhook_url:
            raise
        raise ConfigError(
            f"impossible d'écouter sur {settings.webhook_listen}:{settings.port} "
            f"({error.strerror or error}) : vérifiez PORT et WEBHOOK_LISTEN"
        ) from None


# telegram-layer: ready
