"""The terminal channel: a chat with the engine in a shell, replies as plain text."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from bot.engine import Dialogues, Index
from bot.replies import render
from bot.staff.holder import IndexHolder
from bot.staff.reload import reload, snapshot

QUIT_WORDS = frozenset({"quit", "exit", "q", "quitter", "/quit"})
HELP_COMMANDS = frozenset({"/aide", "/help"})
"""The bot's help commands on Telegram, which staff try here too."""
TERMINAL = "terminal"
"""The one conversation of a terminal chat."""


def print_reply(reply: render.Reply, out: TextIO) -> None:
    """A reply's plain text, then its buttons as numbered choices."""
    print(reply.plain, file=out)
    for number, button in enumerate(reply.buttons, start=1):
        print(f"  [{number}] {button.label}", file=out)


def chat(index: Index, stdin: TextIO, out: TextIO, knowledge_dir: Path | None = None) -> None:
    """A conversation in the terminal with the bot's engine and wording. With `knowledge_dir`,
    an edit of the folder saved between two messages is loaded before the next answer, as the
    bot in service does (a staff member tries an edit here), and its outcome printed."""
    holder = IndexHolder(index)
    seen = snapshot(knowledge_dir) if knowledge_dir is not None else None
    knowledge = index.knowledge
    dialogues = Dialogues()
    welcome = render.render_welcome(knowledge)
    print_reply(welcome, out)
    print("(Tapez votre question, le numéro d'un choix, ou « quit » pour sortir.)", file=out)
    buttons = welcome.buttons
    while True:
        print("\n> ", end="", file=out, flush=True)
        line = stdin.readline()
        if not line:
            break
        text = line.strip()
        if text.lower() in QUIT_WORDS:
            break
        current = snapshot(knowledge_dir) if knowledge_dir is not None else None
        if knowledge_dir is not None and current != seen:
            seen = current
            print("\n".join(reload(holder, knowledge_dir).lines()), file=out)
            index, knowledge = holder.index, holder.index.knowledge
        reply: render.Reply | None
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            button = buttons[int(text) - 1]
            reply = render.render_target(button.action, button.target, knowledge)
            if button.action == "entry":
                dialogues.remember(TERMINAL, [button.target])
        elif not text or text.lower() in HELP_COMMANDS:
            reply = render.render_help(knowledge)
        else:
            reply = render.render_decision(dialogues.decide(index, TERMINAL, text), knowledge)
        if reply is None:
            reply = render.render_fallback(knowledge)
        print_reply(reply, out)
        buttons = reply.buttons
    print("Au revoir !", file=out)
