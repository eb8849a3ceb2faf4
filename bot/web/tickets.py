"""Feedback tickets: what the page may record about a reply it was given, in memory only.

Every reply the web chat sends carries a random ticket. Voting "Utile" / "Pas utile" on an entry,
or noting which suggestion was tapped for a logged question, needs that ticket: nobody can vote
twice on one answer, vote for an entry they were never shown, or mark someone else's logged
question as answered. A ticket holds ids of entries and of a logged question, never who asked;
tickets live a limited time and in a bounded number.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

TICKET_SECONDS = 3600.0
"""Long enough to read an answer and come back to vote; after that the buttons say « expiré »."""
MAX_TICKETS = 50_000
"""Tickets kept at once (a few hundred bytes each); the oldest are forgotten first."""

LoggedQuestion = str
"""The question log's key of a logged question (`Recorder.record`): its tapped suggestion is
noted with it."""


@dataclass(slots=True)
class Ticket:
    """What one reply may still record."""

    entry_id: str | None
    """The entry answered: its vote buttons count for it, once."""
    question: LoggedQuestion | None
    """The logged question whose suggestions were offered: the first one tapped is noted."""
    offered: tuple[str, ...]
    """The entry ids offered as suggestions with this reply."""
    at: float


class Tickets:
    """Issues tickets and lets each one be used for what it allows, once."""

    def __init__(
        self,
        *,
        ttl: float = TICKET_SECONDS,
        capacity: int = MAX_TICKETS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.capacity = capacity
        self._clock = clock
        self._tickets: OrderedDict[str, Ticket] = OrderedDict()
        # Tokens are a keyed hash of a counter: as unguessable as random bytes without the
        # process's secret key, and no system call per reply.
        self._key = secrets.token_bytes(32)
        self._serial = itertools.count()

    def issue(
        self,
        *,
        entry_id: str | None,
        question: LoggedQuestion | None = None,
        offered: tuple[str, ...] = (),
    ) -> str | None:
        """A new ticket for a reply, or None when the reply has nothing to record."""
        if not offered:
            question = None
        if entry_id is None and question is None:
            return None
        token = self._token()
        self._tickets[token] = Ticket(entry_id, question, offered, self._clock())
        while len(self._tickets) > self.capacity:
            self._tickets.popitem(last=False)
        return token

    def _token(self) -> str:
        serial = next(self._serial).to_bytes(8, "big")
        digest = hashlib.blake2b(serial, key=self._key, digest_size=12).digest()
        return base64.urlsafe_b64encode(digest).decode()

    def _get(self, token: str) -> Ticket | None:
        ticket = self._tickets.get(token)
        if ticket is not None and self._clock() - ticket.at > self.ttl:
            del self._tickets[token]
            return None
        return ticket

    def vote(self, token: str) -> str | None:
        """The entry this ticket may vote for, once; None if unknown, expired or already used."""
        ticket = self._get(token)
        if ticket is None or ticket.entry_id is None:
            return None
        entry_id, ticket.entry_id = ticket.entry_id, None
        self._forget_if_spent(token, ticket)
        return entry_id

    def choose(self, token: str, entry_id: str) -> LoggedQuestion | None:
        """The logged question for which `entry_id` was offered, the first time; else None."""
        ticket = self._get(token)
        if ticket is None or ticket.question is None or entry_id not in ticket.offered:
            return None
        question, ticket.question = ticket.question, None
        self._forget_if_spent(token, ticket)
        return question

    def _forget_if_spent(self, token: str, ticket: Ticket) -> None:
        if ticket.entry_id is None and ticket.question is None:
            del self._tickets[token]

    def __len__(self) -> int:
        return len(self._tickets)
