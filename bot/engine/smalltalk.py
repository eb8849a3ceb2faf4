"""Small talk: messages that are not questions (hello, thanks…) and need no lookup."""

from __future__ import annotations

from typing import Literal

from bot.engine.normalize import Analysis

SmallTalk = Literal["greeting", "thanks"]

_GREETINGS = frozenset(
    "bonjour bonsoir salut hello hey coucou hi yo bjr bsr slt cc re wesh allo".split()
)
_THANKS = frozenset("merci mrc mci thx thanks top super parfait genial".split())


def small_talk(analysis: Analysis) -> SmallTalk | None:
    """ "greeting" or "thanks" when the message is only that (no question in it)."""
    words = set(analysis.folded.split())
    if analysis.words or not words:
        return None
    if words & _THANKS:
        return "thanks"
    if words & _GREETINGS:
        return "greeting"
    return None
