"""The notice's buttons (参加, 请假, 提醒未回复), 签到, and replies that give a 请假 reason.

Every button is checked on the server: a member answers only for themself (the query's
sender), and only managers may nudge. callback_data: `m:rsvp:<id>:y|l`, `m:ci:<id>`,
`m:nudge:<id>`.
"""

from __future__ import annotations

from telegram import CallbackQuery, ForceReply, Message, Update, User
from telegram.constants import ParseMode
from telegram.error import Forbidden
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.context import AppApplication, AppContext
from bot.core.errors import PermissionDenied
from bot.core.meetings import Attendee, Rsvp, format_when, mention_html
from bot.services import meetings
from bot.texts import meetings as texts
from handlers.common import acknowledge, actor, person
from storage.records import MeetingRecord


def _meeting_id(data: str) -> int:
    """The meeting number in `m:<action>:<id>…`."""
    return int(data.split(":")[2])


def pressed(update: Update) -> tuple[CallbackQuery, User, int] | None:
    """The query, its sender and the meeting number of a meeting button."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None:
        return None
    return query, user, _meeting_id(query.data)


async def _ask_privately(context: AppContext, meeting: MeetingRecord, user: User) -> bool:
    """Ask for the reason in the private chat; False when the user cannot be messaged."""
    text = texts.ASK_REASON_PRIVATE.format(
        kind=meeting.kind.label,
        when=format_when(meeting.starts_at, context.settings.timezone, context.now()),
        id=meeting.id,
    )
    try:
        await context.bot.send_message(user.id, text, reply_markup=ForceReply())
    except Forbidden:
        await context.services.chats.private_closed(user.id)
        return False
    return True


async def ask_reason(
    context: AppContext, meeting: MeetingRecord, user: User, member: Attendee
) -> None:
    """Ask a member on leave why: privately where possible, else in the group as a reply.

    The prompt starts with the meeting number, so a reply to it is all the bot needs.
    """
    if member.can_dm and await _ask_privately(context, meeting, user):
        return
    await context.bot.send_message(
        meeting.chat_telegram_id,
        texts.ASK_REASON_GROUP.format(mention=mention_html(member), id=meeting.id),
        parse_mode=ParseMode.HTML,
        reply_markup=ForceReply(selective=True),
    )


async def cb_rsvp(update: Update, context: AppContext) -> None:
    """参加 or 请假, for the person who pressed it; 请假 then asks for the reason."""
    if (found := pressed(update)) is None:
        return
    query, user, meeting_id = found
    rsvp = Rsvp.YES if (query.data or "").endswith(":y") else Rsvp.LEAVE
    answered = await context.services.meetings.answer(person(user), meeting_id, rsvp)
    if rsvp is Rsvp.YES:
        same = texts.ANSWERED_SAME.format(rsvp=rsvp.label)
        await acknowledge(query, texts.ANSWERED_YES if answered.outcome.changed else same)
        return
    await acknowledge(query, texts.ANSWERED_LEAVE)  # first: the reason prompt may wait for a slot
    await ask_reason(context, answered.outcome.meeting, user, answered.member)


async def cb_check_in(update: Update, context: AppContext) -> None:
    """签到 for the person who pressed it, within the window."""
    if (found := pressed(update)) is None:
        return
    query, user, meeting_id = found
    new = await context.services.meetings.check_in(person(user), meeting_id)
    await acknowledge(query, texts.CHECKED_IN if new else texts.CHECKED_IN_ALREADY)


async def cb_nudge(update: Update, context: AppContext) -> None:
    """提醒未回复: a manager reminds the non-responders now."""
    if (found := pressed(update)) is None:
        return
    query, user, meeting_id = found
    if query.message is None:
        return
    here = actor(user, query.message.chat)
    try:
        reply = await context.services.meetings.nudge(here, meeting_id)
    except PermissionDenied:
        raise PermissionDenied(texts.MANAGERS_ONLY) from None  # short: an alert
    await acknowledge(query, reply)


class _ReplyToPrompt(filters.MessageFilter):
    """A text reply to one of the bot's messages that starts with `mark`."""

    def __init__(self, mark: str) -> None:
        super().__init__(name=f"reply_to_prompt({mark})")
        self._mark = mark

    def filter(self, message: Message) -> bool:
        """True for replies to our prompts."""
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or not replied.from_user.is_bot:
            return False
        return (replied.text or "").startswith(self._mark)


async def on_reason(update: Update, context: AppContext) -> None:
    """A reply to a reason prompt: the reason of that person's 请假."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.reply_to_message is None:
        return
    meeting_id = meetings.prompt_meeting_id(message.reply_to_message.text or "")
    if meeting_id is None:
        return
    if await context.services.meetings.save_reason(person(user), meeting_id, message.text or ""):
        await message.reply_text(texts.REASON_SAVED)


def setup(application: AppApplication, group: int) -> None:
    """Register this module's handlers."""
    application.add_handler(CallbackQueryHandler(cb_rsvp, pattern=r"^m:rsvp:\d{1,9}:[yl]$"), group)
    application.add_handler(CallbackQueryHandler(cb_check_in, pattern=r"^m:ci:\d{1,9}$"), group)
    application.add_handler(CallbackQueryHandler(cb_nudge, pattern=r"^m:nudge:\d{1,9}$"), group)
    replies = filters.TEXT & ~filters.COMMAND & _ReplyToPrompt(texts.REASON_MARK)
    application.add_handler(MessageHandler(replies, on_reason), group)
