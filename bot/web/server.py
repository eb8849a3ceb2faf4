"""`python -m bot web`: serve the web chat with uvicorn, and Telegram's webhook when configured.

One process, one event loop, as in python-telegram-bot's "custom webhook bot" example: with a
token and WEBHOOK_URL, the Telegram `Application` is started, the webhook declared, then uvicorn
serves the page, the API and the webhook on one port; on SIGTERM uvicorn stops taking requests,
finishes the ones in flight, and the Telegram application stops after it. Without WEBHOOK_URL,
only the web chat runs (Telegram, if any, is the `worker` process's long polling).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from urllib.parse import urlsplit

import uvicorn

from bot import logs
from bot.config import ConfigError, Settings
from bot.staff.embeddings import cached_index
from bot.staff.holder import IndexHolder
from bot.staff.lastgood import LastGood, load_for_serving
from bot.staff.recorder import Recorder
from bot.staff.reload import WATCH_INTERVAL, FolderWatcher, log_result, reload
from bot.telegram_bot.serve import RECORDER_STOP, question_recorder
from bot.web.app import TelegramWebhook, create_app, taken_by_the_web_chat
from bot.web.chat import WebChat

logger = logging.getLogger(__name__)

GRACEFUL_SECONDS = 5
"""On SIGTERM, requests in flight get this long to finish: a platform allows about 10 s."""
PURGE_EVERY = 3600.0
"""Seconds between two purges of old questions when Telegram's job queue does not run."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or a `ConfigError` naming the address (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say TCP;
    # with Nagle on, a response body waits for the client's delayed ACK (about 40 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as error:
        sock.close()
        raise ConfigError(
            f"impossible d'écouter sur {host}:{port} ({error.strerror or error}) : "
            "vérifiez PORT et WEBHOOK_LISTEN"
        ) from None
    sock.setblocking(False)
    return sock


def address(sock: socket.socket) -> str:
    """The page's address for a person on this machine."""
    host, port = sock.getsockname()[:2]
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # "any" means this machine too
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def run(
    settings: Settings,
    knowledge_dir: Path,
    *,
    host: str | None = None,
    port: int | None = None,
    announce: Callable[[str], None] = lambda line: print(line, flush=True),
) -> int:
    """Serve until SIGTERM/SIGINT; 0 after a clean stop, 1 after an unexpected error (logged).

    `host` and `port` replace WEBHOOK_LISTEN and PORT; `announce` receives the French line that
    gives the page's address once the port is open (printed at once, also into a platform's log
    pipe). With WEBHOOK_URL, Telegram is served next to the web chat, which never waits for it.
    """
    telegram = bool(settings.webhook_url)
    secrets = [settings.token, settings.webhook_secret]
    path = urlsplit(settings.webhook_url or "").path or "/"
    if telegram and taken_by_the_web_chat(path):
        raise ConfigError(
            f"WEBHOOK_URL : le chemin {path} est celui du chat web (/api/…, /static/…, /healthz) ; "
            "choisissez-en un autre, par exemple /telegram"
        )
    if telegram:
        from bot.telegram_bot.webhook import webhook_secret  # Telegram only when it is served

        secrets.append(webhook_secret(settings))  # checks the token too
    logs.configure(settings.log_level, secrets)
    knowledge = load_for_serving(knowledge_dir, settings.data_dir)
    holder = IndexHolder(cached_index(knowledge, settings), LastGood(settings.data_dir).keep)
    logger.info("Knowledge base loaded: %d entries", len(holder.index.knowledge.entries))
    recorder = question_recorder(settings)
    recorder.start()
    try:
        sock = bind(host or settings.webhook_listen, settings.port if port is None else port)
        try:
            asyncio.run(_serve(settings, knowledge_dir, holder, recorder, sock, announce))
        finally:
            sock.close()
    except ConfigError:
        raise
    except Exception:
        # Logged here rather than left to Python, whose traceback would bypass the redaction.
        logger.exception("Stopped on an unexpected error")
        return 1
    finally:
        recorder.stop(RECORDER_STOP)  # the writes asked for while serving reach the log
    logger.info("Stopped cleanly")
    return 0


async def _serve(
    settings: Settings,
    knowledge_dir: Path,
    holder: IndexHolder,
    recorder: Recorder,
    sock: socket.socket,
    announce: Callable[[str], None],
) -> None:
    chat = WebChat(holder, recorder, retention_days=settings.retention_days)
    async with contextlib.AsyncExitStack() as stack:
        webhook: TelegramWebhook | None = None
        if settings.webhook_url:
            from bot.telegram_bot.webhook import serve_webhook_channel

            webhook = await stack.enter_async_context(
                serve_webhook_channel(
                    settings, holder, recorder=recorder, knowledge_dir=knowledge_dir
                )
            )
        channel = webhook
        await stack.enter_async_context(
            _watch(holder, knowledge_dir, recorder, lambda: channel is not None and channel.ready)
        )
        app = create_app(chat, allowed_origins=settings.web_allowed_origins, webhook=webhook)
        server = uvicorn.Server(
            uvicorn.Config(
                app,
                log_config=None,
                access_log=False,  # an access line holds the client's address: none is kept
                proxy_headers=True,
                forwarded_allow_ips=settings.forwarded_allow_ips,
                server_header=False,
                lifespan="off",
                timeout_graceful_shutdown=GRACEFUL_SECONDS,
            )
        )
        if threading.current_thread() is threading.main_thread():
            # uvicorn raises the stop signal again once it has stopped: with these handlers that
            # only asks it to stop again, and the Telegram application then stops cleanly.
            for stop in (signal.SIGTERM, signal.SIGINT):
                signal.signal(stop, server.handle_exit)
        logger.info(
            "Serving on %s (Telegram webhook: %s)", address(sock), "yes" if webhook else "no"
        )
        channels = "chat web et webhook Telegram" if webhook else "chat web"
        announce(f"EIG Bot ({channels}) : {address(sock)}  (Ctrl+C pour arrêter)")
        await server.serve(sockets=[sock])


@contextlib.asynccontextmanager
async def _watch(
    holder: IndexHolder, knowledge_dir: Path, recorder: Recorder, telegram_runs: Callable[[], bool]
) -> AsyncIterator[None]:
    """Reload the knowledge folder when it changes, and purge old questions, while serving;
    not while `telegram_runs()`: Telegram's job queue does both then."""

    async def loop() -> None:
        watcher = FolderWatcher(knowledge_dir)
        since_purge = 0.0
        while True:
            await asyncio.sleep(WATCH_INTERVAL)
            if telegram_runs():
                continue
            try:
                if watcher.poll():
                    log_result(await asyncio.to_thread(reload, holder, watcher.folder))
            except Exception:  # the next look may succeed: never stop watching
                logger.exception("Could not reload the knowledge folder")
            since_purge += WATCH_INTERVAL
            if since_purge >= PURGE_EVERY:
                since_purge = 0.0
                recorder.purge()

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
