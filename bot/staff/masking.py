"""Mask e-mail addresses and phone numbers in a question before it is stored, in linear time.

The text is cut first (`MAX_TEXT` characters kept, plus a margin so that an address across the cut
is still recognised), then masked: whatever a message's length, masking costs what a normal
question costs. Every pattern has bounded repetitions, so each position of the text is looked at
a bounded number of times (Python's `re` backtracks, and an unbounded `[\\w.]+@` is quadratic on
a long token without `@`).

Masked: e-mail addresses, also spelled out (`jean(at)gmail.com`, `jean [at] gmail [dot] com`,
`jean arobase gmail point com`); French phone numbers however grouped (`06 12 34 56 78`,
`06/12/34/56/78`, `06.12.34.56.78`, `+33 (0)6 12 34 56 78`, `0033 6…`); any other run of 9 or
more digits. Not masked: names and street addresses, which cannot be told from the question's own
words (the README says so).
"""

from __future__ import annotations

import re

MAX_TEXT = 500
"""Characters of a question kept: enough to read it, not a place to store long messages."""
MARGIN = 100
"""Characters read past the cut, so that an e-mail address or a number across it is masked."""
EMAIL_MASK = "[adresse e-mail]"
PHONE_MASK = "[numéro]"

_LOCAL = r"[\w.+-]{1,64}"
_LABEL = r"[\w-]{1,63}"
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
_AT_SPELLED = (
    rf"(?:\s{{0,3}}@\s{{0,3}}"
    rf"|\s{{0,3}}{_OPEN}\s{{0,3}}(?:at|@|arobase|arrobase)\s{{0,3}}{_CLOSE}\s{{0,3}}"
    r"|\s{1,3}(?:at|arobase|arrobase|arobas)\s{1,3})"
)
_DOT_SPELLED = (
    rf"(?:\.|\s{{0,3}}{_OPEN}\s{{0,3}}(?:dot|point|\.)\s{{0,3}}{_CLOSE}\s{{0,3}}"
    r"|\s{1,3}(?:dot|point)\s{1,3})"
)
_EMAIL = re.compile(
    # jean@gmail.com, or jean@gmail (the end of an address cut off); no space around a bare "@",
    # so that a mention ("merci @eig_bot") is not an address.
    rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL}){{0,4}}"
    # spelled out: (at), [at], « arobase », spaced « @ », with (dot), [dot], « point »
    rf"|{_LOCAL}{_AT_SPELLED}{_LABEL}(?:{_DOT_SPELLED}{_LABEL}){{1,4}}",
    re.IGNORECASE,
)
_SEPARATOR = r"[\s./-]?"
_PHONE = re.compile(
    # French numbers: +33 (0)6 12 34 56 78, 0033 6 12 34 56 78, 06/12/34/56/78, 0612345678…
    rf"(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|\b0)[1-9](?P<sep>{_SEPARATOR})\d\d(?:(?P=sep)\d\d){{3}}"
    # anything else that looks like a phone number: 9 to 20 digits, single separators between
    r"|\+?\d(?:[\s.-]?\d){8,19}"
)


def redact(text: str) -> str:
    """The question, cut to `MAX_TEXT` characters, without e-mail addresses or phone numbers."""
    window = text[: MAX_TEXT + MARGIN]
    if len(text) > len(window) and not text[len(window)].isspace():
        # The window ends inside a word: drop that part-word, which may be part of an address.
        start = window.rfind(" ", MAX_TEXT)
        if start != -1:
            window = window[:start]
    window = _EMAIL.sub(EMAIL_MASK, window)
    window = _PHONE.sub(PHONE_MASK, window)
    return " ".join(window.split())[:MAX_TEXT]
