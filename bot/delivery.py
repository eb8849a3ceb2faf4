"""Put a rendered `Reply` on the wire: HTML, no link previews, buttons, long text split in parts.

Retries and flood limits are not here: every call goes through `bot.throttle.Throttle`.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest

from bot import callbacks
from bot.inline import InlineItem
from bot.render import Button, Reply
from bot.splitting import split_html

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """One button per row (labels are questions, they need the width); None without buttons."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=callbacks.encode(b))] for b in buttons]
    )


async def send(bot: Bot, chat_id: int, reply: Reply, *, quote: int | None = None) -> None:
    """Send `reply` to a chat, in several messages if it is long; buttons go under the last one.

    `quote` is the id of the message answered, quoted in groups so that people see who asked.
    """
    parts = split_html(reply.html)
    for number, part in enumerate(parts, start=1):
        await bot.send_message(
            chat_id,
            part,
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            reply_markup=keyboard(reply.buttons) if number == len(parts) else None,
            reply_parameters=(
                ReplyParameters(quote, allow_sending_without_reply=True)
                if quote is not None and number == 1
                else None
            ),
        )


async def answer(message: Message, reply: Reply) -> None:
    """Reply to a user's message: quoted in groups, plain in a private chat."""
    quote = None if message.chat.type == ChatType.PRIVATE else message.message_id
    await send(message.get_bot(), message.chat.id, reply, quote=quote)


async def edit_inline(bot: Bot, inline_message_id: str, reply: Reply) -> None:
    """Turn a message sent in inline mode into `reply` (only its first part if it is long)."""
    try:
        await bot.edit_message_text(
            split_html(reply.html)[0],
            inline_message_id=inline_message_id,
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            reply_markup=keyboard(reply.buttons),
        )
    except BadRequest as error:
        # Two quick taps on the same button: the message already shows this reply.
        if "not modified" not in error.message.lower():
            raise


def inline_result(item: InlineItem) -> InlineQueryResultArticle:
    """An inline result for `item`; picking it sends the reply (its first part if long)."""
    return InlineQueryResultArticle(
        id=item.id,
        title=item.title,
        description=item.description,
        input_message_content=InputTextMessageContent(
            split_html(item.reply.html)[0],
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
        ),
        reply_markup=keyboard(item.reply.buttons),
    )
