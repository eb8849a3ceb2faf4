"""Live reload: a valid edit is swapped in whole, a broken one never replaces the served base."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from knowledge_samples import BROKEN_LIEU, LIEU, SMALL_BASE

from bot.engine import Index
from bot.knowledge import load
from bot.staff.holder import IndexHolder
from bot.staff.reload import FolderWatcher, reload


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(SMALL_BASE, target)
    return target


@pytest.fixture
def holder(folder: Path) -> IndexHolder:
    return IndexHolder(Index(load(folder)))


def best(holder: IndexHolder, question: str) -> str | None:
    """The entry the bot gives or offers first (a two-entry base rarely answers outright)."""
    decision = holder.index.decide(question)
    if decision.status == "fallback":
        return None
    return decision.candidates[0].entry.id


def test_an_added_entry_is_answered_after_reload(folder: Path, holder: IndexHolder) -> None:
    assert best(holder, "dans quelle ville") is None
    (folder / "lieu.yaml").write_text(LIEU, encoding="utf-8")
    result = reload(holder, folder)
    assert result.ok
    assert result.changes.added == ("lieu",)
    assert result.lines() == [
        "Base rechargée (3 entrées).",
        "Ajoutées : lieu",
        "Supprimées : aucune",
        "Modifiées : aucune",
    ]
    assert best(holder, "dans quelle ville") == "lieu"


def test_modified_and_removed_entries_are_named(folder: Path, holder: IndexHolder) -> None:
    base = folder / "base.yaml"
    text = base.read_text(encoding="utf-8")
    head, _, _ = text.partition("- id: teletravail")
    base.write_text(head.replace("3 500 €", "3 600 €"), encoding="utf-8")
    result = reload(holder, folder)
    assert (result.changes.added, result.changes.removed, result.changes.modified) == (
        (),
        ("teletravail",),
        ("salaire",),
    )


def test_nothing_changed_says_so(folder: Path, holder: IndexHolder) -> None:
    assert reload(holder, folder).lines() == ["Base rechargée (2 entrées) : aucun changement."]


def by_words(holder: IndexHolder, question: str) -> set[str]:
    """The entries that share a word with the question (synonyms applied)."""
    ranking = holder.index.search(question)
    return {c.entry.id for c in ranking.candidates if c.features.lexical > 0}


def test_a_synonyms_change_is_reported(folder: Path, holder: IndexHolder) -> None:
    assert by_words(holder, "émoluments") == set()
    (folder / "synonymes.yaml").write_text("salaire: [émoluments]\n", encoding="utf-8")
    result = reload(holder, folder)
    assert result.ok
    assert result.lines()[-1] == "Synonymes modifiés."
    assert by_words(holder, "émoluments") == {"salaire"}


def test_a_broken_edit_keeps_the_last_good_base(folder: Path, holder: IndexHolder) -> None:
    served = holder.index
    (folder / "lieu.yaml").write_text(BROKEN_LIEU, encoding="utf-8")
    result = reload(holder, folder)
    assert not result.ok
    assert holder.index is served
    assert best(holder, "quel est le salaire") == "salaire"
    lines = result.lines()
    assert lines[0] == (
        "Rechargement refusé : 2 erreurs dans la base de connaissances. Le bot continue avec la "
        "base précédente (2 entrées). Corrigez ces lignes, puis enregistrez :"
    )
    assert f"{folder / 'lieu.yaml'}:1: lieu: answer: champ obligatoire manquant ; ajoutez-le" in (
        lines
    )
    assert any(
        line.startswith(f"{folder / 'lieu.yaml'}:6: lieu: answr: champ inconnu ; vouliez-vous")
        for line in lines
    )


def test_the_thresholds_in_use_survive_a_reload(folder: Path) -> None:
    from bot.engine import Thresholds

    holder = IndexHolder(Index(load(folder), thresholds=Thresholds(answer=0.7)))
    reload(holder, folder)
    assert holder.index.thresholds.answer == 0.7


def test_the_watcher_reports_a_change_once_it_has_settled(folder: Path) -> None:
    watcher = FolderWatcher(folder)
    assert not watcher.poll()
    (folder / "lieu.yaml").write_text(LIEU, encoding="utf-8")
    assert not watcher.poll(), "a file just written may still be being saved"
    assert watcher.poll()
    assert not watcher.poll(), "one change, one reload"


def test_the_watcher_waits_while_a_file_keeps_changing(folder: Path) -> None:
    watcher = FolderWatcher(folder)
    (folder / "lieu.yaml").write_text(LIEU[:40], encoding="utf-8")
    assert not watcher.poll()
    (folder / "lieu.yaml").write_text(LIEU, encoding="utf-8")
    assert not watcher.poll()
    assert watcher.poll()


def test_the_watcher_sees_a_deleted_file(folder: Path) -> None:
    watcher = FolderWatcher(folder)
    (folder / "base.yaml").unlink()
    assert not watcher.poll()
    assert watcher.poll()


def test_a_manual_reload_resets_the_watcher(folder: Path, holder: IndexHolder) -> None:
    watcher = FolderWatcher(folder)
    (folder / "lieu.yaml").write_text(LIEU, encoding="utf-8")
    seen = watcher.snapshot()
    reload(holder, folder)
    watcher.reset(seen)
    assert not watcher.poll()
    assert not watcher.poll()
