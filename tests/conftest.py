"""Shared fixtures: the real knowledge base, its index, and a clean environment."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from postgres_server import database_url, postgres_server

from bot.engine import Decision, Index
from bot.knowledge import KnowledgeBase, load
from bot.staff.embeddings import FileVectorStore

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = ROOT / "knowledge"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
EMBEDDINGS = Path(tempfile.gettempdir()) / "eig-bot-tests-embeddings"
"""Kept between runs: vectors depend only on the encoder version and the text."""
ENCODER_WEIGHTS = Path(tempfile.gettempdir()) / "eig-bot-tests-encoder"
"""The encoder's prepared weights, kept between runs too (not in the user's own cache)."""

__all__ = ["database_url", "postgres_server"]  # fixtures for the tests that need PostgreSQL

_ENV_VARS = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_URL",
    "ADMIN_IDS",
    "KNOWLEDGE_DIR",
    "LOG_LEVEL",
    "WEBHOOK_URL",
    "PORT",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "DATA_DIR",
    "RETENTION_DAYS",
    "DATABASE_URL",
    "WEB_ALLOWED_ORIGINS",
    "FORWARDED_ALLOW_IPS",
    "EMBEDDINGS_DIR",
    "ENCODER_CACHE_DIR",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test sees the developer's bot settings; data goes to a temporary folder."""
    for name in _ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    # One embedding cache for the whole session: each test's data folder is new, but the
    # sentence vectors of the same base need not be computed again for every test.
    monkeypatch.setenv("EMBEDDINGS_DIR", str(EMBEDDINGS))
    monkeypatch.setenv("ENCODER_CACHE_DIR", str(ENCODER_WEIGHTS))
    yield


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    """The real knowledge base of the repository."""
    return load(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def index(knowledge: KnowledgeBase) -> Index:
    """The engine built on the real knowledge base."""
    return Index(knowledge, store=FileVectorStore(EMBEDDINGS))


HESITANT = "combien"
"""A question that fits several entries (how many EIG, how much pay, how many per team): the
bot offers a choice."""


@pytest.fixture(scope="session")
def hesitation(index: Index) -> Decision:
    """What the real engine decides for HESITANT: the suggestions the channels must show."""
    decision = index.decide(HESITANT)
    assert decision.status == "suggest" and len(decision.suggestions) >= 2, decision
    return decision


_FIGURES: list[str] = []


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Note a measured figure; every figure noted is printed at the end of the run."""

    def note(text: str) -> None:
        _FIGURES.append(f"{request.node.name}: {text}")

    return note


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("figures measured by the fault suite")
        for line in _FIGURES:
            terminalreporter.write_line(line)
