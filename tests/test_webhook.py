"""Webhook mode: `python -m bot run` with WEBHOOK_URL serves updates, and only Telegram's."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from pathlib import Path

from bot_process import bot_process, free_port, wait_for_port

from bot.config import Settings
from bot.knowledge import KnowledgeBase
from bot.replies import render
from bot.telegram_bot.webhook import webhook_secret
from bot.testing import fake_bot_api as fake

SECRET = "Un_secret-partage-avec-Telegram-42"
WEBHOOK_URL = "https://eig-bot.example.org/telegram/hook"


def post(port: int, update: dict, secret: str | None) -> int:
    """POST an update to the bot's webhook as Telegram does; the HTTP status."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/telegram/hook",
        data=json.dumps(update).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    if secret is not None:
        request.add_header("X-Telegram-Bot-Api-Secret-Token", secret)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as refused:
        refused.close()
        return refused.code


def test_the_webhook_answers_telegram_and_refuses_anyone_else(
    tmp_path: Path, knowledge: KnowledgeBase
):
    api = fake.FakeBotApi()
    port = free_port()
    with (
        fake.FakeBotApiServer(api) as server,
        bot_process(
            tmp_path,
            TELEGRAM_BOT_TOKEN=fake.TOKEN,
            TELEGRAM_API_URL=server.url,
            WEBHOOK_URL=WEBHOOK_URL,
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            PORT=str(port),
            LOG_LEVEL="DEBUG",
        ) as bot,
    ):
        registered = api.wait_for("setWebhook", timeout=20)
        assert registered.params["url"] == WEBHOOK_URL
        assert registered.params["secret_token"] == SECRET
        assert "getUpdates" not in [c.method for c in api.calls]
        wait_for_port(port)

        mark = api.mark()
        assert post(port, {"update_id": 1, **fake.message("/start")}, None) == 403
        assert post(port, {"update_id": 2, **fake.message("/start")}, "pas-le-bon") == 403
        assert post(port, {"update_id": 3, **fake.message("/aide")}, SECRET) == 200

        sent = api.wait_for("sendMessage", after=mark, timeout=10)
        assert sent.text == render.render_help(knowledge).html
        assert bot.terminate() == 0
        # Only the update with the right secret got an answer.
        assert len(api.sent_messages(mark)) == 1
        output = bot.output()
    assert fake.TOKEN not in output and SECRET not in output
    assert "Traceback" not in output


def test_without_webhook_secret_one_is_derived_from_the_token():
    settings = Settings(token=fake.TOKEN, webhook_url=WEBHOOK_URL)
    secret = webhook_secret(settings)
    assert secret == webhook_secret(Settings(token=fake.TOKEN))  # the same in every instance
    assert secret != webhook_secret(Settings(token=fake.TOKEN.replace("A", "B")))
    assert 1 <= len(secret) <= 256 and secret.isalnum()
    assert fake.TOKEN.partition(":")[2] not in secret
    assert webhook_secret(Settings(token=fake.TOKEN, webhook_secret=SECRET)) == SECRET


def test_a_port_already_taken_is_a_clear_error(tmp_path: Path):
    api = fake.FakeBotApi()
    with (
        fake.FakeBotApiServer(api) as server,
        socket.socket() as taken,
    ):
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with bot_process(
            tmp_path,
            TELEGRAM_BOT_TOKEN=fake.TOKEN,
            TELEGRAM_API_URL=server.url,
            WEBHOOK_URL=WEBHOOK_URL,
            WEBHOOK_LISTEN="127.0.0.1",
            PORT=str(port),
        ) as bot:
            assert bot.wait(timeout=20) == 1
            output = bot.output()
    assert f"Erreur : impossible d'écouter sur 127.0.0.1:{port}" in output
    assert "Traceback" not in output and fake.TOKEN not in output
