"""tests.yaml: the staff's own tests, validated like the entries and run by `check`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from knowledge_samples import SMALL_BASE

from bot import cli
from bot.knowledge import load

SALAIRE_TESTS = """\
# Des tests.
- question: quel est le salaire
  expect: salaire
- question: combien je serai payé
  expect: teletravail
- question: salaire
  expect: decline
- question: recette de la tarte aux pommes
  expect: decline
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The small valid base (salaire, teletravail), copied."""
    copy = tmp_path / "knowledge"
    shutil.copytree(SMALL_BASE, copy)
    return copy


def check(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = cli.main(["check", "--knowledge", str(folder)])
    return code, capsys.readouterr().out.splitlines()


def test_tests_are_read_but_never_become_entries(folder: Path) -> None:
    (folder / "tests.yaml").write_text(SALAIRE_TESTS, encoding="utf-8")
    knowledge = load(folder)
    assert [e.id for e in knowledge.entries] == ["salaire", "teletravail"]
    assert [(t.question, t.expect, t.line) for t in knowledge.tests] == [
        ("quel est le salaire", "salaire", 2),
        ("combien je serai payé", "teletravail", 4),
        ("salaire", "decline", 6),
        ("recette de la tarte aux pommes", "decline", 8),
    ]
    assert all(
        q != "recette de la tarte aux pommes" for e in knowledge.entries for q in e.questions
    )


def test_each_miss_is_a_warning_at_the_test_line_with_what_the_bot_did(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tests = folder / "tests.yaml"
    tests.write_text(SALAIRE_TESTS, encoding="utf-8")
    code, lines = check(folder, capsys)
    assert code == 0
    assert lines == [
        f"{tests}:4: teletravail: « combien je serai payé » : le bot répond avec l'entrée "
        "« salaire » au lieu de répondre avec « teletravail » ; ajoutez cette formulation (ou une "
        "formulation proche) aux questions de « teletravail » (avertissement)",
        f"{tests}:6: « salaire » : le bot répond avec l'entrée « salaire » alors qu'il devrait "
        "dire qu'il n'a pas de réponse ; rendez plus précises les formulations de « salaire » qui "
        "attirent cette question (avertissement)",
        "Base valide (2 entrées, 0 groupe de synonymes, 4 tests) avec 2 avertissements : le bot "
        "fonctionne, mais certaines questions seront mal comprises.",
    ]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        pytest.param(
            "- question: salaire\n  expected: salaire\n",
            [
                "tests.yaml:1: expect: champ obligatoire manquant ; ajoutez-le",
                "tests.yaml:2: expected: champ inconnu ; vouliez-vous dire « expect » ? (un test "
                "a deux champs : question et expect)",
            ],
            id="misspelt-field",
        ),
        pytest.param(
            "- question: salaire\n  expect: salair\n",
            [
                "tests.yaml:1: expect: « salair » n'est l'identifiant d'aucune entrée : "
                "vouliez-vous dire « salaire » ? (ou « decline » si le bot doit dire qu'il n'a pas "
                "de réponse)"
            ],
            id="unknown-entry",
        ),
        pytest.param(
            "question: salaire\nexpect: salaire\n",
            [
                "tests.yaml:1: le fichier des tests doit être une liste ; chaque test s'écrit "
                "« - question: … » puis, en dessous, « expect: identifiant » (ou « expect: "
                "decline »)"
            ],
            id="not-a-list",
        ),
        pytest.param(
            "- question: horaires: 9h-18h ?\n  expect: salaire\n",
            ["tests.yaml:1:21: « : » suivi d'une espace au milieu d'un texte sans guillemets"],
            id="colon-in-an-unquoted-question",
        ),
    ],
)
def test_a_broken_tests_file_gets_french_errors_at_its_lines(
    folder: Path, capsys: pytest.CaptureFixture[str], text: str, says: list[str]
) -> None:
    (folder / "tests.yaml").write_text(text, encoding="utf-8")
    code, lines = check(folder, capsys)
    assert code == 1
    problems = [line.removeprefix(f"{folder}/") for line in lines[:-1]]
    assert len(problems) == len(says), lines
    for printed, said in zip(problems, says, strict=True):
        assert printed.startswith(said), printed


def test_add_test_appends_a_question_the_bot_answers_as_expected(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["unanswered", "--knowledge", str(folder)]
    code = cli.main([*args, "--add-test", "salaire: combien ?", "--expect", "salaire"])
    out = capsys.readouterr().out
    assert code == 0, out
    tests = folder / "tests.yaml"
    assert out == f"Test ajouté : {tests}:5 « salaire: combien ? » → salaire.\n"
    assert tests.read_text(encoding="utf-8").endswith(
        '\n- question: "salaire: combien ?"\n  expect: salaire\n'
    )
    assert [(t.question, t.line) for t in load(folder).tests] == [("salaire: combien ?", 5)]

    assert cli.main([*args, "--add-test", "Salaire : combien ?", "--expect", "salaire"]) == 1
    assert "cette question est déjà testée" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("question", "expect", "says"),
    [
        (
            "télétravail",
            "salaire",
            "Erreur : le bot répond avec l'entrée « teletravail ». Corrigez d'abord la base pour "
            "qu'il réponde avec « salaire » (par exemple en ajoutant cette formulation aux "
            'questions de l\'entrée), vérifiez avec python -m bot ask "télétravail", puis '
            "relancez cette commande",
        ),
        ("salaire", "salair", "aucune entrée n'a l'identifiant « salair » ; vouliez-vous dire"),
        (
            "télétravail",
            "decline",
            "Corrigez d'abord la base pour qu'il dise qu'il n'a pas de réponse (par exemple en "
            "l'ajoutant à hors-sujet.yaml)",
        ),
    ],
)
def test_add_test_refuses_a_test_the_bot_fails_or_an_unknown_entry(
    folder: Path, capsys: pytest.CaptureFixture[str], question: str, expect: str, says: str
) -> None:
    code = cli.main(
        ["unanswered", "--knowledge", str(folder), "--add-test", question, "--expect", expect]
    )
    assert code == 1
    assert says in capsys.readouterr().err
    assert not (folder / "tests.yaml").exists()
