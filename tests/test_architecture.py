"""The core stays free of Telegram: it can be tested, and reused, without the transport."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
CORE = [
    "callbacks",
    "calibration",
    "checks",
    "config",
    "evaluation",
    "flood",
    "inline",
    "knowledge",
    "lexicon",
    "markup",
    "matching",
    "normalize",
    "privacy",
    "questionlog",
    "reload",
    "render",
    "reports",
    "splitting",
    "store",
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_telegram(module: str) -> None:
    imported = _imports(BOT / f"{module}.py")
    assert not {name for name in imported if name.split(".")[0] == "telegram"}


def test_only_config_reads_settings_from_the_environment() -> None:
    reads = ("os.getenv(", "os.environ.get(", "os.environ[")
    readers = [
        path.name
        for path in BOT.glob("*.py")
        if path.name != "config.py" and any(r in path.read_text(encoding="utf-8") for r in reads)
    ]
    assert readers == []
