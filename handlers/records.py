"""/record, replies to a drafted record, and its 完成 button (callback `rec:done:<id>`).

A draft (sent privately, or briefly in the group) starts with the record mark and the
meeting number: a text reply to it is a manager adding 会议内容, 决议 or 记录人.
"""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import AppApplication, AppContext
from bot.core.minutes import Part
from bot.services.minutes_service import Shown
from bot.texts import minutes as texts
from handlers.common import acknowledge, actor, command_args, sender

_MARKED = re.compile("^" + re.escape(texts.MARK) + r"(\d{1,9})】")


def _done_markup(meeting_id: int) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(texts.BUTTON_DONE, callback_data=f"rec:done:{meeting_id}")
    return InlineKeyboardMarkup([[button]])


async def _send(context: AppContext, chat_id: int, shown: Shown) -> bool:
    """The record as a message and as a .docx; False when the chat cannot be messaged."""
    markup = None if shown.done else _done_markup(shown.meeting_id)
    try:
        await context.bot.send_message(
            chat_id, shown.text, parse_mode=ParseMode.HTML, reply_markup=markup
        )
        document = InputFile(shown.document, filename=shown.filename)
        await context.bot.send_document(chat_id, document, caption=shown.caption)
    except Forbidden:
        return False
    return True


async def cmd_record(update: Update, context: AppContext) -> None:
    """A manager reads a meeting's record and gets it as .docx (privately: it names people)."""
    if (found := sender(update)) is None:
        return
    message, user = found
    here = actor(user, message.chat)
    shown = await context.services.minutes.show(here, command_args(message))
    if not here.place.is_group:
        await _send(context, message.chat_id, shown)
        return
    sent = shown.can_dm and await _send(context, user.id, shown)
    reply = texts.RECORD_SENT_PRIVATELY if sent else texts.RECORD_START_FIRST
    await message.reply_text(reply.format(id=shown.meeting_id))


class _ReplyToRecord(filters.MessageFilter):
    """A text reply to one of the bot's drafted records."""

    def filter(self, message: Message) -> bool:
        """True for replies to a message of the bot that starts with the record mark."""
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or not replied.from_user.is_bot:
            return False
        return _MARKED.match(replied.text or "") is not None


async def on_record_reply(update: Update, context: AppContext) -> None:
    """A manager's reply to a draft: added to 会议内容, 决议 or 记录人."""
    if (found := sender(update)) is None or found[0].reply_to_message is None:
        return
    message, user = found
    assert message.reply_to_message is not None
    match = _MARKED.match(message.reply_to_message.text or "")
    if match is None:
        return
    meeting_id = int(match[1])
    added = await context.services.minutes.add(
        actor(user, message.chat), meeting_id, message.text or ""
    )
    first = texts.ADDED_NEW_VERSION.format(version=added.version) if added.new_version else ""
    if added.part is Part.RECORDER:
        said = texts.ADDED_RECORDER.format(name=added.text, version=added.version)
    else:
        said = texts.ADDED.format(part=added.part.label, version=added.version)
    await message.reply_text(first + said, reply_markup=_done_markup(meeting_id))


async def cb_record_done(update: Update, context: AppContext) -> None:
    """完成: a manager closes the record's newest version."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.message is None or query.data is None:
        return
    meeting_id = int(query.data.split(":")[2])
    record = await context.services.minutes.complete(actor(user, query.message.chat), meeting_id)
    if record is None:
        await acknowledge(query, texts.COMPLETED_ALREADY)
        return
    done = texts.COMPLETED.format(version=record.version, id=meeting_id)
    await acknowledge(query, done)
    await context.bot.send_message(query.message.chat.id, done)


def setup(application: AppApplication, group: int) -> None:
    """Register the record's command, replies and button."""
    application.add_handler(CommandHandler("record", cmd_record), group)
    replies = filters.TEXT & ~filters.COMMAND & _ReplyToRecord(name="reply_to_record")
    application.add_handler(MessageHandler(replies, on_record_reply), group)
    application.add_handler(
        CallbackQueryHandler(cb_record_done, pattern=r"^rec:done:\d{1,9}$"), group
    )
