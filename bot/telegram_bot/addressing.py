"""Which messages are meant for the bot, and the question they carry.

In a private chat every message is. In a group only commands for this bot, messages that
mention it and replies to its own messages are: the bot never answers every message of a group.
A message sent *via* a bot (an inline result someone picked) is never a question.
"""

from __future__ import annotations

from telegram import Message, MessageEntity
from telegram.constants import ChatType
from telegram.ext import filters


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
    return bool(_mentions_of_bot(message))


def question_text(message: Message) -> str:
    """The message's text without the mentions of the bot, which are not part of the question."""
    text = message.text or ""
    for entity in sorted(_mentions_of_bot(message), key=lambda e: e.offset, reverse=True):
        # Entity offsets count UTF-16 code units; slice the text in the same units.
        units = text.encode("utf-16-le")
        start, end = 2 * entity.offset, 2 * (entity.offset + entity.length)
        text = (units[:start] + b" \x00" + units[end:]).decode("utf-16-le")
    return " ".join(text.split())


def _command(message: Message) -> str | None:
    """The `/command@bot` word the message starts with, if it starts with a command."""
    for entity in message.entities:
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            return message.parse_entity(entity)
    return None


def _mentions_of_bot(message: Message) -> list[MessageEntity]:
    bot = message.get_bot()
    mention = f"@{bot.username}".lower()
    return [
        entity
        for entity, text in message.parse_entities(
            [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
        ).items()
        if text.lower() == mention or (entity.user is not None and entity.user.id == bot.id)
    ]


class _Addressed(filters.MessageFilter):
    __slots__ = ()

    def filter(self, message: Message) -> bool:
        return is_addressed(message)


ADDRESSED = _Addressed(name="addressed_to_the_bot")
"""Filter: messages meant for the bot (see `is_addressed`)."""
