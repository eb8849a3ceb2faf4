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
from bot.staff.questionlog import QuestionLog
from bot.staff.recorder import Recorder
from bot.staff.storage import log_location
from bot.telegram_bot import polling
from bot.telegram_bot.app import ALLOWED_UPDATES, build_application
from bot.telegram_bot.context import BotApplication

logger = logging.getLogger(__name__)

RECORDER_STOP = 1.0
"""Seconds given at exit to write the questions still queued (the stop stays within 10 s)."""


def webhook_secret(settings: Settings) -> str:
    """WEBHOOK_SECRET, or a value derived from the token: the same in every instance."""
    if settings.webhook_secret:
        return settings.webhook_secret
    return hashlib.sha256(f"eig-bot webhook:{settings.require_token()}".encode()).hexdigest()


def run(settings: Settings, knowledge_dir: Path) -> int:
    """Run the bot until SIGTERM/SIGINT: a webhook when WEBHOOK_URL is set, else long polling
    (`bot.telegram_bot.polling`, which acknowledges an update only once it is handled).

    Errors with a known cause become a `ConfigError` (the command line prints its French message);
    anything else is logged, through the redacting filter, and ends with exit code 1.
    """
    settings.require_token()
    logs.configure(settings.log_level, settings.secrets(), (InvalidToken,))
    holder = IndexHolder(cached_index(load(knowledge_dir), settings))
    # The question log is optional: opened (and reopened after a failure) in the recorder's own
    # thread, so that a missing, read-only, full or locked DATA_DIR never stops the answers.
    recorder = Recorder(
        lambda clock: QuestionLog.open(settings, clock=clock), location=log_location(settings)
    )
    application = build_application(
        settings, holder, recorder=recorder, knowledge_dir=knowledge_dir
    )
    logger.info("Knowledge base loaded: %d entries", len(holder.index.knowledge.entries))
    recorder.start()
    try:
        _serve(application, settings)
    except ConfigError:
        raise
    except Exception:
        # Logged here rather than left to Python, whose traceback would bypass the redaction.
        logger.exception("Stopped on an unexpected error")
        return 1
    finally:
        recorder.stop(RECORDER_STOP)
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
            polling.serve(application, allowed_updates=ALLOWED_UPDATES)
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
