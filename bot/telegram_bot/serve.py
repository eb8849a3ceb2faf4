"""Run the bot by long polling until a stop signal (webhook mode: `bot.web.server`)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from telegram.error import InvalidToken, NetworkError

from bot import logs
from bot.config import ConfigError, Settings
from bot.staff.embeddings import cached_index
from bot.staff.holder import IndexHolder
from bot.staff.lastgood import LastGood, load_for_serving
from bot.staff.questionlog import QuestionLog
from bot.staff.recorder import Recorder
from bot.staff.storage import log_location
from bot.telegram_bot import polling
from bot.telegram_bot.app import ALLOWED_UPDATES, build_application
from bot.telegram_bot.context import BotApplication

logger = logging.getLogger(__name__)

RECORDER_STOP = 1.0
"""Seconds given at exit to write the questions still queued (the stop stays within 10 s)."""


def question_recorder(settings: Settings) -> Recorder:
    """The question log behind its background queue, not opened yet (see `Recorder.start`).

    The log is optional: opened (and reopened after a failure) in the recorder's own thread, so
    that a missing, read-only, full or locked DATA_DIR, or an unreachable database, never stops
    the answers.
    """
    return Recorder(
        lambda clock: QuestionLog.open(settings, clock=clock), location=log_location(settings)
    )


def run(settings: Settings, knowledge_dir: Path) -> int:
    """Run the bot by long polling until SIGTERM/SIGINT (`bot.telegram_bot.polling`, which
    acknowledges an update only once it is handled).

    Errors with a known cause become a `ConfigError` (the command line prints its French message);
    anything else is logged, through the redacting filter, and ends with exit code 1.
    """
    settings.require_token()
    logs.configure(settings.log_level, settings.secrets(), (InvalidToken,))
    knowledge = load_for_serving(knowledge_dir, settings.data_dir)
    holder = IndexHolder(cached_index(knowledge, settings), LastGood(settings.data_dir).keep)
    recorder = question_recorder(settings)
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
    """Serve updates by long polling until a stop signal; known failures as `ConfigError`.

    Webhook mode (WEBHOOK_URL) is served by the web application, next to the web chat: see
    `bot.web.server` and `bot.telegram_bot.webhook`.
    """
    with bot_api_errors(settings):
        logger.info("Long polling %s", settings.api_url)
        polling.serve(application, allowed_updates=ALLOWED_UPDATES)


class TokenRefused(ConfigError):
    """Telegram refuses TELEGRAM_BOT_TOKEN: trying again changes nothing."""


class BotApiUnreachable(ConfigError):
    """The Bot API could not be reached (after the retries of every call): it may come back."""


@contextmanager
def bot_api_errors(settings: Settings) -> Iterator[None]:
    """Turn a refused token or an unreachable Bot API into a `ConfigError` that says what to do."""
    try:
        yield
    except InvalidToken:
        raise TokenRefused(
            "Telegram refuse le jeton TELEGRAM_BOT_TOKEN : vérifiez-le auprès de @BotFather "
            "(le jeton change si vous le régénérez)"
        ) from None
    except NetworkError as error:
        logger.error("The Bot API cannot be reached (%s)", error)
        raise BotApiUnreachable(
            f"impossible de joindre l'API Telegram à l'adresse {settings.api_url} : vérifiez "
            "TELEGRAM_API_URL et la connexion réseau"
        ) from None
