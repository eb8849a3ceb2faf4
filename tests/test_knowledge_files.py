"""Knowledge files are read safely: special files, huge files and huge folders are French errors.

Every read here would block or exhaust memory with a plain `open().read()`; each test runs the
load in a daemon thread and waits a bounded time, so that a regression fails instead of hanging.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from knowledge_samples import LIEU, SMALL_BASE

from bot.knowledge import KnowledgeError, load
from bot.knowledge.files import MAX_BASE_BYTES, MAX_FILE_BYTES, MAX_FILES, read_text

T = TypeVar("T")
BOUND = 20.0


def within_bound(call: Callable[[], T]) -> T:
    """`call()`'s result; fails (instead of hanging) if it takes more than `BOUND` seconds."""
    found: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            found.append(call())
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(BOUND)
    assert not thread.is_alive(), f"still running after {BOUND} s"
    if errors:
        raise errors[0]
    return found[0]


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as refused:
        within_bound(lambda: load(folder))
    return [str(p) for p in refused.value.problems]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(SMALL_BASE, target)
    return target


def test_a_named_pipe_is_refused_at_once_naming_the_file(folder: Path):
    os.mkfifo(folder / "x.yaml")
    assert problems_of(folder) == [
        f"{folder / 'x.yaml'}: lecture impossible : ce n'est pas un fichier ordinaire mais "
        "un tube nommé (FIFO) ; remplacez-le par un vrai fichier texte .yaml ou supprimez-le"
    ]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_a_device_is_refused(folder: Path):
    (folder / "x.yaml").symlink_to("/dev/zero")
    (problem,) = problems_of(folder)
    assert problem.startswith(f"{folder / 'x.yaml'}: lecture impossible : ")
    assert "un périphérique" in problem


def test_a_socket_and_a_folder_are_refused(folder: Path):
    listening = socket.socket(socket.AF_UNIX)
    try:
        listening.bind(str(folder / "s.yaml"))
        (folder / "d.yaml").mkdir()
        problems = problems_of(folder)
    finally:
        listening.close()
    assert any("s.yaml" in p and "une socket" in p for p in problems)
    assert any("d.yaml" in p and "un dossier" in p for p in problems)
    assert len(problems) == 2


def test_a_file_over_the_cap_is_refused_without_being_read(folder: Path):
    big = folder / "gros.yaml"
    with big.open("wb") as out:  # sparse: megabytes that cost nothing to write
        out.truncate(3 * 1024 * 1024)
    assert problems_of(folder) == [
        f"{big}: lecture impossible : le fichier fait 3\u00a0Mo, plus que la limite de "
        "2\u00a0Mo par fichier ; découpez-le en plusieurs fichiers"
    ]
    with big.open("wb") as out:
        out.truncate(50 * 1024 * 1024)
    assert problems_of(folder) == [
        f"{folder}: les fichiers .yaml font 50\u00a0Mo en tout, plus que la limite de "
        "16\u00a0Mo pour la base ; retirez ce qui n'est pas une entrée"
    ]


def test_a_valid_file_just_under_the_cap_is_read(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES - 1) + b"\n")
    assert len(read_text(path)) == MAX_FILE_BYTES
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(OSError, match="plus que la limite de 2\u00a0Mo par fichier"):
        read_text(path)


def test_a_base_over_the_total_cap_is_refused_before_any_file_is_read(folder: Path):
    part = MAX_FILE_BYTES - 1024
    for number in range(MAX_BASE_BYTES // part + 1):
        with (folder / f"partie-{number}.yaml").open("wb") as out:
            out.truncate(part)
    (problem,) = problems_of(folder)
    assert problem.startswith(f"{folder}: les fichiers .yaml font ")
    assert "plus que la limite de 16\u00a0Mo pour la base" in problem


def test_too_many_files_are_refused(folder: Path):
    for number in range(MAX_FILES):
        (folder / f"f{number:03d}.yaml").write_text("", encoding="utf-8")
    count = len(list(folder.glob("*.yaml")))
    (problem,) = problems_of(folder)
    assert f"{count} fichiers .yaml, plus que la limite de {MAX_FILES}" in problem


def test_a_valid_folder_still_loads(folder: Path):
    (folder / "lieu.yaml").write_text(LIEU, encoding="utf-8")
    assert "lieu" in within_bound(lambda: load(folder)).by_id
