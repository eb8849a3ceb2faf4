"""What users tell the bot back: decisions, tapped suggestions and votes, to the question log.

Every record goes to `bot.staff.recorder.Recorder`, which only queues it: the disk never holds up
a reply, and a failing log never costs the user an answer. Without a recorder
(`BotData.recorder` is None, as in tests of the Telegram layer) nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Hashable

from telegram import CallbackQuery, Update

from bot.engine import Decision
from bot.replies import render
from bot.telegram_bot import callbacks, texts
from bot.telegram_bot.context import BotContext


def record_decision(context: BotContext, decision: Decision) -> str | None:
    """Queue the record of the engine's decision; for a suggestion, the key its buttons carry."""
    recorder = context.bot_data.recorder
    return recorder.record(decision) if recorder is not None else None


def record_choice(context: BotContext, choice: callbacks.Choice) -> None:
    """Queue the note of which suggestion was tapped."""
    recorder = context.bot_data.recorder
    if recorder is not None:
        recorder.record_choice(choice.key, choice.entry_id)


def place_of(query: CallbackQuery) -> tuple[str, Hashable | None]:
    """The `place` a tapped button was signed for, and the message it is on (None if unknown)."""
    if query.message is not None:
        chat_id = query.message.chat.id
        return str(chat_id), (chat_id, query.message.message_id)
    if query.inline_message_id is not None:
        return callbacks.INLINE_PLACE, query.inline_message_id
    return "", None


async def vote(update: Update, context: BotContext) -> None:
    """Count an "Utile" / "Pas utile" vote for the entry (once per message) and thank the user."""
    query = update.callback_query
    if query is None:
        return
    place, message = place_of(query)
    key = callbacks.signing_key(context.bot.token)
    tapped = callbacks.decode_vote(query.data, key=key, place=place)
    if tapped is None or message is None:
        await query.answer(texts.stale_button_notice())
        return
    if not context.bot_data.votes.first_vote(message):
        await query.answer(texts.already_voted_notice())
        return
    recorder = context.bot_data.recorder
    if recorder is not None:
        recorder.record_vote(tapped.entry_id, useful=tapped.useful)
    await query.answer(render.vote_thanks_notice(useful=tapped.useful))
