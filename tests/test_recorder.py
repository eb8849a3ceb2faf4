"""The recorder: the question log written off the answer path, through real disk faults.

Every test uses a real SQLite file. Whatever the state of DATA_DIR, `record` returns at once;
when the log cannot be written, admins are told once, the writes wait, and they are written,
with the time they were asked, as soon as the disk allows.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import disk_faults
import pytest

from bot.config import Settings
from bot.engine import Candidate, Decision, Status
from bot.engine.normalize import Normalizer
from bot.knowledge import Entry
from bot.staff.questionlog import DB_NAME, QuestionLog
from bot.staff.recorder import LogUnavailable, Recorder

SALAIRE = Entry(id="salaire", questions=("Quel est le salaire ?",), answer="3 500 €.")
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
RETRY = 0.05


def decision(query: str, status: Status = "fallback") -> Decision:
    return Decision(
        query, status, (Candidate(SALAIRE, 0.3, SALAIRE.title),), Normalizer().analyze(query)
    )


def recorder_for(data_dir: Path, *, capacity: int = 100) -> Recorder:
    settings = Settings(data_dir=data_dir)
    recorder = Recorder(
        lambda clock: QuestionLog.open(settings, clock=clock),
        location=data_dir,
        capacity=capacity,
        retry=RETRY,
    )
    recorder.start()
    return recorder


def stored(data_dir: Path) -> list[str]:
    log = QuestionLog(data_dir / DB_NAME)
    try:
        return [q.text for q in log.questions(LONG_AGO)]
    finally:
        log.close()


def stored_while_locked(data_dir: Path) -> list[str]:
    """What a reader sees while a writer holds the lock (SQLite readers are not blocked in WAL)."""
    import sqlite3

    with sqlite3.connect(f"file:{data_dir / DB_NAME}?mode=ro", uri=True) as db:
        return [text for (text,) in db.execute("SELECT text FROM questions ORDER BY id")]


def wait_for_news(recorder: Recorder, timeout: float = 10.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        news = recorder.news()
        if news:
            return news
        time.sleep(0.02)
    return []


@pytest.fixture
def running() -> Iterator[list[Recorder]]:
    started: list[Recorder] = []
    yield started
    for recorder in started:
        recorder.stop(timeout=5)


def test_questions_are_written_in_order_by_the_background_thread(tmp_path, running):
    recorder = recorder_for(tmp_path / "data")
    running.append(recorder)
    for number in range(5):
        recorder.record(decision(f"question {number}"))
    assert recorder.flush(timeout=10)
    assert stored(tmp_path / "data") == [f"question {n}" for n in range(5)]
    assert recorder.news() == [] and recorder.problem is None


@pytest.mark.parametrize(
    ("break_it", "repair"),
    [
        pytest.param(disk_faults.missing, disk_faults.repair_missing, id="missing"),
        pytest.param(disk_faults.full, disk_faults.repair_full, id="full"),
    ],
)
def test_a_broken_data_dir_is_reported_once_and_recording_resumes(
    tmp_path, running, break_it, repair
):
    data_dir = break_it(tmp_path)
    recorder = recorder_for(data_dir)
    running.append(recorder)
    before = datetime.now(UTC).replace(microsecond=0)
    recorder.record(decision("pendant la panne"))
    (news,) = wait_for_news(recorder)
    assert news.startswith("Le journal des questions est indisponible (")
    assert "le bot répond normalement" in news
    for number in range(3):
        recorder.record(decision(f"encore {number}"))
    assert not recorder.flush(timeout=0.3)
    assert recorder.news() == [], "said once"
    with pytest.raises(LogUnavailable):
        recorder.read(lambda log: log.questions(LONG_AGO)).result(timeout=1)

    time.sleep(1.1)  # the questions were asked before the repair: they keep that time
    repair(data_dir)
    assert recorder.flush(timeout=10)
    assert stored(data_dir) == ["pendant la panne", "encore 0", "encore 1", "encore 2"]
    log = QuestionLog(data_dir / DB_NAME)
    first = log.questions(LONG_AGO)[0]
    log.close()
    assert before <= first.asked_at <= before + timedelta(seconds=1)
    assert wait_for_news(recorder) == [
        "Le journal des questions fonctionne à nouveau : les questions sont de nouveau "
        "enregistrées, y compris celles posées pendant l'interruption."
    ]


def test_a_read_only_data_dir_is_reported_and_recording_resumes(tmp_path, running):
    with disk_faults.read_only(tmp_path) as folder:
        recorder = recorder_for(folder.path)
        running.append(recorder)
        recorder.record(decision("sur un disque en lecture seule"))
        (news,) = wait_for_news(recorder)
        assert news.startswith("Le journal des questions est indisponible (")
        folder.make_writable()
        assert recorder.flush(timeout=10)
        assert stored(folder.path) == ["sur un disque en lecture seule"]
        recorder.stop(timeout=5)


def test_a_file_locked_by_another_process_never_holds_up_the_caller(tmp_path, running):
    data_dir = tmp_path / "data"
    recorder = recorder_for(data_dir)
    running.append(recorder)
    recorder.record(decision("avant"))
    assert recorder.flush(timeout=10)
    with disk_faults.locked(data_dir / DB_NAME):
        for number in range(20):
            recorder.record(decision(f"pendant {number}"))
        # Every call has returned, and none of the 20 writes is done: none waited for the disk.
        assert not recorder.flush(timeout=0.3)
        assert stored_while_locked(data_dir) == ["avant"]
    assert recorder.flush(timeout=15)
    assert stored(data_dir) == ["avant", *(f"pendant {n}" for n in range(20))]


def test_the_queue_is_bounded_while_the_log_is_down(tmp_path, running):
    data_dir = disk_faults.missing(tmp_path)
    recorder = recorder_for(data_dir, capacity=3)
    running.append(recorder)
    for number in range(5):
        recorder.record(decision(f"q{number}"))
    assert recorder.dropped == 2
    assert wait_for_news(recorder)[0].startswith("Le journal des questions est indisponible")
    disk_faults.repair_missing(data_dir)
    assert recorder.flush(timeout=10)
    assert stored(data_dir) == ["q0", "q1", "q2"]
    assert wait_for_news(recorder)[-1].endswith(
        "sauf 2 enregistrement(s) de l'interruption, au-delà de ce que le bot pouvait garder "
        "en attente."
    )


def test_the_chosen_suggestion_is_noted_against_its_question(tmp_path, running):
    recorder = recorder_for(tmp_path / "data")
    running.append(recorder)
    key = recorder.record(decision("paye ?", "suggest"))
    assert key is not None and len(key) == 8
    assert recorder.record(decision("cantine ?")) is None, "only suggestions carry a key"
    recorder.record_choice(key, "salaire")
    recorder.record_choice("inconnue", "salaire")  # a key it never gave: nothing is noted
    assert recorder.flush(timeout=10)
    log = QuestionLog(tmp_path / "data" / DB_NAME)
    chosen = [q.chosen for q in log.questions(LONG_AGO)]
    log.close()
    assert chosen == ["salaire", None]


def test_stop_does_not_wait_for_a_log_that_is_down(tmp_path, caplog):
    recorder = recorder_for(disk_faults.missing(tmp_path))
    recorder.record(decision("jamais écrite"))
    assert wait_for_news(recorder)
    recorder.stop(timeout=10)
    assert "Stopped with 1 question log record(s) not written" in caplog.text
