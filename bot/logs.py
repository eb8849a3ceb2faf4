"""Logging for the running bot: one format on stderr, secrets redacted, no chatter from libraries.

The Bot API URL contains the token, and libraries log URLs (httpx at INFO, python-telegram-bot at
DEBUG) or put them in exception messages. So: those loggers stay quiet, and a filter on the
handler replaces the token and the webhook secret wherever they appear, tracebacks included.
Log lines carry no user identifiers; handlers log update ids and kinds only (RGPD).
"""

from __future__ import annotations

import logging
import sys
import urllib.parse
from collections.abc import Iterable

REDACTED = "[redacted]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

QUIET_LOGGERS = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "apscheduler": logging.WARNING,
    "asyncio": logging.WARNING,
}
"""Third-party loggers whose INFO/DEBUG lines carry URLs or noise."""


class RedactSecrets(logging.Filter):
    """Replace secrets in a record's message, arguments, traceback and stack."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        variants: set[str] = set()
        for secret in secrets:
            if not secret:
                continue
            variants.add(secret)
            variants.add(urllib.parse.quote(secret, safe=""))
            # The part after "<bot id>:" is what makes a token secret; the bot id is public.
            _, colon, tail = secret.partition(":")
            if colon and len(tail) >= 8:
                variants.add(tail)
        # Longest first, so that a token is replaced whole rather than leaving its bot id around.
        self._secrets = sorted(variants, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class ShortenKnown(logging.Filter):
    """Drop the traceback of errors whose cause the command line explains itself (bad token…)."""

    def __init__(self, known: tuple[type[BaseException], ...]) -> None:
        super().__init__()
        self._known = known

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], self._known):
            record.msg = f"{record.getMessage()} ({record.exc_info[1]!r})"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


def configure(
    level: str,
    secrets: Iterable[str | None],
    known_errors: tuple[type[BaseException], ...] = (),
) -> logging.Handler:
    """Send log records to stderr through the filters; return the handler.

    `known_errors` are logged on one line, without their traceback: errors that end the program
    with a message of their own, where a traceback would only hide that message.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(ShortenKnown(known_errors))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name, quiet in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(quiet)
    # python-telegram-bot's DEBUG lines include request parameters (chat ids, message text).
    logging.getLogger("telegram").setLevel(max(logging.INFO, logging.getLevelNamesMapping()[level]))
    logging.captureWarnings(True)
    return handler
