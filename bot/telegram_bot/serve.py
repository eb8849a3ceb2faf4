"""Run the bot until a stop signal: long polling, or a webhook when WEBHOOK_URL is set."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from urllib.parse import urlsplit

from telegram.error import InvalidToken, NetworkError

from bot import logs
from bot.config import ConfigError, Settings
from bot.knowledge import load
from bot.staff.embeddings import cached_index
from bot.staff.holder import IndexHolder
from bot.staff.questionlog import LOG_ERRORS, QuestionLog
from bot.staff.storage import open_error
from bot.telegram_bot.app import ALLOWED_UPDATES, build_application
from bot.telegram_bot.context import BotApplication

logger = logging.getLogger(__name__)

OPEN_ERRORS: tuple[type[Exception], ...] = (OSError, *LOG_ERRORS)
"""Why the question log may fail to open: a folder, a file, a database."""


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
    settings.require_token()
    logs.configure(settings.log_level, settings.secrets(), (InvalidToken,))
    holder = IndexHolder(cached_index(load(knowledge_dir), settings))
    try:
        questions = QuestionLog.open(settings)
    except OPEN_ERRORS as error:
        raise ConfigError(open_error(settings, error)) from None
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
