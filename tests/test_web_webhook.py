"""Telegram's webhook in the web application: secret first, capped body, poison updates skipped.

In-process tests run the real `Application` (`serve_webhook`) and the real web app over ASGI; the
end-to-end ones run `python -m bot run` and talk raw HTTP to it. The Telegram side is the loopback
fake Bot API in both.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from bot_process import (
    BotProcess,
    bot_process,
    free_port,
    port_outside_ephemeral_range,
    wait_for_port,
)
from conftest import KNOWLEDGE_DIR

from bot.config import Settings
from bot.engine import Index
from bot.knowledge import KnowledgeBase
from bot.replies import render
from bot.staff.holder import IndexHolder
from bot.telegram_bot.webhook import MAX_UPDATE_BYTES, SECRET_HEADER, SkipLog, serve_webhook
from bot.testing import fake_bot_api as fake
from bot.web.app import create_app
from bot.web.chat import WebChat

SECRET = "Un_secret-partage-avec-Telegram-42"
WEBHOOK_URL = "https://eig-bot.example.org/telegram/hook"
PATH = "/telegram/hook"
PERSONAL = ("Camille", "Durand", "camille.durand@example.org", "06 12 34 56 78", "424242")


def poison(update_id: int) -> dict:
    """An update python-telegram-bot cannot parse (a `date` that is not a time), full of
    personal data that must never reach the log."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": "hier",
            "chat": {"id": 424242, "type": "private", "first_name": "Camille"},
            "from": {"id": 424242, "is_bot": False, "first_name": "Camille", "last_name": "Durand"},
            "text": "joignez-moi : camille.durand@example.org, 06 12 34 56 78",
        },
    }


# -- in process ---------------------------------------------------------------------------------


@asynccontextmanager
async def running(
    api: fake.FakeBotApi, knowledge: KnowledgeBase
) -> AsyncIterator[httpx.AsyncClient]:
    with fake.FakeBotApiServer(api) as server:
        settings = Settings(
            token=fake.TOKEN, api_url=server.url, webhook_url=WEBHOOK_URL, webhook_secret=SECRET
        )
        holder = IndexHolder(Index(knowledge))
        async with serve_webhook(
            settings, holder, recorder=None, knowledge_dir=KNOWLEDGE_DIR
        ) as receiver:
            app = create_app(WebChat(holder, None, retention_days=90), webhook=receiver)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
                client.receiver = receiver  # type: ignore[attr-defined]
                yield client


async def wait_for(api: fake.FakeBotApi, method: str, mark: int) -> fake.Call:
    """The fake's blocking wait, off the event loop that handles the update."""
    return await asyncio.to_thread(api.wait_for, method, after=mark, timeout=10)


async def test_telegram_is_told_the_url_and_secret(knowledge: KnowledgeBase) -> None:
    api = fake.FakeBotApi()
    async with running(api, knowledge):
        registered = api.wait_for("setWebhook", timeout=5)
        assert registered.params["url"] == WEBHOOK_URL
        assert registered.params["secret_token"] == SECRET
        assert "getUpdates" not in [c.method for c in api.calls]


async def test_a_request_without_the_secret_is_refused(knowledge: KnowledgeBase) -> None:
    api = fake.FakeBotApi()
    async with running(api, knowledge) as client:
        mark = api.mark()
        update = json.dumps({"update_id": 1, **fake.message("/aide")})
        assert (await client.post(PATH, content=update)).status_code == 403
        wrong = {SECRET_HEADER: "pas-le-bon"}
        assert (await client.post(PATH, content=update, headers=wrong)).status_code == 403
        await asyncio.sleep(0.2)
        assert api.sent_messages(mark) == []


