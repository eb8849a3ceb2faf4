"""The bot started with DATABASE_URL logs to PostgreSQL; a restart loses nothing; staff read it.

`python -m bot run` runs as on a PaaS (its DATA_DIR is thrown away), against the loopback fake
Bot API and the test PostgreSQL server; `/stats` in Telegram and `python -m bot unanswered`
read what the first run recorded, after a restart.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bot_process import bot_process

from bot.staff.storage import DB_NAME
from bot.testing import fake_bot_api as fake

STARTUP = 20.0
STEP = 10.0
OFF_TOPIC = "recette de la tarte aux pommes"


def run_bot(server: fake.FakeBotApiServer, folder: Path, database_url: str):
    return bot_process(
        folder,
        TELEGRAM_BOT_TOKEN=fake.TOKEN,
        TELEGRAM_API_URL=server.url,
        LOG_LEVEL="DEBUG",
        ADMIN_IDS=str(fake.USER_ID),
        DATABASE_URL=database_url,
    )


def say(api: fake.FakeBotApi, text: str) -> fake.Call:
    mark = api.mark()
    api.push(fake.message(text))
    return api.wait_for("sendMessage", after=mark, timeout=STEP)


@pytest.fixture
def server():
    api = fake.FakeBotApi()
    with fake.FakeBotApiServer(api) as running:
        yield running


def test_the_log_survives_a_restart_and_staff_read_it_from_postgres(
    server: fake.FakeBotApiServer, tmp_path: Path, database_url: str
):
    api = server.api
    password = urlsplit(database_url).password or ""
    with run_bot(server, tmp_path / "first", database_url) as bot:
        api.wait_for("getUpdates", timeout=STARTUP)
        say(api, OFF_TOPIC)
        say(api, "Quel est le salaire d'un EIG ?")
        assert bot.terminate() == 0, bot.output()
        first_output = bot.output()
    # The question log went to PostgreSQL, not to the disk a PaaS wipes (only a cache may be there).
    assert not list((tmp_path / "first").rglob(DB_NAME))

    restart = api.mark()
    with run_bot(server, tmp_path / "second", database_url) as bot:
        api.wait_for("getUpdates", after=restart, timeout=STARTUP)
        stats = say(api, "/stats")
        assert bot.terminate() == 0, bot.output()
        second_output = bot.output()
    assert "Depuis 30 jours : 2 questions." in stats.text
    assert "- pas de réponse sûre : 1" in stats.text

    unanswered = subprocess.run(
        [sys.executable, "-m", "bot", "unanswered"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "DATABASE_URL": database_url},
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert unanswered.returncode == 0, unanswered.stderr
    assert OFF_TOPIC in unanswered.stdout
    for output in (first_output, second_output, unanswered.stdout + unanswered.stderr):
        assert password not in output and database_url not in output
        assert "Traceback" not in output


def test_a_wrong_password_is_a_french_error_that_never_shows_it(tmp_path: Path, database_url: str):
    parts = urlsplit(database_url)
    wrong = "mot-de-passe-faux-1234"
    url = database_url.replace(f":{parts.password}@", f":{wrong}@")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "stats"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "DATABASE_URL": url},
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(
        "Erreur : impossible d'utiliser le journal des questions dans la base PostgreSQL de "
        "DATABASE_URL ("
    )
    assert wrong not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
