"""The web chat's conversation logic: the same engine, replies and question log as Telegram.

A question goes through `Dialogues.decide` (the page's random conversation id is the key, in
memory only, for a few minutes) and `render.render_decision`, exactly as a Telegram message does;
taps and votes reach the question log through the same `Recorder` as Telegram's, which only
queues them: no reply waits for the disk. Nothing that identifies the person (address,
conversation id) is ever passed to the log.
"""

from __future__ import annotations

from typing import Any

from bot.engine import Dialogues, Index
from bot.replies import render
from bot.replies.privacy import render_web_privacy
from bot.replies.render import ButtonAction, Reply
from bot.staff.holder import IndexHolder
from bot.staff.recorder import Recorder
from bot.web.answers import reply_json
from bot.web.tickets import LoggedQuestion, Tickets


class WebChat:
    """What the web channel shares between requests."""

    def __init__(
        self,
        holder: IndexHolder,
        recorder: Recorder | None,
        *,
        retention_days: int,
        dialogues: Dialogues | None = None,
        tickets: Tickets | None = None,
    ) -> None:
        self.holder = holder
        self.recorder = recorder
        """The question log's queue; None: nothing is recorded (tests of the API)."""
        self.retention_days = retention_days
        self.dialogues = Dialogues() if dialogues is None else dialogues
        self.tickets = Tickets() if tickets is None else tickets

    @property
    def index(self) -> Index:
        """The current index: read it once per request, so a reload never splits one."""
        return self.holder.index

    def welcome(self) -> dict[str, Any]:
        """The first message of the page: what the bot knows, and the topics."""
        return reply_json(
            render.render_welcome(self.index.knowledge), status="welcome", feedback=None
        )

    def privacy(self) -> Reply:
        return render_web_privacy(self.retention_days)

    async def ask(self, conversation: str | None, text: str) -> dict[str, Any]:
        """Answer a question, read after what `conversation` was last answered."""
        index = self.index
        if conversation is None:
            decision = index.decide(text)
        else:
            decision = self.dialogues.decide(index, conversation, text)
        key = self.recorder.record(decision) if self.recorder is not None else None
        reply = render.render_decision(decision, index.knowledge)
        question: LoggedQuestion | None = None
        offered: tuple[str, ...] = ()
        if decision.status == "suggest":  # the logged question's key notes the suggestion tapped
            question = key
            offered = tuple(b.target for b in reply.buttons if b.action == "entry")
        feedback = self.tickets.issue(entry_id=reply.entry_id, question=question, offered=offered)
        return reply_json(reply, status=decision.status, feedback=feedback)

    async def open(
        self, conversation: str | None, action: ButtonAction, target: str, feedback: str | None
    ) -> dict[str, Any] | None:
        """What a tapped button opens (an entry, a topic's questions); None when it is gone.

        A suggestion tapped with its reply's ticket is noted for that logged question, once.
        """
        reply = render.render_target(action, target, self.index.knowledge)
        if reply is None:
            return None
        if action == "entry":
            question = self.tickets.choose(feedback, target) if feedback else None
            if question is not None and self.recorder is not None:
                self.recorder.record_choice(question, target)
            if conversation is not None:
                self.dialogues.remember(conversation, [target])
        status = "answer" if reply.entry_id is not None else "topic"
        return reply_json(
            reply, status=status, feedback=self.tickets.issue(entry_id=reply.entry_id)
        )

    async def vote(self, feedback: str, *, useful: bool) -> str | None:
        """Count an "Utile" / "Pas utile" vote; the thanks, or None when the ticket cannot vote."""
        entry_id = self.tickets.vote(feedback)
        if entry_id is None:
            return None
        if self.recorder is not None:
            self.recorder.record_vote(entry_id, useful=useful)
        return render.vote_thanks_notice(useful=useful)
