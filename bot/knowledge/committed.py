"""What the last git commit of the knowledge folder holds: which lines of a file are new since,
and which ids it had. Staff need no git; without it (or without a commit) nothing is known and
nothing is said. Each git command has a timeout, and a missing `git` command is no error.
"""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path

from bot.knowledge.yaml_errors import entry_ids

GIT_TIMEOUT = 5.0
"""Seconds one git command may take: `check` and a reload must never hang on git."""


def git_output(folder: Path, *args: str) -> str | None:
    """The output of one git command run in `folder`; None on any failure."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def added_lines(path: Path) -> set[int] | None:
    """Lines of `path` (1-based) that its last committed version lacks; None when unknown."""
    try:
        current = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    committed = git_output(path.parent, "show", f"HEAD:./{path.name}")
    if committed is None:
        if git_output(path.parent, "rev-parse", "--verify", "--quiet", "HEAD") is None:
            return None  # not a git checkout, no commit yet, or no git at all
        return set(range(1, len(current) + 1))  # a file never committed: every line is new
    matcher = difflib.SequenceMatcher(a=committed.splitlines(), b=current, autojunk=False)
    added: set[int] = set()
    for tag, _, _, start, end in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            added.update(range(start + 1, end + 1))
    return added


def committed_ids(folder: Path) -> dict[str, str] | None:
    """Each id of the last commit's `.yaml` files → its file name; None when git cannot tell."""
    listed = git_output(folder, "ls-tree", "--name-only", "HEAD", "--", ".")
    if listed is None:
        return None
    ids: dict[str, str] = {}
    for name in listed.splitlines():
        name = Path(name).name
        if not name.endswith(".yaml"):
            continue
        text = git_output(folder, "show", f"HEAD:./{name}")
        for entry_id in entry_ids(text or ""):
            ids.setdefault(entry_id, name)
    return ids
