"""Callback data for inline buttons: short, versioned strings, and a parser that trusts nothing.

Format: ``v1:<code>:<target>``, for example ``v1:e:remuneration`` (open an entry) or
``v1:t:candidature`` (list a topic). Telegram caps callback data at 64 bytes and hands back
whatever a client sends, so `decode` returns None for anything it did not write itself: older
versions, unknown codes, forged or truncated strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.render import Button, ButtonAction

VERSION = "v1"
MAX_BYTES = 64
"""Telegram's limit on callback data."""

_CODES: dict[ButtonAction, str] = {"entry": "e", "topic": "t"}
_ACTIONS: dict[str, ButtonAction] = {code: action for action, code in _CODES.items()}
_TARGET = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""Entry ids and topic keys: what knowledge.ID_PATTERN allows."""


@dataclass(frozen=True, slots=True)
class Tap:
    """What a tapped button asks for."""

    action: ButtonAction
    target: str


def encode(button: Button) -> str:
    """The callback data for `button`; ValueError if it cannot fit Telegram's limit."""
    data = f"{VERSION}:{_CODES[button.action]}:{button.target}"
    if len(data.encode()) > MAX_BYTES or not _TARGET.match(button.target):
        raise ValueError(f"callback data cannot carry the target {button.target!r}")
    return data


def decode(data: str | None) -> Tap | None:
    """The tap that `data` describes, or None when the bot did not write it (or no longer does)."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    version, _, rest = data.partition(":")
    code, _, target = rest.partition(":")
    action = _ACTIONS.get(code)
    if version != VERSION or action is None or not _TARGET.match(target):
        return None
    return Tap(action, target)
