"""The question log: what it keeps, what it never keeps, and for how long, in SQLite and PostgreSQL.

Every behaviour is checked on both backends: the SQLite file of DATA_DIR, and a real PostgreSQL
server (see `postgres_server.py`; skipped where PostgreSQL is not installed).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from bot.config import Settings
from bot.engine import Candidate, Decision, Index, Status
from bot.engine.normalize import Normalizer
from bot.knowledge import Entry
from bot.staff.questionlog import DB_NAME, QuestionLog
from bot.staff.storage.schema import MIGRATIONS

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SALAIRE = Entry(id="salaire", questions=("Quel est le salaire ?",), answer="3 500 €.")
CONGES = Entry(id="conges", questions=("Combien de congés ?",), answer="25 jours.")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def decision(query: str, status: Status, *scored: tuple[Entry, float]) -> Decision:
    candidates = tuple(Candidate(entry, score, entry.title) for entry, score in scored)
    return Decision(query, status, candidates, Normalizer().analyze(query))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which backend the test runs on; with "postgres", DATABASE_URL names a new database."""
    if request.param == "postgres":
        monkeypatch.setenv("DATABASE_URL", request.getfixturevalue("database_url"))
    return str(request.param)


@pytest.fixture
def log(backend: str, clock: Clock) -> Iterator[QuestionLog]:
    opened = QuestionLog.open(Settings.from_env(), clock=clock)
    yield opened
    opened.close()


def test_the_log_lives_in_data_dir_with_the_configured_retention(log: QuestionLog) -> None:
    settings = Settings.from_env()
    if settings.database_url:
        assert log.path is None
        assert log.where == "PostgreSQL (DATABASE_URL)"
        assert not settings.data_dir.exists()
    else:
        assert log.path == settings.data_dir / DB_NAME
        assert log.path.exists()
    assert log.retention == timedelta(days=90)


def test_a_suggestion_is_stored_with_text_normalised_form_time_and_candidates(
    log: QuestionLog,
) -> None:
    question_id = log.record(
        decision("C koi le salaire ?", "suggest", (SALAIRE, 0.55), (CONGES, 0.5))
    )
    (stored,) = log.questions(START - timedelta(days=1))
    assert stored.id == question_id
    assert stored.text == "C koi le salaire ?"
    assert stored.normalized == "salaire"
    assert stored.asked_at == START.replace(microsecond=0)
    assert stored.status == "suggest"
    assert stored.candidates == (("salaire", 0.55), ("conges", 0.5))
    assert stored.chosen is None


def test_the_suggestion_tapped_is_recorded_against_the_question(log: QuestionLog) -> None:
    question_id = log.record(decision("paye", "suggest", (SALAIRE, 0.5), (CONGES, 0.45)))
    assert question_id is not None
    log.record_choice(question_id, "salaire")
    (stored,) = log.questions(START - timedelta(days=1))
    assert stored.chosen == "salaire"


def test_a_fallback_keeps_the_near_misses(log: QuestionLog) -> None:
    log.record(decision("horaires de la cantine", "fallback", (CONGES, 0.2)))
    (stored,) = log.questions(START - timedelta(days=1))
    assert stored.status == "fallback"
    assert stored.candidates == (("conges", 0.2),)


@pytest.mark.parametrize("message", ["bonjour", "merci !", "Salut"])
def test_small_talk_is_neither_an_unanswered_question_nor_an_answer(
    log: QuestionLog, index: Index, message: str
) -> None:
    decided = index.decide(message)
    assert decided.status == "smalltalk"
    assert log.record(decided) is None
    since = START - timedelta(days=1)
    assert log.questions(since) == []
    assert log.answered(since) == {}


def test_a_direct_answer_is_only_counted_against_its_entry(log: QuestionLog) -> None:
    assert log.record(decision("quel est le salaire", "answer", (SALAIRE, 0.9))) is None
    log.record(decision("salaire ?", "answer", (SALAIRE, 0.8)))
    log.record(decision("congés", "answer", (CONGES, 0.8)))
    assert log.questions(START - timedelta(days=1)) == []
    assert log.answered(START - timedelta(days=1)) == {"salaire": 2, "conges": 1}


def test_votes_are_counted_per_entry(log: QuestionLog) -> None:
    log.record_vote("salaire", useful=True)
    log.record_vote("salaire", useful=False)
    log.record_vote("salaire", useful=False)
    log.record_vote("conges", useful=True)
    votes = log.votes(START - timedelta(days=1))
    assert (votes["salaire"].useful, votes["salaire"].not_useful) == (1, 2)
    assert (votes["conges"].useful, votes["conges"].not_useful) == (1, 0)


def _stored(settings: Settings) -> tuple[dict[str, list[str]], list[object]]:
    """Every table with its columns, and every value stored, read with the database's own
    client (not through the log)."""
    if settings.database_url:
        with psycopg.connect(settings.database_url) as db:
            rows = db.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
            ).fetchall()
            columns: dict[str, list[str]] = {}
            for table, column in rows:
                columns.setdefault(table, []).append(column)
            values = [v for t in columns for row in db.execute(f"SELECT * FROM {t}") for v in row]
        return columns, values
    with sqlite3.connect(settings.data_dir / DB_NAME) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        columns = {t: [row[1] for row in db.execute(f"PRAGMA table_info({t})")] for t in tables}
        values = [v for t in tables for row in db.execute(f"SELECT * FROM {t}") for v in row]
    return columns, values


