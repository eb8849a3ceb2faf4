"""The terminal channel: a chat with the engine in a shell, replies as plain text."""

from __future__ import annotations

from typing import TextIO

from bot.engine import Dialogues, Index
from bot.replies import render

QUIT_WORDS = frozenset({"quit", "exit", "q", "quitter", "/quit"})
TERMINAL = "terminal"
"""The one conversation of a terminal chat."""


def print_reply(reply: render.Reply, out: TextIO) -> None:
    """A reply's plain text, then its buttons as numbered choices."""
    print(reply.plain, file=out)
    for number, button in enumerate(reply.buttons, start=1):
        print(f"  [{number}] {button.label}", file=out)


def chat(index: Index, stdin: TextIO, out: TextIO) -> None:
    """A conversation in the terminal with the bot's engine and wording."""
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
        reply: render.Reply | None
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            button = buttons[int(text) - 1]
            reply = render.render_target(button.action, button.target, knowledge)
            if button.action == "entry":
                dialogues.remember(TERMINAL, [button.target])
        elif not text:
            reply = render.render_help(knowledge)
        else:
            reply = render.render_decision(dialogues.decide(index, TERMINAL, text), knowledge)
        if reply is None:
            reply = render.render_fallback(knowledge)
        print_reply(reply, out)
        buttons = reply.buttons
    print("Au revoir !", file=out)
