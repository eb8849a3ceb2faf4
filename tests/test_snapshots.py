"""The index snapshot: a restart on an unchanged base reads the built index instead of building
it, decides exactly as a built one, and an edited base or a damaged file is built again."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EMBEDDINGS, GOLDEN_DIR
from knowledge_samples import LIEU, SMALL_BASE

import bot.engine.index as index_module
from bot.engine import Index
from bot.knowledge import KnowledgeBase, load
from bot.staff.embeddings import FileVectorStore
from bot.staff.snapshots import FILE_NAME, FileSnapshotStore
from bot.tuning.evaluation import read_cases

SAMPLE_EVERY = 10
"""One golden question in ten: a few hundred questions of every style, in seconds."""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(SMALL_BASE, target)
    return target


def _built_anew(*args: object, **kwargs: object) -> None:
    raise AssertionError("the vocabulary was built although the snapshot holds it")


def _restarted(knowledge: KnowledgeBase, snapshots: Path, monkeypatch: pytest.MonkeyPatch) -> Index:
    """An index started with the snapshot in `snapshots`, failing if it builds the words."""
    with monkeypatch.context() as patch:
        patch.setattr(index_module, "Vocabulary", _built_anew)
        return Index(
            knowledge, store=FileVectorStore(EMBEDDINGS), snapshots=FileSnapshotStore(snapshots)
        )


def test_a_restart_reads_the_snapshot_and_decides_exactly_as_a_built_index(
    knowledge: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compared with the index built just before, from the same cached vectors: the session's
    index may hold vectors encoded at another moment, when tests with other bases had replaced
    the shared cache, and a text encoded among other texts differs in the last bits."""
    store = FileSnapshotStore(tmp_path / "cache")
    index = Index(knowledge, store=FileVectorStore(EMBEDDINGS), snapshots=store)
    assert (tmp_path / "cache" / FILE_NAME).exists()
    restarted = _restarted(knowledge, tmp_path / "cache", monkeypatch)
    questions = [
        case.question for path in sorted(GOLDEN_DIR.glob("*.tsv")) for case in read_cases(path)
    ][::SAMPLE_EVERY]
    assert len(questions) > 300
    for question in questions:
        assert restarted.decide(question) == index.decide(question), question


def test_an_edited_base_is_built_again_and_its_snapshot_replaced(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    Index(load(folder), snapshots=FileSnapshotStore(cache))
    (folder / "lieu.yaml").write_text(LIEU, encoding="utf-8")
    edited = Index(load(folder), snapshots=FileSnapshotStore(cache))
    assert edited.decide("où se passe la mission ?").answered_ids == ("lieu",)
    restarted = _restarted(load(folder), cache, monkeypatch)
    assert restarted.decide("où se passe la mission ?").answered_ids == ("lieu",)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data.split(b"\n", 1)[0] + b"\nnot a pickle at all",
        lambda data: data[: len(data) // 2],
    ],
    ids=["garbage after the key", "cut short"],
)
def test_a_damaged_snapshot_is_built_again_and_said_in_the_log(
    folder: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    damage: Callable[[bytes], bytes],
) -> None:
    cache = tmp_path / "cache"
    Index(load(folder), snapshots=FileSnapshotStore(cache))
    path = cache / FILE_NAME
    path.write_bytes(damage(path.read_bytes()))
    with caplog.at_level(logging.WARNING, logger="bot.staff.snapshots"):
        rebuilt = Index(load(folder), snapshots=FileSnapshotStore(cache))
    assert "unreadable" in caplog.text
    assert rebuilt.decide("quel est le salaire").status in {"answer", "suggest"}
    # The snapshot was written again, whole: the next restart reads it.
    restarted = _restarted(load(folder), cache, monkeypatch)
    assert restarted.decide("quel est le salaire") == rebuilt.decide("quel est le salaire")