def test_no_identifier_is_stored_and_contact_details_are_masked(log: QuestionLog) -> None:
    question_id = log.record(
        decision(
            "écrivez-moi à jean.dupont@example.org ou au 06 12 34 56 78 pour le salaire",
            "fallback",
            (SALAIRE, 0.3),
        )
    )
    assert question_id is not None
    log.record_choice(question_id, "salaire")
    log.record_vote("salaire", useful=True)
    log.record(decision("salaire", "answer", (SALAIRE, 0.9)))
    (stored,) = log.questions(START - timedelta(days=1))
    assert stored.text == "écrivez-moi à [adresse e-mail] ou au [numéro] pour le salaire"
    log.close()

    columns, values = _stored(Settings.from_env())
    assert columns == {
        "questions": ["id", "asked_at", "text", "normalized", "status", "candidates", "chosen"],
        "answers": ["hour", "entry_id", "count"],
        "votes": ["hour", "entry_id", "useful", "count"],
        "schema_migrations": ["version", "applied_at", "description"],
    }
    stored_text = " ".join(str(value) for value in values)
    assert "dupont" not in stored_text
    assert "06 12" not in stored_text
    assert "12345678" not in stored_text.replace(" ", "")


def test_old_rows_are_purged_when_the_log_opens(backend: str, clock: Clock) -> None:
    current = Settings.from_env()
    env = {"DATA_DIR": str(current.data_dir), "RETENTION_DAYS": "30"}
    if current.database_url:
        env["DATABASE_URL"] = current.database_url
    settings = Settings.from_env(env)
    first = QuestionLog.open(settings, clock=clock)
    first.record(decision("cantine", "fallback", (CONGES, 0.1)))
    first.record(decision("salaire", "answer", (SALAIRE, 0.9)))
    first.record_vote("salaire", useful=False)
    first.close()

    clock.advance(days=29)
    kept = QuestionLog.open(settings, clock=clock)
    assert len(kept.questions(START - timedelta(days=365))) == 1
    kept.close()

    clock.advance(days=2)
    purged = QuestionLog.open(settings, clock=clock)
    long_ago = START - timedelta(days=365)
    assert purged.questions(long_ago) == []
    assert purged.answered(long_ago) == {}
    assert purged.votes(long_ago) == {}
    purged.close()


def test_a_log_that_stays_open_purges_on_later_writes(log: QuestionLog, clock: Clock) -> None:
    log.record(decision("cantine", "fallback", (CONGES, 0.1)))
    clock.advance(days=91)
    log.record(decision("parking", "fallback", (CONGES, 0.1)))
    remaining = log.questions(START - timedelta(days=365))
    assert [q.text for q in remaining] == ["parking"]


def test_a_restart_loses_nothing(backend: str, clock: Clock) -> None:
    """What a deploy does: the bot stops (the log closes), starts again, and staff read."""
    settings = Settings.from_env()
    first = QuestionLog.open(settings, clock=clock)
    question_id = first.record(decision("horaires de la cantine", "fallback", (CONGES, 0.2)))
    assert question_id is not None
    first.record_choice(question_id, "conges")
    first.record(decision("salaire ?", "answer", (SALAIRE, 0.9)))
    first.record_vote("salaire", useful=False)
    first.close()

    clock.advance(hours=2)
    again = QuestionLog.open(settings, clock=clock)
    since = START - timedelta(days=1)
    (kept,) = again.questions(since)
    assert (kept.id, kept.text, kept.chosen) == (question_id, "horaires de la cantine", "conges")
    assert again.answered(since) == {"salaire": 1}
    assert again.votes(since)["salaire"].not_useful == 1
    later = again.record(decision("parking", "fallback", (CONGES, 0.1)))
    assert later is not None and later > question_id
    again.close()


def test_migrations_run_once_however_often_the_log_opens(backend: str, clock: Clock) -> None:
    settings = Settings.from_env()
    for _ in range(3):
        QuestionLog.open(settings, clock=clock).close()
    columns, values = _stored(settings)
    assert columns["schema_migrations"] == ["version", "applied_at", "description"]
    versions = [m.version for m in MIGRATIONS]
    assert [v for v in values if v in versions] == versions


def test_a_log_written_before_migrations_existed_keeps_its_rows(clock: Clock) -> None:
    """An SQLite file of the first version (tables only, user_version 1) opens unchanged."""
    settings = Settings.from_env()
    settings.data_dir.mkdir(parents=True)
    with sqlite3.connect(settings.data_dir / DB_NAME) as db:
        for sql in MIGRATIONS[0].sql("sqlite"):
            db.execute(sql)
        db.execute(
            "INSERT INTO questions (asked_at, text, normalized, status, candidates) "
            "VALUES ('2026-03-02 09:00:00', 'cantine', 'cantine', 'fallback', '[]')"
        )
        db.execute("PRAGMA user_version = 1")
    db.close()
    log = QuestionLog.open(settings, clock=clock)
    assert [q.text for q in log.questions(START - timedelta(days=1))] == ["cantine"]
    log.close()


def test_a_lost_database_connection_is_opened_again(
    clock: Clock, postgres_server: str, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database restarts (or a proxy drops the connection): the next write still lands."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    log = QuestionLog.open(Settings.from_env(), clock=clock)
    log.record(decision("cantine", "fallback", (CONGES, 0.1)))
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        ended = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (database_url.rsplit("/", 1)[1],),
        ).fetchall()
    assert ended
    log.record(decision("parking", "fallback", (CONGES, 0.1)))
    texts = [q.text for q in log.questions(START - timedelta(days=1))]
    assert texts == ["cantine", "parking"]
    log.close()
