"""Callback data for inline buttons: short, versioned strings, and a parser that trusts nothing.

Format: ``v1:<code>:<target>``, for example ``v1:e:remuneration`` (open an entry) or
``v1:t:candidature`` (list a topic). Telegram caps callback data at 64 bytes and hands back
whatever a client sends, so `decode` returns None for anything it did not write itself: older
versions, unknown codes, forged or truncated strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.replies.render import Button, ButtonAction

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


def _checked(data: str, target: str) -> str:
    if len(data.encode()) > MAX_BYTES or not _TARGET.match(target):
        raise ValueError(f"callback data cannot carry the target {target!r}")
    return data


def encode(button: Button) -> str:
    """The callback data for `button`; ValueError if it cannot fit Telegram's limit."""
    return _checked(f"{VERSION}:{_CODES[button.action]}:{button.target}", button.target)


def _fields(data: str | None, codes: str, count: int) -> tuple[str, list[str]] | None:
    """(code, fields) of data this bot wrote with one of `codes` and `count` fields, or None.

    The last field is always an entry id or topic key; anything else (another version, an
    unknown code, a forged or truncated string, data over Telegram's limit) is None.
    """
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    version, _, rest = data.partition(":")
    code, _, rest = rest.partition(":")
    fields = rest.split(":", count - 1)
    if version != VERSION or len(code) != 1 or code not in codes or len(fields) != count:
        return None
    if not _TARGET.match(fields[-1]):
        return None
    return code, fields


def decode(data: str | None) -> Tap | None:
    """The tap that `data` describes, or None when the bot did not write it (or no longer does)."""
    parsed = _fields(data, "".join(_ACTIONS), 1)
    return Tap(_ACTIONS[parsed[0]], parsed[1][0]) if parsed else None


# -- feedback buttons: "Utile" / "Pas utile", and suggestions that note which one was tapped ------

VOTE_PATTERN = rf"^{VERSION}:[un]:"
"""Callback data of the vote buttons (for the handler's `pattern`)."""
_NUMBER = re.compile(r"^[0-9]{1,18}$")


@dataclass(frozen=True, slots=True)
class Vote:
    """A tap on "Utile" (useful) or "Pas utile" under an entry's answer."""

    entry_id: str
    useful: bool


@dataclass(frozen=True, slots=True)
class Choice:
    """A tap on a suggestion offered for the logged question `question_id`."""

    question_id: int
    entry_id: str


def encode_vote(entry_id: str, *, useful: bool) -> str:
    """``v1:u:<entry>`` ("Utile") or ``v1:n:<entry>`` ("Pas utile")."""
    return _checked(f"{VERSION}:{'u' if useful else 'n'}:{entry_id}", entry_id)


def encode_choice(question_id: int, entry_id: str) -> str:
    """``v1:c:<question id>:<entry>``: open the entry and note it was chosen for that question."""
    return _checked(f"{VERSION}:c:{question_id}:{entry_id}", entry_id)


def decode_vote(data: str | None) -> Vote | None:
    """The vote that `data` describes, or None when the bot did not write it."""
    parsed = _fields(data, "un", 1)
    return Vote(parsed[1][0], parsed[0] == "u") if parsed else None


def decode_choice(data: str | None) -> Choice | None:
    """The choice that `data` describes, or None when the bot did not write it."""
    parsed = _fields(data, "c", 2)
    if parsed is None or not _NUMBER.match(parsed[1][0]):
        return None
    return Choice(int(parsed[1][0]), parsed[1][1])
