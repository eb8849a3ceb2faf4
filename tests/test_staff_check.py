"""`check` on a copy of the real base, as staff use it: usual mistakes, narrowing, tests.yaml."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import KNOWLEDGE_DIR

from bot import cli

NEW_CONTRAT = """
- id: contrat
  category: candidature
  questions:
    - Quel contrat signent les candidats retenus ?
    - contrat signé à l'arrivée en administration
    - type de contrat à la signature
  answer: Un contrat de droit public.
"""
"""A new entry that reuses the id of mission.yaml's first entry."""

NOT_YET_CHECKED = (
    " Les formulations et les tests de tests.yaml seront essayés une fois les erreurs corrigées."
)


def invalid(count: int) -> str:
    errors = f"{count} erreur{'s' if count > 1 else ''}"
    return (
        f"Base non valide : {errors}, 0 avertissement. Corrigez les erreurs : tant qu'il y en a, "
        f"le bot garde la dernière base valide.{NOT_YET_CHECKED}"
    )


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A copy of the real knowledge folder."""
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    return folder


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` of a file; the line where it was."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def check(folder: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = cli.main(["check", "--knowledge", str(folder), *args])
    return code, capsys.readouterr().out.splitlines()


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        timeout=30,
    )


def test_the_shipped_base_has_no_error_and_runs_its_tests(capsys: pytest.CaptureFixture[str]):
    code, lines = check(KNOWLEDGE_DIR, capsys)
    assert code == 0
    assert not [line for line in lines if "tests.yaml" in line]
    text = (KNOWLEDGE_DIR / "tests.yaml").read_text(encoding="utf-8")
    shipped = len(re.findall(r"^- question:", text, flags=re.MULTILINE))
    assert shipped >= 100 and f"{shipped} tests)" in lines[-1]


def test_a_tab_is_one_message_and_links_into_that_file_are_not_errors(
    base: Path, capsys: pytest.CaptureFixture[str]
):
    line = edit(base / "defis.yaml", "    - acoss\n", "\t- acoss\n")
    code, lines = check(base, capsys)
    assert code == 1
    assert lines == [
        f"{base}/defis.yaml:{line}:1: caractère tabulation dans le décalage de la ligne : YAML "
        "n'accepte que des espaces ; remplacez la tabulation par des espaces, alignés sur les "
        "lignes voisines (réglez votre éditeur pour qu'il insère des espaces)",
        invalid(1),
    ]


def test_a_shifted_field_is_one_message(base: Path, capsys: pytest.CaptureFixture[str]):
    line = edit(base / "mission.yaml", "\n  answer: |", "\n   answer: |") + 1
    code, lines = check(base, capsys)
    assert code == 1
    assert lines == [
        f"{base}/mission.yaml:{line}:4: champ « answer » décalé de 3 espaces : les champs d'une "
        "entrée se décalent de 2 espaces, comme « questions: » ; mettez 2 espaces avant "
        "« answer: »",
        invalid(1),
    ]


def test_a_colon_in_an_unquoted_question_is_one_message(
    base: Path, capsys: pytest.CaptureFixture[str]
):
    line = edit(base / "mission.yaml", "    - type de contrat\n", "    - Contrat: CDD ou CDI ?\n")
    code, lines = check(base, capsys)
    assert code == 1
    assert lines == [
        f"{base}/mission.yaml:{line}: contrat: questions: « : » suivi d'une espace dans un texte "
        "sans guillemets : YAML coupe le texte en deux (« Contrat » et « CDD ou CDI ? »). Mettez "
        'tout le texte entre guillemets : - "Contrat: CDD ou CDI ?"',
        invalid(1),
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="git n'est pas installé")
def test_a_duplicate_id_is_reported_at_the_new_entry_of_a_git_checkout(
    base: Path, capsys: pytest.CaptureFixture[str]
):
    git(base, "init", "-q")
    git(base, "add", ".")
    git(base, "commit", "-q", "-m", "base")
    path = base / "candidature.yaml"
    line = path.read_text(encoding="utf-8").count("\n") + 2
    path.write_text(path.read_text(encoding="utf-8") + NEW_CONTRAT, encoding="utf-8")
    code, lines = check(base, capsys)
    assert code == 1
    assert lines == [
        f"{path}:{line}: contrat: id: identifiant « contrat » déjà utilisé par l'entrée de "
        f"{base}/mission.yaml:1 ; donnez un autre identifiant à cette entrée-ci, qui est "
        "nouvelle (l'autre existe dans la dernière version enregistrée dans git), pour ne pas "
        "casser les liens (related, liens directs) vers l'autre",
        invalid(1),
    ]


def test_without_git_the_later_duplicate_in_file_order_is_reported(
    base: Path, capsys: pytest.CaptureFixture[str]
):
    path = base / "programme.yaml"  # after mission.yaml in file order
    line = path.read_text(encoding="utf-8").count("\n") + 2
    path.write_text(path.read_text(encoding="utf-8") + NEW_CONTRAT, encoding="utf-8")
    code, lines = check(base, capsys)
    assert code == 1
    assert lines[0].startswith(
        f"{path}:{line}: contrat: id: identifiant « contrat » déjà utilisé par l'entrée de "
        f"{base}/mission.yaml:1 ; donnez un autre identifiant à celle que vous venez d'ajouter"
    )
    assert lines[1:] == [invalid(1)]


def test_without_git_the_duplicate_in_the_file_saved_last_is_reported(
    base: Path, capsys: pytest.CaptureFixture[str]
):
    """A helper playing a staff member pasted an entry « remuneration » at the end of
    administrations.yaml: the error told them to rename the entry already in service."""
    path = base / "administrations.yaml"  # before mission.yaml in file order
    line = path.read_text(encoding="utf-8").count("\n") + 2
    path.write_text(path.read_text(encoding="utf-8") + NEW_CONTRAT, encoding="utf-8")
    saved = path.stat().st_mtime
    os.utime(base / "mission.yaml", (saved - 3600, saved - 3600))  # edited an hour before
    code, lines = check(base, capsys)
    assert code == 1
    assert lines[0].startswith(
        f"{path}:{line}: contrat: id: identifiant « contrat » déjà utilisé par l'entrée de "
        f"{base}/mission.yaml:1 ; donnez un autre identifiant à celle que vous venez d'ajouter"
    )


def test_a_field_error_and_a_duplicate_id_in_one_entry_are_both_reported(
    base: Path, capsys: pytest.CaptureFixture[str]
):
    path = base / "programme.yaml"
    start = path.read_text(encoding="utf-8").count("\n") + 2
    path.write_text(
        path.read_text(encoding="utf-8") + NEW_CONTRAT.replace("  answer:", "  answr:"),
        encoding="utf-8",
    )
    code, lines = check(base, capsys)
    assert code == 1
    assert [line.split(": ")[:3] for line in lines[:-1]] == [
        [f"{path}:{start}", "contrat", "answer"],
        [f"{path}:{start}", "contrat", "id"],
        [f"{path}:{start + 6}", "contrat", "answr"],
    ]
    assert "champ obligatoire manquant" in lines[0]
    assert "« contrat » déjà utilisé par l'entrée de" in lines[1]
    assert "vouliez-vous dire « answer » ?" in lines[2]
    assert lines[-1] == invalid(3)


def test_a_last_answer_line_shifted_left_with_a_colon_is_said_to_be_text(
    base: Path, capsys: pytest.CaptureFixture[str]
):
    # A staff tryout: « Horaires : … » added under an answer with 2 spaces was called an
    # unknown field, and the list of fields did not say how to fix it.
    path = base / "mission.yaml"
    end = "faq-eig.html\n  related: [accompagnement, contrat]"
    line = edit(path, end, end.replace("\n", "\n  Horaires : du lundi au vendredi\n")) + 1
    code, lines = check(base, capsys)
    assert code == 1
    assert lines[0].startswith(f"{path}:{line}: lieu: Horaires: « Horaires » n'est pas un champ")
    assert "décalez-la de 4 espaces, comme les lignes du texte au-dessus" in lines[0]
    assert "champs possibles" not in lines[0]


def test_a_misspelt_category_names_the_closest_topic(
    base: Path, capsys: pytest.CaptureFixture[str]
):
    line = edit(base / "mission.yaml", "  category: mission\n", "  category: missions\n")
    code, lines = check(base, capsys)
    assert code == 1
    assert lines[0] == (
        f"{base}/mission.yaml:{line}: contrat: category: thème « missions » inconnu : "
        "vouliez-vous dire « mission » ? (thèmes possibles : programme, candidature, mission, "
        "defis, administrations, contact) ; sans thème valide, l'entrée n'apparaît dans aucun menu"
    )


def test_an_unknown_promotion_lists_the_promotions(base: Path, capsys: pytest.CaptureFixture[str]):
    line = edit(
        base / "defis.yaml", "  promotion: 3\n  theme: démarches", "  promotion: 33\n  theme: d"
    )
    code, lines = check(base, capsys)
    assert code == 1
    assert lines[0].startswith(
        f"{base}/defis.yaml:{line}: defi-acoss: promotion: promotion 33 inconnue : le programme "
        "compte ces promotions : 1 (2017), 2 (2018), 3 (2019), 4 (2020), 5 (2021), 6 (2022)"
    )
    assert lines[1:] == [invalid(1)]


def test_check_narrows_to_files_and_to_an_entry(base: Path, capsys: pytest.CaptureFixture[str]):
    edit(base / "mission.yaml", "  category: mission\n", "  category: missions\n")
    code, lines = check(base, capsys, "defis.yaml")
    assert code == 1  # the base is invalid, whatever is shown
    assert lines == [
        f"Dans {base}/defis.yaml : 0 erreur, 0 avertissement.",
        "Ailleurs dans la base : 1 erreur, 0 avertissement (python -m bot check sans fichier ni "
        "--entry pour tout voir).",
        invalid(1),
    ]
    code, lines = check(base, capsys, "--entry", "contrat")
    assert lines[0].startswith(f"{base}/mission.yaml:2: contrat: category: thème « missions »")
    assert lines[1] == "Pour l'entrée « contrat » : 1 erreur, 0 avertissement."
    code, lines = check(base, capsys, str(base / "mission.yaml"))
    assert lines[0].startswith(f"{base}/mission.yaml:2: contrat: category:")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--entry", "contra"], "aucune entrée n'a l'identifiant « contra » ; vouliez-vous dire "),
        (["absent.yaml"], "« absent.yaml » n'est pas un fichier .yaml du dossier"),
    ],
)
def test_narrowing_to_something_the_base_does_not_have_is_a_usage_error(
    base: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
):
    assert cli.main(["check", "--knowledge", str(base), *args]) == cli.EXIT_USAGE
    assert says in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("git") is None, reason="git n'est pas installé")
def test_an_id_renamed_since_the_last_commit_is_a_warning(
    base: Path, capsys: pytest.CaptureFixture[str]
):
    """A helper playing a staff member renamed « conges » and its links: nothing said that the
    links already shared (?start=conges) would break, as the README warns."""
    git(base, "init", "-q")
    git(base, "add", ".")
    git(base, "commit", "-q", "-m", "base")
    mission = base / "mission.yaml"
    for path in (mission, base / "tests.yaml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\bconges\b(?!-)", "conges-payes", text)
        path.write_text(text, encoding="utf-8")
    code, lines = check(base, capsys)
    assert code == 0
    assert lines[0] == (
        f"{mission}: conges: id: l'identifiant « conges », présent dans la dernière version "
        "enregistrée dans git, n'existe plus : les liens directs (?start=conges) et les boutons "
        "déjà envoyés vers cette entrée ne marchent plus. Si vous l'avez renommée, remettez cet "
        "identifiant ; si vous l'avez supprimée exprès, ignorez cet avertissement (avertissement)"
    )


@pytest.mark.parametrize(
    ("related", "says"),
    [
        ("[contact, pilotage]", "« contact » est l'identifiant de cette entrée même"),
        ("[pilotage, pilotage]", "« pilotage » figure plusieurs fois dans « related »"),
        (
            "[pilotage, donnees-personnelles]",
            "« donnees-personnelles » n'est l'identifiant d'aucune entrée ; retirez-le de "
            "« related », ou écrivez l'identifiant d'une autre entrée",
        ),
        (  # a staff tryout was offered the entry's own id
            "[pilotage, contacts]",
            "« contacts » n'est l'identifiant d'aucune entrée ; vouliez-vous dire « contrat » ?",
        ),
        (  # a staff tryout read « un par ligne » and did not see the brackets
            "pilotage, candidater",
            "doit être une liste : mettez les éléments entre crochets, séparés par des virgules "
            "(related: [pilotage, candidater]), ou un par ligne commençant par « - »",
        ),
    ],
)
def test_a_related_list_that_would_show_wrong_buttons_is_an_error(
    base: Path, capsys: pytest.CaptureFixture[str], related: str, says: str
):
    line = edit(base / "contact.yaml", "related: [pilotage, candidater]", f"related: {related}")
    code, lines = check(base, capsys)
    assert code == 1
    assert lines[0].startswith(f"{base / 'contact.yaml'}:{line}: contact: related: {says}")


def test_a_synonym_that_is_already_a_word_on_the_left_is_an_error(
    base: Path, capsys: pytest.CaptureFixture[str]
):
    """« mutuelle: [complémentaire santé, salaire] » passed, and the bot read « salaire » as
    « mutuelle » (a staff tryout)."""
    path = base / "synonymes.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "mutuelle: [complémentaire santé, salaire]\n", encoding="utf-8")
    code, lines = check(base, capsys)
    assert code == 1
    assert lines[0] == (
        f"{path}:{text.count(chr(10)) + 1}: mutuelle: « salaire » est déjà un mot de gauche "
        "(« salaire: ») : ici, il ferait lire chaque « salaire » comme « mutuelle » ; retirez-le "
        "de cette liste"
    )


def test_a_title_longer_than_a_button_is_a_warning(base: Path, capsys: pytest.CaptureFixture[str]):
    """A staff tryout: a first question of 100 characters passed, and every button cut it."""
    long = "Comment contacter l'équipe du programme EIG quand on a une question qui n'est pas ici ?"
    line = edit(
        base / "contact.yaml", "    - Comment contacter le programme EIG ?", f"    - {long}"
    )
    code, lines = check(base, capsys)
    assert code == 0
    assert lines[0].startswith(
        f"{base / 'contact.yaml'}:{line}: contact: questions: la première question fait "
        f"{len(long)} caractères : c'est le titre de l'entrée, et ses boutons n'en montrent que 60"
    )
