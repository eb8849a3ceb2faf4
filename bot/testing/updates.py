"""Updates as Telegram sends them (Bot API JSON), and the fake bot and users they come from."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from typing import Any

BOT_ID = 7000000001
TOKEN = f"{BOT_ID}:AAF4keT0kenForTests_only-abcdefghijk"
BOT_USERNAME = "eig_test_bot"
USER_ID = 4242
USER_NAME = "Camille"
GROUP_ID = -1001234567890

BOT_USER = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "EIG Bot",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}


def user(user_id: int = USER_ID, first_name: str = USER_NAME) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "fr"}


def chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": USER_NAME}
    return {"id": chat_id, "type": "supergroup", "title": "Candidats EIG"}


_message_numbers = itertools.count(1)


def message(
    text: str | None = None,
    *,
    chat_id: int = USER_ID,
    user_id: int = USER_ID,
    reply_to: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A `message` update; commands and @mentions in `text` get their entities."""
    body: dict[str, Any] = {
        "message_id": next(_message_numbers),
        "date": int(time.time()),
        "chat": chat(chat_id),
        "from": user(user_id),
        **extra,
    }
    if text is not None:
        body["text"] = text
        entities = list(_entities(text))
        if entities:
            body["entities"] = entities
    if reply_to is not None:
        body["reply_to_message"] = reply_to
    return {"message": body}


def _entities(text: str) -> Iterator[dict[str, Any]]:
    def units(s: str) -> int:
        return len(s.encode("utf-16-le")) // 2

    command = re.match(r"/[A-Za-z0-9_]+(?:@\w+)?", text)
    if command:
        yield {"type": "bot_command", "offset": 0, "length": units(command.group())}
    for mention in re.finditer(r"@\w+", text):
        if command and mention.start() < command.end():
            continue
        yield {
            "type": "mention",
            "offset": units(text[: mention.start()]),
            "length": units(mention.group()),
        }


def sticker(**kwargs: Any) -> dict[str, Any]:
    return message(
        sticker={
            "file_id": "CAACAgIAAxkBAAIBQ2",
            "file_unique_id": "AgADQ2",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        },
        **kwargs,
    )


def photo(**kwargs: Any) -> dict[str, Any]:
    size = {"file_id": "AgACAgQAAxkBAAIB", "file_unique_id": "AQADp", "width": 90, "height": 90}
    return message(photo=[size], **kwargs)


def voice(**kwargs: Any) -> dict[str, Any]:
    return message(
        voice={"file_id": "AwACAgQAAxkBAAIB", "file_unique_id": "AgADv", "duration": 3},
        **kwargs,
    )


def document(**kwargs: Any) -> dict[str, Any]:
    return message(
        document={"file_id": "BQACAgQAAxkBAAIB", "file_unique_id": "AgADd", "file_name": "cv.pdf"},
        **kwargs,
    )


def location(**kwargs: Any) -> dict[str, Any]:
    return message(location={"latitude": 48.8566, "longitude": 2.3522}, **kwargs)


def callback(
    data: str,
    *,
    sent: dict[str, Any] | None = None,
    inline_message_id: str | None = None,
    user_id: int = USER_ID,
) -> dict[str, Any]:
    """A button tap, on a message the bot sent (`sent`) or on an inline-mode message."""
    query: dict[str, Any] = {
        "id": f"cq{next(_message_numbers)}",
        "from": user(user_id),
        "chat_instance": "-81726354",
        "data": data,
    }
    if sent is not None:
        query["message"] = sent
    if inline_message_id is not None:
        query["inline_message_id"] = inline_message_id
    return {"callback_query": query}


def inline_query(text: str, *, user_id: int = USER_ID) -> dict[str, Any]:
    return {
        "inline_query": {
            "id": f"iq{next(_message_numbers)}",
            "from": user(user_id),
            "query": text,
            "offset": "",
        }
    }


def bot_message(text: str = "Réponse précédente", chat_id: int = USER_ID) -> dict[str, Any]:
    """A message the bot sent earlier (to reply to, or to tap a button on)."""
    return {
        "message_id": next(_message_numbers),
        "date": int(time.time()),
        "chat": chat(chat_id),
        "from": BOT_USER,
        "text": text,
    }
