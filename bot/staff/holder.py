"""The live index: one object that handlers read and a reload swaps whole."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from bot.engine import Index


class IndexHolder:
    """Holds the current `Index`; `swap` replaces it atomically.

    A handler reads `holder.index` once per update and uses that object throughout, so a question
    in flight always sees one whole knowledge base, even while a reload swaps in the next one.
    """

    def __init__(self, index: Index, keep: Callable[[Path | str], None] | None = None) -> None:
        self._index = index
        self._lock = threading.Lock()
        self.keep = keep
        """Called with the folder of each valid base swapped in (`bot.staff.lastgood`)."""

    @property
    def index(self) -> Index:
        return self._index

    def swap(self, index: Index) -> Index:
        """Install `index`; return the one it replaces."""
        with self._lock:
            previous, self._index = self._index, index
        return previous
