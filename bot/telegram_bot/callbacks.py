"""Callback data for inline buttons: short, versioned strings, and a parser that trusts nothing.

Format: ``v1:<code>:<target>``, for example ``v1:e:remuneration`` (open an entry) or
``v1:t:candidature`` (list a topic). Telegram caps callback data at 64 bytes and hands back
whatever a client sends, so `decode` returns None for anything it did not write itself: older
versions, unknown codes, forged or truncated strings.

Buttons that record something (votes, the suggestion chosen) also carry a signature: an HMAC,
with a key derived from the bot's token, of what the button says and of the chat it was sent to
(`place`), truncated to 8 characters. A client can replay a button in the chat it was sent to, but
cannot make one up, nor move one to another chat; the chat itself is never stored anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache

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
INLINE_PLACE = "inline"
"""The `place` of a button on a message sent in inline mode, whose chat the bot never sees."""
SIGNATURE_BYTES = 6
"""Bytes of HMAC kept: 8 characters, 2^48 guesses to forge one button."""
_SIGNATURE = re.compile(r"^[A-Za-z0-9_-]{8}$")
_CHOICE_KEY = re.compile(r"^[A-Za-z0-9_-]{8}$")


@lru_cache(maxsize=4)
def signing_key(token: str) -> bytes:
    """The key that signs buttons, derived from the bot's token (never the token itself)."""
    return hashlib.sha256(f"eig-bot buttons:{token}".encode()).digest()


def _signature(key: bytes, message: str, place: str) -> str:
    digest = hmac.new(key, f"{message}|{place}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:SIGNATURE_BYTES]).decode()


def _signed(key: bytes, data: str, place: str) -> str:
    return f"{data}:{_signature(key, data, place)}"


def _verified(data: str | None, key: bytes, place: str) -> str | None:
    """`data` without its signature when the signature is right for `place`, else None."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    body, _, signature = data.rpartition(":")
    if not body or not _SIGNATURE.match(signature):
        return None
    if not hmac.compare_digest(signature, _signature(key, body, place)):
        return None
    return body


@dataclass(frozen=True, slots=True)
class Vote:
    """A tap on "Utile" (useful) or "Pas utile" under an entry's answer."""

    entry_id: str
    useful: bool


@dataclass(frozen=True, slots=True)
class Choice:
    """A tap on a suggestion offered under the choice key `key` (see `bot.staff.recorder`)."""

    key: str
    entry_id: str


def encode_vote(entry_id: str, *, useful: bool, key: bytes, place: str) -> str:
    """``v1:u:<entry>:<signature>`` ("Utile") or ``v1:n:<entry>:<signature>`` ("Pas utile")."""
    data = f"{VERSION}:{'u' if useful else 'n'}:{entry_id}"
    return _checked(_signed(key, data, place), entry_id)


def encode_choice(choice_key: str, entry_id: str, *, key: bytes, place: str) -> str:
    """``v1:c:<choice key>:<entry>:<signature>``: open the entry and note it was chosen."""
    if not _CHOICE_KEY.match(choice_key):
        raise ValueError("a choice key is 8 URL-safe characters")
    data = f"{VERSION}:c:{choice_key}:{entry_id}"
    return _checked(_signed(key, data, place), entry_id)


def decode_vote(data: str | None, *, key: bytes, place: str) -> Vote | None:
    """The vote that `data` describes, or None when the bot did not write it for `place`."""
    parsed = _fields(_verified(data, key, place), "un", 1)
    return Vote(parsed[1][0], parsed[0] == "u") if parsed else None


def decode_choice(data: str | None, *, key: bytes, place: str) -> Choice | None:
    """The choice that `data` describes, or None when the bot did not write it for `place`."""
    parsed = _fields(_verified(data, key, place), "c", 2)
    if parsed is None or not _CHOICE_KEY.match(parsed[1][0]):
        return None
    return Choice(parsed[1][0], parsed[1][1])
