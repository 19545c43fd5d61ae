"""Rendered messages (bot/services/outgoing.py) as Bot API calls, and Telegram's answers as
outbox outcomes."""

from __future__ import annotations

from datetime import timedelta

from telegram import Bot, Poll, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.services.outbox import Attempt, Outcome
from bot.services.outgoing import Copy, Edit, Outgoing, Quiz, Sent, Text
from delivery.keyboards import markup

QUIZ_QUESTION_CHARS = 300  # Telegram's limit for a poll's question


async def send(bot: Bot, chat_id: int, outgoing: Outgoing) -> Sent:
    """Make the one Bot API call that sends `outgoing` to `chat_id`."""
    match outgoing:
        case Text():
            reply = None
            if outgoing.reply_to is not None:
                reply = ReplyParameters(outgoing.reply_to, allow_sending_without_reply=True)
            message = await bot.send_message(
                chat_id,
                outgoing.text,
                parse_mode=ParseMode.HTML if outgoing.html else None,
                reply_markup=markup(outgoing.keyboard),
                reply_parameters=reply,
            )
            return Sent(message.message_id)
        case Edit():
            return await _edit(bot, chat_id, outgoing)
        case Quiz():
            message = await bot.send_poll(
                chat_id,
                outgoing.question[:QUIZ_QUESTION_CHARS],
                list(outgoing.options),
                is_anonymous=False,  # poll_answer updates only come for named polls
                type=Poll.QUIZ,
                correct_option_ids=[outgoing.correct],  # type: ignore[list-item]
            )
            assert message.poll is not None
            return Sent(message.message_id, poll_id=message.poll.id)
        case Copy():
            copied = await bot.copy_message(
                chat_id, from_chat_id=outgoing.from_chat_id, message_id=outgoing.message_id
            )
            return Sent(copied.message_id)


async def _edit(bot: Bot, chat_id: int, edit: Edit) -> Sent:
    try:
        await bot.edit_message_text(
            edit.text,
            chat_id=chat_id,
            message_id=edit.message_id,
            parse_mode=ParseMode.HTML if edit.html else None,
            reply_markup=markup(edit.keyboard),
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise
    return Sent(edit.message_id)


def classify(exc: Exception, attempts: int) -> Attempt:
    """What Telegram's refusal means for the delivery."""
    match exc:
        case RetryAfter():
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            return Attempt(Outcome.RETRY, reason="429", retry_after=timedelta(seconds=seconds))
        case ChatMigrated():
            return Attempt(Outcome.MIGRATED, new_chat_id=exc.new_chat_id)
        case Forbidden():
            return Attempt(Outcome.GONE, reason=exc.message)
        case BadRequest():
            gone = "chat not found" in exc.message.lower()
            return Attempt(Outcome.GONE if gone else Outcome.FAILED, reason=exc.message)
        case NetworkError():
            backoff = timedelta(seconds=10 * 2**attempts)
            return Attempt(Outcome.RETRY, reason=f"network: {exc}", retry_after=backoff)
    return Attempt(Outcome.FAILED, reason=f"internal error: {type(exc).__name__}")
