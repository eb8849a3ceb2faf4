"""The README's staff guide, checked: its sample outputs are what the code prints, and its
walk-through (an entry, a défi, two staff tests) gives a base `check` finds nothing new in.

Each sample block follows a `<!-- sortie: NAME -->` marker; SCENARIOS[NAME] makes the mistake
the README describes on a copy of knowledge/ and returns what the command prints. When the base
changes (lines move), the failure message gives the block to paste into the README.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import KNOWLEDGE_DIR, ROOT

from bot import cli
from bot.knowledge.markup import french_spacing as spaced

README = (ROOT / "README.md").read_text(encoding="utf-8")
SAMPLE = re.compile(r"<!-- sortie: ([\w-]+) -->\n```[a-z]*\n(.*?)```", re.DOTALL)
EXAMPLE = re.compile(r"<!-- (exemple-[\w-]+) -->\n```yaml\n(.*?)```", re.DOTALL)
SAMPLES = dict(SAMPLE.findall(README))
EXAMPLES = dict(EXAMPLE.findall(README))

Run = Callable[..., str]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """`python -m bot …` in a folder holding a copy of knowledge/, as staff type it."""
    shutil.copytree(KNOWLEDGE_DIR, tmp_path / "knowledge")
    monkeypatch.chdir(tmp_path)

    def command(*args: str) -> str:
        capsys.readouterr()
        cli.main(list(args))
        return capsys.readouterr().out

    return command


def edit(name: str, old: str, new: str) -> None:
    path = Path("knowledge") / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{name} n'a plus « {old.strip()} »"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(name: str, text: str) -> None:
    path = Path("knowledge") / name
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


def git(*args: str) -> None:
    subprocess.run(
        ["git", "-C", "knowledge", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        timeout=30,
    )


def tab(run: Run) -> str:
    edit("contact.yaml", "\n    - contact\n", "\n\t- contact\n")
    return run("check")


def shifted(run: Run) -> str:
    edit("contact.yaml", "\n  answer: |", "\n   answer: |")
    return run("check")


def glued(run: Run) -> str:
    edit("mission.yaml", "\n    - salaire eig\n", "\n     - salaire eig\n")
    return run("check")


def colon(run: Run) -> str:
    edit("mission.yaml", "    - Quel est le contrat d'un EIG ?\n", "    - Contrat : CDD ou CDI ?\n")
    return run("check")


def duplicate(run: Run) -> str:
    if shutil.which("git") is None:
        pytest.skip("git n'est pas installé")
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "base")
    first_entry = Path("knowledge/contact.yaml").read_text(encoding="utf-8").split("\n- id:")[0]
    append("contact.yaml", first_entry.rstrip("\n") + "\n")
    return run("check")


def category(run: Run) -> str:
    edit("mission.yaml", "  category: mission\n", "  category: missions\n")
    return run("check")


def missed_test(run: Run) -> str:
    append("tests.yaml", "- question: horaires de la cantine\n  expect: remuneration\n")
    return run("check", "tests.yaml").splitlines()[0] + "\n"


def added_test(run: Run) -> str:
    question, expect = "c'est combien le salaire d'un eig", "remuneration"
    typed = f'$ python -m bot unanswered --add-test "{question}" --expect {expect}\n'
    return typed + run("unanswered", "--add-test", question, "--expect", expect)


SCENARIOS: dict[str, Callable[[Run], str]] = {
    "tabulation": tab,
    "decalage": shifted,
    "tiret-decale": glued,
    "deux-points": colon,
    "id-en-double": duplicate,
    "theme": category,
    "test-manque": missed_test,
    "ajout-test": added_test,
}


def test_every_sample_has_a_scenario() -> None:
    assert set(SAMPLES) == set(SCENARIOS)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_readme_sample_is_what_the_command_prints(name: str, run: Run) -> None:
    printed = SCENARIOS[name](run)
    assert printed == SAMPLES[name], (
        f"Le README n'est plus à jour : remplacez le bloc « sortie: {name} » par\n{printed}"
    )


def test_the_walk_through_adds_an_entry_a_defi_and_two_tests_with_check_green(run: Run) -> None:
    *before, before_summary = run("check").splitlines()
    append("contact.yaml", EXAMPLES["exemple-entree"])
    append("defis.yaml", EXAMPLES["exemple-defi"])
    append("tests.yaml", EXAMPLES["exemple-tests"])
    narrowed = run("check", "contact.yaml", "defis.yaml", "tests.yaml").splitlines()
    assert narrowed[0] == (
        "Dans knowledge/contact.yaml, knowledge/defis.yaml, knowledge/tests.yaml : 0 erreur, "
        "0 avertissement."
    )
    after = run("check").splitlines()
    assert after[:-1] == before  # no new problem anywhere
    entries, tests = (int(n) for n in re.findall(r"(\d+) (?:entrées|tests)", before_summary))
    assert after[-1].startswith(f"Base valide ({entries + 2} entrées, ")
    assert f"{tests + 2} tests)" in after[-1]
    overview = run("ask", "liste des défis")
    assert spaced("4e promotion (2020) : 1 défi") in overview
    assert "MonitorFish — Direction des pêches maritimes et de l'aquaculture" in overview
