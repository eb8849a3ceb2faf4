"""Live reload: a valid edit is swapped in whole, a broken one never replaces the served base."""

from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path

import pytest
from knowledge_samples import BROKEN_LIEU, LIEU, SMALL_BASE

from bot.engine import Index
from bot.knowledge import KnowledgeBase, load
from bot.staff import reload as reload_module
from bot.staff.holder import IndexHolder
from bot.staff.lastgood import LastGood, load_for_serving
from bot.staff.reload import MAX_LOG_LINE, SHOWN_PROBLEMS, FolderWatcher, log_result, reload


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


def test_each_valid_reload_is_kept_and_a_broken_one_is_not(folder: Path, tmp_path: Path) -> None:
    """The copy a restart falls back to (`bot.staff.lastgood`) follows the base served."""
    kept = LastGood(tmp_path / "data")
    holder = IndexHolder(Index(load_for_serving(folder, tmp_path / "data")), kept.keep)
    (folder / "lieu.yaml").write_text(LIEU, encoding="utf-8")
    assert reload(holder, folder).ok
    (folder / "lieu.yaml").write_text(BROKEN_LIEU, encoding="utf-8")
    assert not reload(holder, folder).ok
    restarted = load_for_serving(folder, tmp_path / "data")
    assert [entry.id for entry in restarted.entries] == [e.id for e in holder.index.entries]
    assert "lieu" in restarted.by_id


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


def test_a_base_with_thousands_of_errors_is_summed_up_in_one_short_message(
    folder: Path, holder: IndexHolder, caplog: pytest.LogCaptureFixture
) -> None:
    # 10,000 entries with neither questions nor answer: 20,000 errors.
    (folder / "vide.yaml").write_text(
        "".join(f"- id: entree-{n}\n" for n in range(10_000)), encoding="utf-8"
    )
    result = reload(holder, folder)
    assert not result.ok and len(result.problems) == 20_000
    lines = result.lines()
    assert lines[0].startswith("Rechargement refusé : 20\u202f000 erreurs dans la base")
    assert len(lines) == 1 + SHOWN_PROBLEMS + 1
    assert lines[-1] == (
        "… et 19\u202f990 autres : la commande « python -m bot check » les liste toutes."
    )
    assert len("\n".join(lines)) < 4096, "one Telegram message"
    with caplog.at_level(logging.INFO, logger="bot.staff.reload"):
        log_result(result)
    (record,) = caplog.records
    assert len(record.getMessage()) <= MAX_LOG_LINE


def test_many_added_entries_are_named_in_a_bounded_line(folder: Path, holder: IndexHolder) -> None:
    entries = "".join(
        f"- id: ajout-{n}\n  questions: [question {n} une, question {n} deux, question {n} "
        f"trois]\n  answer: Réponse {n}.\n"
        for n in range(500)
    )
    (folder / "ajouts.yaml").write_text(entries, encoding="utf-8")
    result = reload(holder, folder)
    assert result.ok
    added = result.lines()[1]
    assert added.startswith("Ajoutées : ajout-0, ajout-1,")
    assert added.endswith(" et 480 autres")


def test_a_read_that_never_ends_costs_that_reload_only(
    folder: Path, holder: IndexHolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A frozen disk, simulated: reading the folder blocks until the test lets it go.
    frozen = threading.Event()
    real_load = reload_module.load

    def stuck(directory: Path | str) -> KnowledgeBase:
        frozen.wait(30)
        return real_load(directory)

    monkeypatch.setattr(reload_module, "load", stuck)
    served = holder.index
    first = reload(holder, folder, deadline=0.3)
    assert not first.ok and holder.index is served
    assert "la lecture du dossier a pris plus de 0,3 secondes (disque bloqué ?)" in first.lines()[1]
    # The lock is free again; while the disk is still stuck, a reload says so at once.
    second = reload(holder, folder, deadline=0.3)
    assert "toujours bloquée" in second.lines()[1]
    frozen.set()
    monkeypatch.setattr(reload_module, "load", real_load)
    for _ in range(100):  # the stuck reader finishes once the disk answers (bounded wait)
        if reload(holder, folder, deadline=5).ok:
            break
        time.sleep(0.05)
    (folder / "lieu.yaml").write_text(LIEU, encoding="utf-8")
    assert reload(holder, folder).changes.added == ("lieu",)


def test_a_reload_that_fails_unexpectedly_releases_the_lock(
    folder: Path, holder: IndexHolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(directory: Path | str) -> KnowledgeBase:
        raise MemoryError("simulated")

    monkeypatch.setattr(reload_module, "load", broken)
    failed = reload(holder, folder)
    assert not failed.ok and "erreur inattendue" in failed.lines()[1]
    monkeypatch.undo()
    (folder / "lieu.yaml").write_text(LIEU, encoding="utf-8")
    assert reload(holder, folder).ok
