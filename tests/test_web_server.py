"""`python -m bot web`: the web chat with no token, on a port it prints, stopped by SIGTERM."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bot_process import ROOT
from web_process import web_process

from bot.knowledge import KnowledgeBase
from bot.staff.questionlog import DB_NAME


def post(url: str, body: dict, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status), json.loads(response.read())
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, json.loads(refused.read())


def test_the_web_chat_runs_without_a_token_and_stops_on_sigterm(tmp_path: Path) -> None:
    with web_process(tmp_path) as web:
        assert web.output().startswith("EIG Bot (chat web) : http://127.0.0.1:")
        with urllib.request.urlopen(web.url + "healthz", timeout=5) as health:
            assert json.loads(health.read())["status"] == "ok"
        status, found = post(web.url + "api/ask", {"question": "la météo demain"})
        assert status == 200 and found["status"] == "fallback"
        started = time.monotonic()
        assert web.terminate() == 0
        assert time.monotonic() - started < 10
        output = web.output()
    assert "Stopped cleanly" in output and "Traceback" not in output
    with sqlite3.connect(tmp_path / "data" / DB_NAME) as db:
        assert db.execute("SELECT text, status FROM questions").fetchall() == [
            ("la météo demain", "fallback")
        ]


def test_behind_a_proxy_each_client_has_its_own_rate_limit(tmp_path: Path) -> None:
    """The proxy on 127.0.0.1 is trusted by default: X-Forwarded-For names the client."""
    with web_process(tmp_path) as web:
        for _ in range(30):
            status, _ = post(
                web.url + "api/ask", {"question": "salaire"}, {"X-Forwarded-For": "192.0.2.1"}
            )
            assert status == 200
        status, found = post(
            web.url + "api/ask", {"question": "salaire"}, {"X-Forwarded-For": "192.0.2.1"}
        )
        assert status == 429 and "réessayez dans" in found["error"]
        status, _ = post(
            web.url + "api/ask", {"question": "salaire"}, {"X-Forwarded-For": "192.0.2.2"}
        )
        assert status == 200
        assert web.terminate() == 0
    assert "192.0.2" not in web.output()  # addresses never reach the log


def test_behind_a_platform_router_a_client_cannot_name_itself(tmp_path: Path) -> None:
    """An operator tryout: with FORWARDED_ALLOW_IPS=* (the README's advice behind a platform's
    router), a client that wrote its own first X-Forwarded-For address each time was never
    limited. The router appends the address it saw; that one counts."""
    with web_process(tmp_path, FORWARDED_ALLOW_IPS="*") as web:
        statuses = [
            post(
                web.url + "api/ask",
                {"question": "salaire"},
                {"X-Forwarded-For": f"203.0.113.{number}, 198.51.100.7"},
            )[0]
            for number in range(31)
        ]
        assert statuses == [200] * 30 + [429]
        assert web.terminate() == 0


def test_a_port_already_taken_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "bot", "web", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "DATA_DIR": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert f"Erreur : impossible d'écouter sur 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_webhook_path_that_would_hide_the_web_chat_is_refused(tmp_path: Path) -> None:
    """An operator tryout: WEBHOOK_URL=…/api/ask started, and every question of the web chat
    then got 403 (the webhook's secret check)."""
    from bot.config import ConfigError, Settings
    from bot.web import server

    settings = Settings(
        token="123456:ABCdefGhIJKlmnOPQrstUVwxyz0123456789",
        webhook_url="https://eig-bot.example.org/api/ask",
        data_dir=tmp_path,
    )
    with pytest.raises(ConfigError, match="le chemin /api/ask est celui du chat web"):
        server.run(settings, ROOT / "knowledge")


def test_a_restart_on_a_broken_folder_serves_the_last_valid_base(
    tmp_path: Path, knowledge: KnowledgeBase
) -> None:
    """An operator tryout: a broken edit was refused while the bot ran, but the next restart
    (every deploy on a platform) stopped on it, and nothing was served until it was fixed."""
    import shutil

    shipped = len(knowledge.entries)
    knowledge_dir = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge_dir)
    data = str(tmp_path / "data")
    with web_process(tmp_path / "first", KNOWLEDGE_DIR=str(knowledge_dir), DATA_DIR=data) as web:
        assert web.terminate() == 0
    mission = knowledge_dir / "mission.yaml"
    mission.write_text("\t" + mission.read_text(encoding="utf-8"), encoding="utf-8")
    with web_process(tmp_path / "second", KNOWLEDGE_DIR=str(knowledge_dir), DATA_DIR=data) as web:
        status, found = post(web.url + "api/ask", {"question": "quel est le salaire ?"})
        assert status == 200 and found["entry"] == "remuneration"  # mission.yaml's entry
        assert web.terminate() == 0
        assert f"serving the last valid base instead ({shipped} entries)" in web.output()
    fresh = tmp_path / "fresh-data"
    command = [sys.executable, "-m", "bot", "web", "--host", "127.0.0.1", "--port", "0"]
    environment = {"PATH": "", "LANG": "C.UTF-8", "KNOWLEDGE_DIR": str(knowledge_dir)}
    stopped = subprocess.run(
        command,
        cwd=ROOT,
        env={**environment, "DATA_DIR": str(fresh)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert stopped.returncode != 0  # no valid base kept: the folder's errors, and no serving
    assert "caractère tabulation" in stopped.stderr + stopped.stdout
