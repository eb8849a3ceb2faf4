"""Giving the memory a large build has freed back to the system.

Python and numpy free what they no longer need, but the C allocator (glibc's malloc) keeps
most freed pages for the process: after a first start on a large base (the encoder's sessions
let go, the vocabulary's temporary arrays freed), tens of MB stay counted in its resident size
until `malloc_trim` returns them. Elsewhere than glibc, nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from functools import cache

KEEP_PADDING = 0
"""Bytes `malloc_trim` leaves at the top of the heap: none (the build is over)."""


@cache
def _trim() -> Callable[[int], object] | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # no C library by that name, or not glibc
        return None


def return_free_memory() -> None:
    """Return the C allocator's free pages to the system, where it can (glibc)."""
    trim = _trim()
    if trim is not None:
        trim(KEEP_PADDING)
