"""The command line as staff use it: ask, chat, eval, and clear exit codes."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import GOLDEN_DIR, KNOWLEDGE_DIR, ROOT

from bot.cli import chat, main
from bot.engine import Index
from bot.knowledge.markup import french_spacing as spaced


def test_ask_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--knowledge", str(KNOWLEDGE_DIR), "ask", "quel est le salaire", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"query", "status", "id", "score", "suggestions", "related", "answer"}
    assert result["query"] == "quel est le salaire"
    assert result["status"] == "answer"
    assert result["id"] == "remuneration"
    assert result["suggestions"] == []
    assert "€" in result["answer"]
    # The "Voir aussi" entries are a field, not a dangling « Voir aussi : » line.
    assert result["related"] and all(isinstance(i, str) for i in result["related"])
    assert not result["answer"].rstrip().endswith(spaced("Voir aussi :"))


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
    chat(index, io.StringIO("salaire\nblabla xyz\n1\n/aide\nquit\n"), out)
    text = out.getvalue()
    assert spaced("4 000 €") in text
    assert "ne semble pas porter sur le programme" in text  # « blabla xyz »
    assert "choisissez une question" in text  # choice 1 after the fallback opens a topic
    assert "Écrivez simplement votre question" in text  # « /aide », as on Telegram
    assert text.rstrip().endswith("Au revoir !")


class _SavingBetweenLines(io.StringIO):
    """What a staff member types in the terminal chat, saving an edit of the knowledge folder
    before some of the lines (`edits`: line number → the edit)."""

    def __init__(self, lines: list[str], edits: dict[int, Callable[[], object]]) -> None:
        super().__init__("".join(f"{line}\n" for line in lines))
        self.edits, self.read = edits, 0

    def readline(self, size: int | None = -1) -> str:
        edit = self.edits.get(self.read)
        if edit is not None:
            edit()
        self.read += 1
        return super().readline(-1 if size is None else size)


LIEU_LINE = "    Les EIG travaillent **dans les locaux de leur administration d'accueil**"


def test_chat_loads_an_edit_saved_between_two_messages(index: Index, tmp_path: Path) -> None:
    """A staff tryout: the terminal chat kept the base it started with, so an edit looked lost."""
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    mission = folder / "mission.yaml"
    original = mission.read_text(encoding="utf-8")
    assert LIEU_LINE in original
    edited = original.replace(LIEU_LINE, f"{LIEU_LINE} (phrase ajoutée pendant le chat)")
    question = "Où se passe la mission ?"
    typed = _SavingBetweenLines(
        [question, question, question, "quit"],
        {
            1: lambda: mission.write_text(edited, encoding="utf-8"),
            2: lambda: mission.write_text(edited + "\n- id: [\n", encoding="utf-8"),
        },
    )
    out = io.StringIO()
    chat(index, typed, out, folder)
    replies = out.getvalue().split("\n> ")[1:]
    assert "phrase ajoutée" not in replies[0]
    assert "Base rechargée" in replies[1] and "Modifiées : lieu" in replies[1]
    assert "phrase ajoutée pendant le chat" in replies[1]
    assert "Rechargement refusé" in replies[2] and "mission.yaml" in replies[2]
    assert "phrase ajoutée pendant le chat" in replies[2]  # the last good base still answers


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


def test_run_without_token_says_what_to_do(tmp_path: Path) -> None:
    result = _run("run", home=tmp_path)
    assert result.returncode == 1
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def _run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """`python -m bot` with a bare environment; its home is a temporary folder (libraries such
    as onnxruntime write their own files under it)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"},
        timeout=60,
        check=False,
    )


ENGLISH = (
    "usage:",
    "error:",
    "show this help",
    "positional arguments",
    "are required",
    "invalid choice",
    "invalid int",
    "unrecognized",
    "expected one",
)


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--help"], 0, "afficher cette aide et quitter"),
        (["check", "--help"], 0, "ne montrer que les problèmes de cette entrée"),
        ([], 2, "python -m bot : erreur : argument obligatoire manquant : COMMANDE"),
        (["--bogus", "check"], 2, "python -m bot : erreur : argument inconnu : --bogus"),
        (["chek"], 2, "argument COMMANDE : choix invalide : 'chek' (choisissez parmi 'ask'"),
        (["check", "--entry"], 2, "argument --entry : une valeur est attendue après cette option"),
        (["bench", "--queries", "x"], 2, "valeur invalide (entier attendu) : 'x'"),
    ],
)
def test_the_command_line_speaks_french(
    args: list[str], code: int, says: str, tmp_path: Path
) -> None:
    result = _run(*args, home=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == code
    assert says in output
    assert output.startswith("usage : python -m bot")
    assert not [word for word in ENGLISH if word in output.lower()], output


def test_every_argparse_message_a_user_can_see_is_translated() -> None:
    """A new Python may add messages: this lists those the table does not know yet."""
    import argparse
    import ast
    import inspect

    from bot.french_argparse import DEVELOPER_MESSAGES, FRENCH, FRENCH_PLURALS

    calls = [
        node
        for node in ast.walk(ast.parse(inspect.getsource(argparse)))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    ]

    def texts(node: ast.Call, count: int) -> tuple[str, ...] | None:
        args = node.args[:count]
        if len(args) == count and all(isinstance(a, ast.Constant) for a in args):
            return tuple(str(a.value) for a in args)  # type: ignore[attr-defined]
        return None

    messages = {t[0] for n in calls if n.func.id == "_" and (t := texts(n, 1))}
    plurals = {t for n in calls if n.func.id == "ngettext" and (t := texts(n, 2))}
    assert messages, "argparse's messages were not found"
    assert messages - set(FRENCH) - DEVELOPER_MESSAGES == set()
    assert {
        p for p in plurals if p not in FRENCH_PLURALS and p[0] not in DEVELOPER_MESSAGES
    } == set()


@pytest.mark.parametrize("before", [True, False])
def test_knowledge_is_accepted_before_or_after_the_command(
    before: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    small = str(ROOT / "tests" / "broken" / "valide")
    args = ["--knowledge", small, "check"] if before else ["check", "--knowledge", small]
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("Base valide (2 entrées")


def test_ask_explain_names_the_question_to_decline_it_looks_like(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--knowledge", str(KNOWLEDGE_DIR), "ask", "date limite impots", "--explain"]) == 0
    out = capsys.readouterr().out
    assert (
        "question à décliner la plus proche (hors-sujet.yaml) : « Quelle est la date limite pour "
        "déclarer ses revenus aux impôts" in out
    )