async def test_an_oversized_body_is_refused(knowledge: KnowledgeBase) -> None:
    api = fake.FakeBotApi()
    async with running(api, knowledge) as client:
        body = b'{"update_id": 1, "x": "' + b"a" * MAX_UPDATE_BYTES + b'"}'
        refused = await client.post(PATH, content=body, headers={SECRET_HEADER: SECRET})
        assert refused.status_code == 413

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: read until the cap
            for _ in range(8):
                yield b" " * (MAX_UPDATE_BYTES // 4)

        refused = await client.post(PATH, content=chunks(), headers={SECRET_HEADER: SECRET})
        assert refused.status_code == 413


async def test_a_good_update_is_handled(knowledge: KnowledgeBase) -> None:
    api = fake.FakeBotApi()
    async with running(api, knowledge) as client:
        mark = api.mark()
        update = {"update_id": 3, **fake.message("/aide")}
        answered = await client.post(PATH, json=update, headers={SECRET_HEADER: SECRET})
        assert answered.status_code == 200
        sent = await wait_for(api, "sendMessage", mark)
        assert sent.text == render.render_help(knowledge).html


async def test_an_unparseable_update_is_answered_counted_and_logged_without_content(
    knowledge: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    api = fake.FakeBotApi()
    caplog.set_level(logging.INFO)
    async with running(api, knowledge) as client:
        headers = {SECRET_HEADER: SECRET}
        assert (await client.post(PATH, json=poison(77), headers=headers)).status_code == 200
        assert (await client.post(PATH, content=b"pas du JSON", headers=headers)).status_code == 200
        assert client.receiver.application.bot_data.unreadable_updates == 2
        mark = api.mark()
        await client.post(PATH, json={"update_id": 78, **fake.message("/aide")}, headers=headers)
        await wait_for(api, "sendMessage", mark)  # the next update is answered as usual
    skipped = [r.getMessage() for r in caplog.records if "cannot be parsed" in r.getMessage()]
    assert skipped == [
        "Skipped an update that cannot be parsed: update 77, TypeError in from_timestamp"
    ]  # the second one, a second later, is counted in the next line
    everything = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    assert not [word for word in PERSONAL if word in everything]


def test_a_burst_of_bad_updates_is_one_line_then_a_count(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    skips = SkipLog(interval=10.0, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING):
        for update_id in range(1, 6):
            skips.skipped(update_id, "TypeError in from_timestamp")
        now[0] = 11.0
        skips.skipped(None, "JSONDecodeError in JSONDecoder.raw_decode")
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "Skipped an update that cannot be parsed: update 1, TypeError in from_timestamp",
        "Skipped an update that cannot be parsed: update without id, JSONDecodeError in "
        "JSONDecoder.raw_decode (4 more skipped since the previous line)",
    ]


# -- end to end: `python -m bot run` with WEBHOOK_URL, raw HTTP -------------------------------


class Served:
    def __init__(self, api: fake.FakeBotApi, port: int, bot: BotProcess) -> None:
        self.api, self.port, self.bot = api, port, bot


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    api = fake.FakeBotApi()
    port = free_port()
    with (
        fake.FakeBotApiServer(api) as server,
        bot_process(
            tmp_path_factory.mktemp("webhook"),
            TELEGRAM_BOT_TOKEN=fake.TOKEN,
            TELEGRAM_API_URL=server.url,
            WEBHOOK_URL=WEBHOOK_URL,
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            PORT=str(port),
        ) as bot,
    ):
        api.wait_for("setWebhook", timeout=20)
        wait_for_port(port)
        yield Served(api, port, bot)


def first_line(port: int, headers: dict[str, str | int], body: bytes = b"") -> str:
    """Send a request head and the start of its body, then read the status line: a server that
    waited for the whole body would time out here."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        head = f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
        connection.sendall(head.encode() + body)
        return connection.recv(4096).split(b"\r\n")[0].decode()


def test_the_secret_is_checked_before_a_50_mb_body_is_read(served: Served) -> None:
    declared = {"Content-Length": 50 * 1024 * 1024}
    start = b'{"update_id": 1, "padding": "' + b"x" * 65_536
    for secret in (None, "pas-le-bon"):
        headers = dict(declared) if secret is None else {**declared, SECRET_HEADER: secret}
        assert first_line(served.port, headers, start) == "HTTP/1.1 403 Forbidden"
    assert first_line(served.port, {**declared, SECRET_HEADER: SECRET}, start).startswith(
        "HTTP/1.1 413"
    )


def test_a_body_without_length_is_cut_at_the_cap(served: Served) -> None:
    chunk = b"%x\r\n" % 65_536 + b" " * 65_536 + b"\r\n"
    headers = {"Transfer-Encoding": "chunked", SECRET_HEADER: SECRET}
    line = first_line(served.port, headers, chunk * (MAX_UPDATE_BYTES // 65_536 + 1))
    assert line.startswith("HTTP/1.1 413")


def test_the_same_port_serves_the_web_chat(served: Served) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{served.port}/", timeout=5) as page:
        assert page.status == 200 and "Votre question" in page.read().decode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{served.port}/api/ask",
        data=json.dumps({"question": "quel est le salaire ?"}).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert json.loads(answer.read())["entry"] == "remuneration"


def ask(port: int, question: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/ask",
        data=json.dumps({"question": question}).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        reply: dict = json.loads(answer.read())
        return reply


def update_line(port: int, update_id: int) -> str:
    update = json.dumps({"update_id": update_id, **fake.message("/aide")}).encode()
    return first_line(port, {SECRET_HEADER: SECRET, "Content-Length": len(update)}, update)


def webhook_env(api_url: str, port: int, token: str = fake.TOKEN) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_URL": api_url,
        "WEBHOOK_URL": WEBHOOK_URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "PORT": str(port),
    }


def test_the_web_chat_answers_while_telegram_is_unreachable_and_telegram_joins_later(
    tmp_path: Path,
) -> None:
    """An operator tryout: a Bot API that could not be reached at start stopped the process
    after about a minute of retries, and the web chat was never served (a PaaS crash loop)."""
    api_port, port = port_outside_ephemeral_range(), free_port()
    with bot_process(tmp_path, **webhook_env(f"http://127.0.0.1:{api_port}", port)) as bot:
        wait_for_port(port, timeout=60)
        assert ask(port, "quel est le salaire ?")["entry"] == "remuneration"
        assert update_line(port, 7001).startswith("HTTP/1.1 503")  # Telegram sends it again
        api = fake.FakeBotApi()
        with fake.FakeBotApiServer(api, port=api_port):
            api.wait_for("setWebhook", timeout=60)
            mark = api.mark()
            deadline = time.monotonic() + 10  # the application starts just after setWebhook
            while (line := update_line(port, 7002)) != "HTTP/1.1 200 OK":
                assert time.monotonic() < deadline, line
                time.sleep(0.1)
            api.wait_for("sendMessage", after=mark)
            assert bot.terminate() == 0
    assert SECRET not in bot.output() and fake.TOKEN not in bot.output()


def test_a_token_telegram_refuses_leaves_the_web_chat_served(tmp_path: Path) -> None:
    refused = "987654321:AAHsomeOtherTokenThatTheServerRefuses"
    port = free_port()
    with (
        fake.FakeBotApiServer(fake.FakeBotApi()) as server,
        bot_process(tmp_path, **webhook_env(server.url, port, token=refused)) as bot,
    ):
        wait_for_port(port, timeout=60)
        assert ask(port, "quel est le salaire ?")["entry"] == "remuneration"
        assert update_line(port, 7003).startswith("HTTP/1.1 503")
        assert bot.terminate() == 0
    output = bot.output()
    assert "Telegram refuse le jeton TELEGRAM_BOT_TOKEN" in output
    assert refused.partition(":")[2] not in output and "Traceback" not in output


# Last of the module: it stops the bot to read its whole output.
def test_a_poison_update_does_not_stop_anyone_else(
    served: Served, knowledge: KnowledgeBase
) -> None:
    body = json.dumps(poison(9001)).encode()
    headers = {SECRET_HEADER: SECRET, "Content-Length": len(body)}
    assert first_line(served.port, headers, body) == "HTTP/1.1 200 OK"
    mark = served.api.mark()
    for number, user in enumerate((111, 222, 333), start=9002):
        update = json.dumps(
            {"update_id": number, **fake.message("/aide", chat_id=user, user_id=user)}
        )
        headers = {SECRET_HEADER: SECRET, "Content-Length": len(update.encode())}
        assert first_line(served.port, headers, update.encode()) == "HTTP/1.1 200 OK"
    for user in (111, 222, 333):
        served.api.wait_for(
            "sendMessage",
            after=mark,
            where=lambda call, u=user: str(call.params["chat_id"]) == str(u),
        )
    assert served.bot.terminate() == 0
    output = served.bot.output()
    assert output.count("cannot be parsed") == 1
    assert "update 9001, TypeError in from_timestamp" in output
    assert not [word for word in PERSONAL if word in output]
    assert fake.TOKEN not in output and SECRET not in output and "Traceback" not in output
