"""Run the bot by long polling until a stop signal (webhook mode: `bot.web.server`)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from telegram.error import InvalidToken, NetworkError

from bot import logs
from bot.config import ConfigError, Settings
from bot.knowledge import load
from bot.staff.embeddings import cached_index
from bot.staff.holder import IndexHolder
from bot.staff.questionlog import QuestionLog
from bot.telegram_bot.app import ALLOWED_UPDATES, build_application
from bot.telegram_bot.context import BotApplication

logger = logging.getLogger(__name__)


def run(settings: Settings, knowledge_dir: Path) -> int:
    """Run the bot by long polling until SIGTERM/SIGINT.

    Errors with a known cause become a `ConfigError` (the command line prints its French message);
    anything else is logged, through the redacting filter, and ends with exit code 1.
    """
    token = settings.require_token()
    logs.configure(settings.log_level, [token, settings.webhook_secret], (InvalidToken,))
    holder = IndexHolder(cached_index(load(knowledge_dir), settings))
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
    """Serve updates by long polling until a stop signal; known failures as `ConfigError`.

    Webhook mode (WEBHOOK_URL) is served by the web application, next to the web chat: see
    `bot.web.server` and `bot.telegram_bot.webhook`.
    """
    with bot_api_errors(settings):
        logger.info("Long polling %s", settings.api_url)
        application.run_polling(allowed_updates=ALLOWED_UPDATES)


@contextmanager
def bot_api_errors(settings: Settings) -> Iterator[None]:
    """Turn a refused token or an unreachable Bot API into a `ConfigError` that says what to do."""
    try:
        yield
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
