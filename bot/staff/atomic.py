"""Files replaced whole: a crash or a full disk leaves the old file or the new, never half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def replace_file(path: Path, writer: Callable[[BinaryIO], None]) -> None:
    """Write `path` with `writer` through a temporary file in its folder, then rename it.

    The folder is created if needed. OSError propagates, and the temporary file is removed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        temporary = Path(name)
        with open(handle, "wb") as file:
            writer(file)
        os.replace(temporary, path)
    except BaseException:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
        raise
