"""Shared fixtures: the real knowledge base, its index, and a clean environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.engine import Index
from bot.knowledge import KnowledgeBase, load

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = ROOT / "knowledge"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"

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
    "WEB_ALLOWED_ORIGINS",
    "FORWARDED_ALLOW_IPS",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test sees the developer's bot settings; data goes to a temporary folder."""
    for name in _ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    yield


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    """The real knowledge base of the repository."""
    return load(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def index(knowledge: KnowledgeBase) -> Index:
    """The engine built on the real knowledge base."""
    return Index(knowledge)
