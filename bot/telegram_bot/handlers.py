"""Thin python-telegram-bot callbacks: extract the text, ask the engine, render, reply.

No answer logic lives here. Each handler reads the engine once (`context.bot_data.engine`), so
that a reload swapping the index never splits an update between two knowledge bases. Handlers
are wired in `bot.telegram_bot.app.build_application`.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError, TimedOut
from telegram.ext import ApplicationHandlerStop

from bot.replies import render
from bot.replies.privacy import render_privacy
from bot.telegram_bot import addressing, callbacks, delivery, feedback, inline, texts
from bot.telegram_bot.context import BotContext
from bot.telegram_bot.throttle import is_transient

logger = logging.getLogger(__name__)


async def guard_flood(update: Update, context: BotContext) -> None:
    """Let the update through, or warn a flooding user once and then drop their updates."""
    user = update.effective_user
    if user is None:
        return
    guard = context.bot_data.flood
    verdict = guard.check(user.id)
    if verdict == "ok":
        return
    if update.callback_query is not None:
        # Answer even an ignored tap: Telegram shows a spinner until the query is answered.
        await update.callback_query.answer(
            texts.flood_button_notice() if verdict == "warn" else None
        )
    elif verdict == "warn" and update.effective_message is not None:
        notice = texts.render_flood_notice(round(guard.limits.pause))
        await delivery.answer(update.effective_message, notice)
    raise ApplicationHandlerStop


async def start(update: Update, context: BotContext) -> None:
    """Welcome the user, or open the entry (or topic) that a deep link names."""
    knowledge = context.bot_data.engine.knowledge
    payload = context.args[0].lower() if context.args else ""
    reply = None
    if payload:
        reply = render.render_target("entry", payload, knowledge) or render.render_target(
            "topic", payload, knowledge
        )
    if reply is not None and reply.entry_id is not None:
        context.bot_data.dialogues.remember(conversation(update), [reply.entry_id])
    await _reply(update, reply or render.render_welcome(knowledge))


async def help_command(update: Update, context: BotContext) -> None:
    """Explain how to ask a question."""
    await _reply(update, render.render_help(context.bot_data.engine.knowledge))


async def defis(update: Update, context: BotContext) -> None:
    """List the défis as buttons."""
    await _reply(update, render.render_defis(context.bot_data.engine.knowledge))


async def faq(update: Update, context: BotContext) -> None:
    """List the topics; each button lists that topic's questions."""
    await _reply(update, render.render_faq(context.bot_data.engine.knowledge))


async def contact(update: Update, context: BotContext) -> None:
    """Tell how to reach the programme's team."""
    await _reply(update, render.render_contact(context.bot_data.engine.knowledge))


async def question(update: Update, context: BotContext) -> None:
    """Answer a free-text question with the engine's decision."""
    index = context.bot_data.engine
    text = addressing.question_text(update.effective_message) if update.effective_message else ""
    if not text:
        await _reply(update, render.render_help(index.knowledge))
        return
    decision = context.bot_data.dialogues.decide(index, conversation(update), text)
    # Queued, never awaited: the reply does not wait for the disk. Suggestion buttons carry the
    # key of the logged question, to note which one is tapped.
    choice_key = feedback.record_decision(context, decision)
    reply = render.render_decision(decision, index.knowledge)
    if update.effective_message is not None:
        await delivery.answer(update.effective_message, reply, choice_key=choice_key)


async def button(update: Update, context: BotContext) -> None:
    """Open what a tapped button names; answer a stale or forged button with a short notice."""
    query = update.callback_query
    if query is None:
        return
    tap = callbacks.decode(query.data)
    place, _ = feedback.place_of(query)
    key = callbacks.signing_key(context.bot.token)
    choice = callbacks.decode_choice(query.data, key=key, place=place)
    if choice is not None:  # a suggestion offered after a logged question
        tap = callbacks.Tap("entry", choice.entry_id)
    reply = (
        render.render_target(tap.action, tap.target, context.bot_data.engine.knowledge)
        if tap
        else None
    )
    if reply is None:
        await query.answer(texts.stale_button_notice())
        return
    if choice is not None:
        feedback.record_choice(context, choice)
    if tap is not None and tap.action == "entry":
        context.bot_data.dialogues.remember(conversation(update), [tap.target])
    await query.answer()
    if query.inline_message_id is not None:
        await delivery.edit_inline(context.bot, query.inline_message_id, reply)
    elif query.message is not None:
        await delivery.send(context.bot, query.message.chat.id, reply)


async def inline_query(update: Update, context: BotContext) -> None:
    """List the entries matching an inline query, or the main topics."""
    query = update.inline_query
    if query is None:
        return
    items = inline.inline_items(context.bot_data.engine, query.query)
    key = callbacks.signing_key(context.bot.token)
    await query.answer([delivery.inline_result(item, key) for item in items], cache_time=60)


async def not_text(update: Update, context: BotContext) -> None:
    """Say, once per message or album, that the bot reads written questions only."""
    message = update.effective_message
    if message is None:
        return
    if message.media_group_id is not None and context.chat_data is not None:
        if context.chat_data.get("album") == message.media_group_id:
            return
        context.chat_data["album"] = message.media_group_id
    await delivery.answer(message, texts.render_not_text())


async def unknown_command(update: Update, context: BotContext) -> None:
    """Point an unknown command towards /aide."""
    await _reply(update, texts.render_unknown_command())


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure (no user identifiers) and apologise to the user when there is a chat."""
    error = context.error
    if isinstance(update, Update):
        chat = update.effective_chat
        where = f"update {update.update_id} ({_kind(update)}, {chat.type if chat else 'no chat'})"
    else:
        chat, where = None, "no update"
    if isinstance(error, Forbidden):
        # The user blocked the bot or left the chat: nothing to send, nothing to fix.
        logger.info("Telegram refused to deliver to a chat for %s: %s", where, error.message)
        return
    if isinstance(error, TimedOut) and not is_transient(error):
        # Sent, but no answer came: Telegram may well have delivered it. An apology on top of
        # a delivered answer would only confuse; the request is not sent again either.
        logger.warning("No answer from Telegram for %s: the reply may have arrived", where)
        return
    logger.error("Handling %s failed", where, exc_info=error)
    if isinstance(update, Update) and update.callback_query is not None:
        with contextlib.suppress(TelegramError):  # it may have been answered already
            await update.callback_query.answer()  # no spinner left hanging
    if chat is None:
        return
    try:
        await delivery.send(context.bot, chat.id, render.render_apology())
    except TelegramError as apology_error:
        logger.warning("The apology for %s could not be sent either: %r", where, apology_error)


def conversation(update: Update) -> tuple[int, int]:
    """Whose follow-ups these are: the chat, and the person in it (a group has many)."""
    chat = update.effective_chat
    user = update.effective_user
    return (chat.id if chat else 0, user.id if user else 0)


async def _reply(update: Update, reply: render.Reply) -> None:
    if update.effective_message is not None:
        await delivery.answer(update.effective_message, reply)


def _kind(update: Update) -> str:
    """Which part of the update is set (message, callback_query, …), never its content."""
    for name in ("message", "callback_query", "inline_query", "edited_message"):
        if getattr(update, name) is not None:
            return name
    return "other"


async def privacy(update: Update, context: BotContext) -> None:
    """Tell what the bot stores and for how long."""
    days = context.bot_data.settings.retention_days
    await _reply(update, render_privacy(days))
