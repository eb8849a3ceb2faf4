"""Which messages are meant for the bot, and the question they carry.

In a private chat every message is. In a group only commands for this bot, messages that
mention it and replies to its own messages are: the bot never answers every message of a group.
A message sent *via* a bot (an inline result someone picked) is never a question.
"""

from __future__ import annotations

from telegram import Message, MessageEntity
from telegram.constants import ChatType
from telegram.ext import filters

from bot.engine.normalize import MAX_QUERY_CHARS

MAX_QUESTION_CHARS = MAX_QUERY_CHARS
"""Characters of a message read as a question: the engine matches no more than that."""
MAX_ENTITIES = 100
"""Entities (mentions, links…) looked at: Telegram itself sends at most 100 per message."""


def is_addressed(message: Message) -> bool:
    """Whether the bot should treat `message` as written to it."""
    if message.via_bot is not None:
        return False
    if message.chat.type == ChatType.PRIVATE:
        return True
    bot = message.get_bot()
    command = _command(message)
    if command is not None:
        _, at, username = command.partition("@")
        return not at or username.lower() == bot.username.lower()
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
        return True
    units = (message.text or "")[:MAX_QUESTION_CHARS].encode("utf-16-le")
    return bool(_mention_spans(message, units))


def question_text(message: Message) -> str:
    """The message's text without the mentions of the bot, which are not part of the question.

    Only the first `MAX_QUESTION_CHARS` characters are read, and the first `MAX_ENTITIES` entities:
    a hostile message costs what a normal question costs.
    """
    text = (message.text or "")[:MAX_QUESTION_CHARS]
    # Entity offsets count UTF-16 code units: work on the text in those units, encoded once.
    units = text.encode("utf-16-le")
    for start, end in sorted(_mention_spans(message, units), reverse=True):
        units = units[:start] + b" \x00" + units[end:]
    return " ".join(units.decode("utf-16-le", errors="ignore").split())


def _command(message: Message) -> str | None:
    """The `/command@bot` word the message starts with, if it starts with a command."""
    for entity in message.entities[:MAX_ENTITIES]:
        if entity.offset != 0:
            break  # Telegram lists entities by offset: no command starts the text
        if entity.type == MessageEntity.BOT_COMMAND:
            units = (message.text or "")[:MAX_QUESTION_CHARS].encode("utf-16-le")
            return units[: 2 * entity.length].decode("utf-16-le", errors="ignore")
    return None


def _mention_spans(message: Message, units: bytes) -> list[tuple[int, int]]:
    """(start, end) in UTF-16 bytes of each mention of the bot among the first entities."""
    bot = message.get_bot()
    mention = f"@{bot.username}".lower()
    spans = []
    for entity in message.entities[:MAX_ENTITIES]:
        start, end = 2 * entity.offset, 2 * (entity.offset + entity.length)
        if end > len(units):
            continue
        if entity.type == MessageEntity.MENTION:
            named = units[start:end].decode("utf-16-le", errors="ignore").lower() == mention
        elif entity.type == MessageEntity.TEXT_MENTION:
            named = entity.user is not None and entity.user.id == bot.id
        else:
            continue
        if named:
            spans.append((start, end))
    return spans


class _Addressed(filters.MessageFilter):
    __slots__ = ()

    def filter(self, message: Message) -> bool:
        return is_addressed(message)


ADDRESSED = _Addressed(name="addressed_to_the_bot")
"""Filter: messages meant for the bot (see `is_addressed`)."""
