"""Put a rendered `Reply` on the wire: buttons, long text split in parts.

HTML and no link previews are the application's `Defaults` (`bot.telegram_bot.app`).

Retries and flood limits are not here: every call goes through `bot.telegram_bot.throttle.Throttle`.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    ReplyParameters,
)
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.replies import render
from bot.replies.render import Button, Reply
from bot.telegram_bot import callbacks
from bot.telegram_bot.inline import InlineItem
from bot.telegram_bot.splitting import split_html


def keyboard(
    buttons: Sequence[Button],
    *,
    key: bytes,
    place: str,
    votes_for: str | None = None,
    choice_key: str | None = None,
) -> InlineKeyboardMarkup | None:
    """One button per row (labels are questions, they need the width); None without buttons.

    `votes_for` adds the "Utile" / "Pas utile" row for that entry id. `choice_key` is set for
    the suggestions offered after a logged question: their taps then note which one was chosen.
    Buttons that record something are signed with `key` for `place` (see `callbacks`).
    """
    rows = [
        [
            InlineKeyboardButton(
                b.label,
                callback_data=(
                    callbacks.encode_choice(choice_key, b.target, key=key, place=place)
                    if choice_key is not None and b.action == "entry"
                    else callbacks.encode(b)
                ),
            )
        ]
        for b in buttons
    ]
    if votes_for is not None:
        useful, not_useful = render.VOTE_LABELS
        rows.append(
            [
                InlineKeyboardButton(
                    label,
                    callback_data=callbacks.encode_vote(
                        votes_for, useful=verdict, key=key, place=place
                    ),
                )
                for label, verdict in ((useful, True), (not_useful, False))
            ]
        )
    return InlineKeyboardMarkup(rows) if rows else None


async def send(
    bot: Bot,
    chat_id: int,
    reply: Reply,
    *,
    quote: int | None = None,
    choice_key: str | None = None,
) -> None:
    """Send `reply` to a chat, in several messages if it is long; buttons go under the last one.

    `quote` is the id of the message answered, quoted in groups so that people see who asked.
    An entry's answer gets the "Utile" / "Pas utile" buttons; `choice_key` (a logged question)
    makes suggestion buttons note which one is tapped.
    """
    parts = split_html(reply.html)
    markup = keyboard(
        reply.buttons,
        key=callbacks.signing_key(bot.token),
        place=str(chat_id),
        votes_for=reply.entry_id,
        choice_key=choice_key,
    )
    for number, part in enumerate(parts, start=1):
        await bot.send_message(
            chat_id,
            part,
            reply_markup=markup if number == len(parts) else None,
            reply_parameters=(
                ReplyParameters(quote, allow_sending_without_reply=True)
                if quote is not None and number == 1
                else None
            ),
        )


async def answer(message: Message, reply: Reply, *, choice_key: str | None = None) -> None:
    """Reply to a user's message: quoted in groups, plain in a private chat."""
    quote = None if message.chat.type == ChatType.PRIVATE else message.message_id
    await send(message.get_bot(), message.chat.id, reply, quote=quote, choice_key=choice_key)


async def edit_inline(bot: Bot, inline_message_id: str, reply: Reply) -> None:
    """Turn a message sent in inline mode into `reply` (only its first part if it is long)."""
    try:
        await bot.edit_message_text(
            split_html(reply.html)[0],
            inline_message_id=inline_message_id,
            reply_markup=keyboard(
                reply.buttons,
                key=callbacks.signing_key(bot.token),
                place=callbacks.INLINE_PLACE,
                votes_for=reply.entry_id,
            ),
        )
    except BadRequest as error:
        # Two quick taps on the same button: the message already shows this reply.
        if "not modified" not in error.message.lower():
            raise


def inline_result(item: InlineItem, key: bytes) -> InlineQueryResultArticle:
    """An inline result for `item`; picking it sends the reply (its first part if long)."""
    return InlineQueryResultArticle(
        id=item.id,
        title=item.title,
        description=item.description,
        input_message_content=InputTextMessageContent(
            split_html(item.reply.html)[0],
        ),
        reply_markup=keyboard(
            item.reply.buttons,
            key=key,
            place=callbacks.INLINE_PLACE,
            votes_for=item.reply.entry_id,
        ),
    )
