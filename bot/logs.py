"""Logging for the running bot: one format on stderr, secrets redacted, no chatter from libraries.

The Bot API URL contains the token, and libraries log URLs (httpx at INFO, python-telegram-bot at
DEBUG) or put them in exception messages. So: those loggers stay quiet, and a filter on the
handler replaces the token and the webhook secret wherever they appear, tracebacks included.
Log lines carry no user identifiers; handlers log update ids and kinds only (RGPD).

Nor do they carry payloads: python-telegram-bot logs a whole update or raw response in some of
its error lines (an update it cannot parse, with the sender's name, e-mail and phone), so its
records keep only harmless arguments (`KeepPayloadsOut`). Every message is cut to `MAX_MESSAGE`
characters and every traceback to `MAX_TRACEBACK`, and `RateLimited` keeps a failure that repeats
from filling the log.
"""

from __future__ import annotations

import logging
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from typing import Any

REDACTED = "[redacted]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_MESSAGE = 2000
"""Characters of one log message: enough for any line the bot writes, never a whole payload."""
MAX_TRACEBACK = 8000
"""Characters of one traceback (its end is kept: the error itself)."""
MAX_SAFE_ARGUMENT = 120
"""A library's string argument longer than this may be data, not a name: it is left out."""

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


class _Omitted:
    """Stands for a left-out argument, with `%s` and `%r` alike."""

    def __repr__(self) -> str:
        return "<omitted>"

    __str__ = __repr__


OMITTED = _Omitted()


def _safe(argument: object) -> object:
    """A log argument of python-telegram-bot kept when it cannot hold a user's data."""
    if argument is None or isinstance(argument, bool | int | float):
        return argument
    if isinstance(argument, BaseException):
        return type(argument).__name__
    short = isinstance(argument, str) and len(argument) <= MAX_SAFE_ARGUMENT
    if short and not any(mark in str(argument) for mark in "{[\n@"):
        return argument
    return OMITTED


class KeepPayloadsOut(logging.Filter):
    """python-telegram-bot's records lose what may be data: updates, raw responses, exceptions'
    messages (a parsing error may quote a field). Their tracebacks are reduced to the type."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name != "telegram" and not record.name.startswith("telegram."):
            return True
        if isinstance(record.args, Mapping):
            if "%(" in str(record.msg):  # named placeholders: keep the harmless values
                record.args = {key: _safe(value) for key, value in record.args.items()}
            else:  # one mapping passed as the only argument: an update, a response
                record.args = (OMITTED,)
        elif record.args:
            record.args = tuple(_safe(argument) for argument in record.args)
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            record.msg = f"{record.getMessage()} ({type(error).__name__}, details left out)"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


class BoundLength(logging.Filter):
    """Cut a record's message and traceback (after redaction, so no secret is cut in half)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if len(message) > MAX_MESSAGE:
            record.msg = message[: MAX_MESSAGE - 1] + "…"
            record.args = None
        if record.exc_text and len(record.exc_text) > MAX_TRACEBACK:
            record.exc_text = "…" + record.exc_text[-MAX_TRACEBACK:]
        return True


class RateLimited:
    """At most `burst` records per `period` seconds for one kind of event; the rest are counted
    and reported in one line when the next period starts (a failure that repeats 600 times a
    second writes a few lines a minute, not megabytes)."""

    def __init__(
        self,
        logger: logging.Logger,
        *,
        burst: int = 5,
        period: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.burst = burst
        self.period = period
        self._clock = clock
        self._start = clock()
        self._count = 0
        self.left_out = 0

    def log(self, level: int, message: str, *args: Any) -> None:
        now = self._clock()
        if now - self._start >= self.period:
            self.flush()
            self._start, self._count = now, 0
        if self._count < self.burst:
            self._count += 1
            self.logger.log(level, message, *args)
        else:
            self.left_out += 1

    def flush(self) -> None:
        """Say how many records were left out since the last time, if any."""
        if self.left_out:
            self.logger.warning(
                "%d more similar line(s) left out in the last %.0f s", self.left_out, self.period
            )
            self.left_out = 0


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


class LibraryRootChatter(logging.Filter):
    """Drop the INFO and DEBUG lines that a library writes with the root logger
    (`logging.info(…)`): onnxruntime's quantizer writes one per tensor while the encoder is
    prepared at a first start, lines that tell an operator nothing (a staff tryout saw them
    open the web chat's output). The bot's own modules log under their names."""

    def filter(self, record: logging.LogRecord) -> bool:
        from_a_library = "site-packages" in record.pathname or "dist-packages" in record.pathname
        return not (record.name == "root" and record.levelno < logging.WARNING and from_a_library)


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
    handler.addFilter(LibraryRootChatter())
    handler.addFilter(ShortenKnown(known_errors))
    handler.addFilter(KeepPayloadsOut())
    handler.addFilter(RedactSecrets(secrets))
    handler.addFilter(BoundLength())
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
