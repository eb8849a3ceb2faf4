"""The layers stay apart: data flows YAML → knowledge → engine → replies → channels.

Each rule is about packages, so a new module is covered by the rule of the package it joins.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
MODULES = sorted(p for p in BOT.rglob("*.py") if "__pycache__" not in p.parts)

ALLOWED: dict[str, set[str]] = {
    "knowledge": {"knowledge"},
    "engine": {"knowledge", "engine"},
    "replies": {"knowledge", "engine", "replies"},
    "staff": {"config", "knowledge", "engine", "replies", "staff"},
    "telegram_bot": {"config", "logs", "knowledge", "engine", "replies", "staff", "telegram_bot"},
    "web": {
        "config",
        "logs",
        "knowledge",
        "engine",
        "replies",
        "staff",
        "telegram_bot",
        "web",
    },
}
"""Which parts of `bot` each product package may import (its own included)."""

TOOLING = {"bench", "tuning", "testing"}
"""Developer tooling: the benchmark, calibration and evaluation, the fake Bot API."""


def _package(path: Path) -> str:
    """'engine' for bot/engine/index.py, 'cli' for bot/cli.py."""
    return path.relative_to(BOT).parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            if node.module == "bot":
                names.update(f"bot.{alias.name}" for alias in node.names)
    return names


def _bot_parts(names: set[str]) -> set[str]:
    return {name.split(".")[1] for name in names if name.startswith("bot.")}


def _id(path: Path) -> str:
    return str(path.relative_to(BOT))


@pytest.mark.parametrize(
    "path", [p for p in MODULES if _package(p) not in {"telegram_bot", *TOOLING}], ids=_id
)
def test_only_the_telegram_package_and_tooling_import_telegram(path: Path) -> None:
    assert not {name for name in _imports(path) if name.split(".")[0] == "telegram"}


@pytest.mark.parametrize("path", [p for p in MODULES if _package(p) in ALLOWED], ids=_id)
def test_a_package_imports_only_the_layers_below_it(path: Path) -> None:
    used = _bot_parts(_imports(path))
    assert used <= ALLOWED[_package(path)], f"{_id(path)} imports {sorted(used)}"


WEB_WIRING = {"web/server.py"}
"""The web modules that may import the Telegram package: to run it next to the web chat."""


@pytest.mark.parametrize("path", [p for p in MODULES if _package(p) == "web"], ids=_id)
def test_the_web_package_imports_telegram_bot_only_to_wire_it(path: Path) -> None:
    if _id(path) not in WEB_WIRING:
        assert "telegram_bot" not in _bot_parts(_imports(path))


@pytest.mark.parametrize(
    "path", [p for p in MODULES if _package(p) not in {*TOOLING, "cli"}], ids=_id
)
def test_the_product_never_imports_tooling(path: Path) -> None:
    """The command line may run the tooling; nothing the bot runs on may depend on it."""
    assert not _bot_parts(_imports(path)) & TOOLING


def test_only_config_reads_settings_from_the_environment() -> None:
    reads = ("os.getenv(", "os.environ.get(", "os.environ[")
    readers = [
        _id(path)
        for path in MODULES
        if path.name != "config.py" and any(r in path.read_text(encoding="utf-8") for r in reads)
    ]
    assert readers == []


def test_every_module_says_what_it_holds() -> None:
    missing = [_id(p) for p in MODULES if ast.get_docstring(ast.parse(p.read_text())) is None]
    assert missing == []
