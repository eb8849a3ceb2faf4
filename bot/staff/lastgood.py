"""The last valid knowledge base, kept in DATA_DIR: a restart on a broken folder still serves.

A broken edit never replaces the base being served (`bot.staff.reload`), but a restart reads the
folder again, and a process that starts on a broken folder has no base of its own to keep: on a
platform that restarts it, the bot would stay down until someone fixes the file. So the YAML
files of each valid base the bot serves are written to DATA_DIR (one JSON file, replaced whole),
and `load_for_serving` falls back to them, saying so, when the folder is not valid at start.
"""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path
from typing import BinaryIO

from bot.knowledge import KnowledgeBase, KnowledgeError, load
from bot.staff.atomic import replace_file

logger = logging.getLogger(__name__)

LAST_GOOD_FILE = "knowledge-last-good.json"
"""In DATA_DIR: the YAML files of the last valid base served, by name."""


class LastGood:
    """The copy of the last valid base, in `data_dir`."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LAST_GOOD_FILE

    def keep(self, folder: Path | str) -> None:
        """Copy the YAML files of `folder`, just loaded and valid. Never raises: a full or
        read-only disk costs the copy (logged), never an answer."""
        try:
            texts = {
                p.name: p.read_text(encoding="utf-8") for p in sorted(Path(folder).glob("*.yaml"))
            }
            payload = json.dumps({"files": texts}, ensure_ascii=False).encode()

            def write(file: BinaryIO) -> None:
                file.write(payload)

            replace_file(self.path, write)
        except (OSError, UnicodeError) as error:
            logger.warning("Could not keep a copy of the valid knowledge base: %s", error)

    def load(self) -> KnowledgeBase | None:
        """The base kept, or None when there is none (or it cannot be read)."""
        try:
            files = json.loads(self.path.read_text(encoding="utf-8"))["files"]
            with tempfile.TemporaryDirectory(prefix="eig-last-good-") as folder:
                for name, text in files.items():
                    (Path(folder) / Path(name).name).write_text(text, encoding="utf-8")
                return load(folder)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, KnowledgeError):
            return None


def load_for_serving(knowledge_dir: Path, data_dir: Path) -> KnowledgeBase:
    """The knowledge folder's base, kept as the last good one; when the folder is not valid, the
    last good base if there is one (the errors are logged: `check` lists them), else the error."""
    last_good = LastGood(data_dir)
    try:
        knowledge = load(knowledge_dir)
    except KnowledgeError as error:
        kept = last_good.load()
        if kept is None:
            raise
        logger.error(
            "The knowledge folder is not valid (%d problems, first: %s): serving the last valid "
            "base instead (%d entries) until the folder is fixed",
            len(error.problems),
            error.problems[0] if error.problems else "?",
            len(kept.entries),
        )
        return kept
    last_good.keep(knowledge_dir)
    return knowledge
