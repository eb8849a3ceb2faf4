"""The command line as staff use it: ask, chat, eval, and clear exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GOLDEN_DIR, KNOWLEDGE_DIR, ROOT

from bot.cli import chat, main
from bot.engine import Index


def test_ask_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--knowledge", str(KNOWLEDGE_DIR), "ask", "quel est le salaire", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"query", "status", "id", "score", "suggestions", "answer"}
    assert result["query"] == "quel est le salaire"
    assert result["status"] == "answer"
    assert result["id"] == "remuneration"
    assert result["suggestions"] == []
    assert "€" in result["answer"]


def test_ask_reads_one_question_per_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("salaire\n\nrecette de cuisine\n"))
    assert main(["--knowledge", str(KNOWLEDGE_DIR), "ask", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["query"] for line in lines] == ["salaire", "recette de cuisine"]
    assert lines[1]["status"] == "fallback"
    assert lines[1]["id"] is None


def test_ask_explain_shows_scores_and_thresholds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--knowledge", str(KNOWLEDGE_DIR), "ask", "teletravail", "--explain"]) == 0
    out = capsys.readouterr().out
    assert "requête normalisée" in out
    assert "lieu" in out
    assert "réponse directe si ≥" in out


def test_missing_knowledge_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--knowledge", str(tmp_path / "absent"), "ask", "salaire"]) == 1
    err = capsys.readouterr().err
    assert "dossier introuvable" in err
    assert "Traceback" not in err


def test_chat_answers_and_follows_numbered_choices(index: Index) -> None:
    out = io.StringIO()
    chat(index, io.StringIO("salaire\nblabla xyz\n1\nquit\n"), out)
    text = out.getvalue()
    assert "4 000 €" in text
    assert "Je n'ai pas de réponse sûre" in text
    assert "choisissez une question" in text  # choice 1 after the fallback opens a topic
    assert text.rstrip().endswith("Au revoir !")


def test_eval_prints_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    golden = GOLDEN_DIR / "holdout.tsv"
    assert main(["--knowledge", str(KNOWLEDGE_DIR), "eval", str(golden)]) == 0
    out = capsys.readouterr().out
    for label in ("top-1", "résolues", "avec assurance", "hors sujet déclinées"):
        assert label in out


def test_eval_rejects_a_malformed_golden_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("remuneration salaire sans tabulation\n", encoding="utf-8")
    assert main(["--knowledge", str(KNOWLEDGE_DIR), "eval", str(bad)]) == 1
    assert "bad.tsv:1" in capsys.readouterr().err


def test_run_without_token_says_what_to_do() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr
