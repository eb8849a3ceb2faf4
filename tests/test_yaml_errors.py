"""YAML syntax errors as staff read them: French, at the line of the fix, saying what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, load

ENTRY = """\
- id: lieu
  questions:
    - Où se passe la mission ?
    - lieu de travail
  answer: À Paris.
"""

CASES = [
    pytest.param(
        ENTRY.replace("    - lieu", "\t- lieu"),
        "4:1",
        "caractère tabulation dans le décalage de la ligne : YAML n'accepte que des espaces",
        id="tab",
    ),
    pytest.param(
        ENTRY.replace("  answer:", "   answer:"),
        "5:4",
        "champ « answer » décalé de 3 espaces : les champs d'une entrée se décalent de 2 "
        "espaces, comme « questions: » ; mettez 2 espaces avant « answer: »",
        id="field-one-space-too-far",
    ),
    pytest.param(
        ENTRY.replace("  answer:", " answer:"),
        "5:2",
        "champ « answer » décalé de 1 espace",
        id="field-one-space-short",
    ),
    pytest.param(
        ENTRY.replace("    - lieu", "   - lieu"),
        "4:4",
        "élément de liste décalé de 3 espaces, alors que ceux du dessus le sont de 4 (ligne 3)",
        id="list-item-shifted",
    ),
    pytest.param(
        ENTRY + "  - id: autre\n",
        "6:3",
        "cette entrée est décalée de 2 espaces : « - id: » s'écrit tout au début de la ligne",
        id="entry-shifted",
    ),
    pytest.param(
        ENTRY.replace("À Paris.", "Important : voici: la réponse"),
        "5:21",
        "« : » suivi d'une espace au milieu d'un texte sans guillemets : YAML y voit un nouveau "
        'champ. Mettez tout le texte entre guillemets : answer: "Important : voici: la réponse"',
        id="colon-in-an-answer",
    ),
    pytest.param(
        ENTRY.replace("- lieu de travail", '- "lieu de travail') + "- id: autre\n",
        "4:7",
        'le guillemet « " » ouvert ici n\'est jamais refermé : ajoutez « " » à la fin du texte',
        id="unclosed-double-quote",
    ),
    pytest.param(
        ENTRY.replace("- lieu de travail", "- 'lieu de travail"),
        "4:7",
        "le guillemet « ' » ouvert ici n'est jamais refermé",
        id="unclosed-single-quote",
    ),
    pytest.param(
        ENTRY.replace("- lieu de travail", '- "lieu" de travail'),
        "4:14",
        "du texte suit le guillemet fermant : mettez tout le texte entre guillemets, avec des "
        "guillemets d'une autre sorte à l'intérieur : - '\"lieu\" de travail'",
        id="text-after-a-closing-quote",
    ),
    pytest.param(
        ENTRY.replace("- lieu de travail", "- 'c'est où, le travail ?'"),
        "4:10",
        "du texte suit le guillemet fermant : mettez tout le texte entre guillemets, avec des "
        "guillemets d'une autre sorte à l'intérieur : - \"c'est où, le travail ?\"",
        id="apostrophe-inside-single-quotes",
    ),
    pytest.param(
        ENTRY.replace("À Paris.", "*Paris* bien sûr"),
        "5:11",
        "un texte qui commence par « * » a un autre sens en YAML : mettez tout le texte entre "
        'guillemets : answer: "*Paris* bien sûr"',
        id="text-starting-with-a-star",
    ),
    pytest.param(
        ENTRY.replace("À Paris.", "[le site](https://example.org) dit tout"),
        "5:11",
        "un texte qui commence par « [ » a un autre sens en YAML",
        id="text-starting-with-a-bracket",
    ),
    pytest.param(
        ENTRY.replace("- lieu de travail", "- @eig lieu"),
        "4:7",
        "un texte qui commence par « @ » a un autre sens en YAML",
        id="text-starting-with-an-at-sign",
    ),
    pytest.param(
        ENTRY.replace("  questions:", "  questions"),
        "2",
        "« questions » n'est pas suivi de « : » : un champ s'écrit « nom: valeur »",
        id="missing-colon-after-a-field",
    ),
    pytest.param(
        ENTRY.replace("- lieu de travail", '- "C:\\dossier"'),
        "4:10",
        "barre oblique inverse « \\ » dans un texte entre guillemets doubles : doublez-la",
        id="backslash-in-double-quotes",
    ),
    pytest.param(
        ENTRY.replace("    - lieu", "     - lieu"),
        "4:6",
        "ce « - » est décalé de 5 espaces : YAML lit la ligne comme la suite du texte de la "
        "ligne 3 (« Où se passe la mission ? - lieu de travail ») et non comme un nouvel élément",
        id="list-item-glued-to-the-one-above",
    ),
    pytest.param(
        ENTRY.replace("- lieu de travail", "- le lieu #eig de travail"),
        "4:15",
        "« # » après une espace commence un commentaire : « #eig de travail » est ignoré et le "
        "texte s'arrête à « le lieu ». Si le # fait partie du texte, mettez tout le texte entre "
        'guillemets : "le lieu #eig de travail"',
        id="hash-cuts-a-question",
    ),
    pytest.param(
        ENTRY.replace("  answer: À Paris.", "  answer:\n    À Paris,\n    - en équipe\n"),
        "5",
        "la réponse s'étend sur plusieurs lignes sans « | » : YAML la lit comme une seule ligne",
        id="answer-without-bar-flattened",
    ),
    pytest.param(
        ENTRY.replace("  answer: À Paris.", "  answer:\n    À Paris.\n    Contact : nous.\n"),
        "5",
        "la réponse s'étend sur plusieurs lignes : écrivez « answer: | » sur cette ligne",
        id="answer-without-bar-with-a-colon",
    ),
    pytest.param(
        ENTRY.replace(
            "  answer: À Paris.", "  answer: |\n    À Paris.\n  Le reste.\n    Lien : ici\n"
        ),
        "7:3",
        "cette ligne de la réponse n'est décalée que de 2 espaces : toutes les lignes du texte "
        "après « answer: | » (ligne 5) se décalent de 4 espaces",
        id="answer-line-shifted-left",
    ),
    pytest.param(
        ENTRY.replace("  answer: À Paris.", "  answer: |\n    À Paris.\n  Le lundi à Lyon.\n"),
        "7:3",
        "cette ligne de la réponse n'est décalée que de 2 espaces : toutes les lignes du texte "
        "après « answer: | » (ligne 5) se décalent de 4 espaces",
        id="last-answer-line-shifted-left",
    ),
    pytest.param(
        ENTRY.replace("- lieu de travail", "- “lieu de travail”"),
        "4:7",
        "« “lieu de travail” » est entouré de guillemets typographiques : YAML ne les compte pas "
        "comme des guillemets, ils feraient partie du texte. Retirez-les, ou mettez des "
        'guillemets droits : "lieu de travail"',
        id="typographic-quotes",
    ),
    pytest.param(
        ENTRY.replace("À Paris.", "« À Paris : au ministère »"),
        "5:21",
        "« : » suivi d'une espace au milieu d'un texte sans guillemets : YAML y voit un nouveau "
        "champ (les guillemets “ ” et « » d'un traitement de texte ne comptent pas pour YAML",
        id="typographic-quotes-around-a-colon",
    ),
    pytest.param(
        ENTRY.replace("- id: lieu", "  - id: lieu").replace(
            "  questions:", "  category: contact\n  questions:"
        )
        + "- id: autre\n",
        "1:3",
        "cette entrée est décalée de 2 espaces : « - id: » s'écrit tout au début de la ligne",
        id="first-entry-shifted",
    ),
    pytest.param(
        ENTRY.replace("  questions:", "    category: contact\n  questions:"),
        "2:5",
        "champ « category » décalé de 4 espaces : les champs d'une entrée se décalent de 2 espaces",
        id="field-shifted-as-a-text",
    ),
    pytest.param(
        ENTRY.replace("    - lieu de travail", "    lieu de travail"),
        "4",
        "il manque « - » au début de cette ligne : chaque élément d'une liste",
        id="item-without-its-dash",
    ),
    pytest.param(
        ENTRY + "  related: [contact, mentors\n",
        "6:12",
        "la liste ouverte par « [ » n'est jamais fermée : ajoutez « ] » à la fin : related: "
        "[contact, mentors]",
        id="list-never-closed",
    ),
    pytest.param(
        ENTRY.replace("    - lieu de travail", "    -\tlieu de travail"),
        "4:6",
        "tabulation après « - » : YAML n'accepte que des espaces",
        id="tab-after-a-dash",
    ),
    pytest.param(
        ENTRY.replace("  answer: À Paris.", "  answer:"),
        "5",
        "lieu: answer: vide : écrivez le texte après les deux-points",
        id="answer-left-empty",
    ),
    pytest.param(
        ENTRY + "  questions:\n    - travail à Lyon ?\n",
        "6:3",
        "« questions: » est écrit deux fois au même niveau (lignes 2 et 6) : YAML ne garde que "
        "le second, et ce qui suit le premier serait perdu. Réunissez les deux sous un seul "
        "« questions: »",
        id="field-written-twice",
    ),
    pytest.param(
        ENTRY + "\nid: materiel\n  questions:\n    - un ordinateur ?\n  answer: Oui.\n",
        "7:1",
        "« id: » sans « - » devant : une nouvelle entrée commence par « - id: »",
        id="entry-without-its-dash",
    ),
    pytest.param(
        ENTRY.replace("    - lieu", "    -lieu"),
        "4:5",
        "il manque une espace après le tiret : écrivez « - lieu de travail »",
        id="dash-without-its-space",
    ),
    pytest.param(
        ENTRY.replace("À Paris.", "À Paris.\x07"),
        "5",
        "caractère invisible interdit (code U+0007) sur cette ligne : supprimez-le",
        id="control-character",
    ),
]


@pytest.mark.parametrize(("text", "where", "says"), CASES)
def test_a_syntax_error_is_one_french_message_at_the_right_place(
    tmp_path: Path, text: str, where: str, says: str
) -> None:
    (tmp_path / "base.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load(tmp_path)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{tmp_path / 'base.yaml'}:{where}: {says}"), str(problem)
    for english in ("expected", "found", "while", "mapping", "scalar", "token"):
        assert english not in problem.message


def test_a_tab_inside_an_answer_block_is_text_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(
        ENTRY.replace(
            "  answer: À Paris.", "  answer: |\n    Ligne\n    \tdécalée par une tabulation"
        ),
        encoding="utf-8",
    )
    assert "\tdécalée" in load(tmp_path).by_id["lieu"].answer


def test_a_colon_in_an_unquoted_question_says_to_quote_it(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(
        ENTRY.replace("- lieu de travail", "- Horaires: 9h-18h ?"), encoding="utf-8"
    )
    with pytest.raises(KnowledgeError) as caught:
        load(tmp_path)
    (problem,) = caught.value.problems
    assert str(problem) == (
        f"{tmp_path / 'base.yaml'}:4: lieu: questions: « : » suivi d'une espace dans un texte "
        "sans guillemets : YAML coupe le texte en deux (« Horaires » et « 9h-18h ? »). Mettez "
        'tout le texte entre guillemets : - "Horaires: 9h-18h ?"'
    )


@pytest.mark.parametrize(
    ("content", "says"),
    [
        pytest.param(
            ENTRY.encode("latin-1"),
            "lieu.yaml:3: le fichier n'est pas enregistré en UTF-8 : le premier caractère "
            "illisible est sur cette ligne",
            id="saved-in-latin-1",
        ),
        pytest.param(
            ENTRY.replace("- id: lieu", "- id lieu").encode(),
            "lieu.yaml:",
            id="id-without-its-colon",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_one_error_not_a_cascade(
    tmp_path: Path, content: bytes, says: str
) -> None:
    """A helper playing a staff member saved a file in Latin-1: the other files' links to its
    entries were reported too, each with « vouliez-vous dire … ? » pointing to another entry."""
    (tmp_path / "lieu.yaml").write_bytes(content)
    (tmp_path / "autre.yaml").write_text(
        "- id: autre\n  questions:\n    - Et ailleurs ?\n  answer: Non.\n  related: [lieu]\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as caught:
        load(tmp_path)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{tmp_path}/{says}"), str(problem)


@pytest.mark.parametrize("content", ["", "\n\n", "# les entrées du contrat\n"])
def test_an_emptied_file_is_an_error_not_a_base_without_its_entries(
    tmp_path: Path, content: str
) -> None:
    """A staff tryout: emptying a file whose entries nobody links to gave « Base valide »."""
    (tmp_path / "lieu.yaml").write_text(ENTRY, encoding="utf-8")
    (tmp_path / "mission.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load(tmp_path)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{tmp_path / 'mission.yaml'}: fichier vide")


def test_a_first_item_without_the_space_after_its_dash_says_so(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(ENTRY.replace("    - Où", "    -Où"), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load(tmp_path)
    said = [str(problem) for problem in caught.value.problems]
    assert f"{tmp_path / 'base.yaml'}:3:5: il manque une espace après le tiret" in "\n".join(said)
    assert not any("décalé" in message for message in said)
