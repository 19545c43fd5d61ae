"""/meeting, /meetings and /meeting_info: announce meetings and see who is coming.

Edits and cancellations are in meeting_edits.py, buttons and reason replies in
meeting_buttons.py, the guided /meeting flow in meeting_flow.py; `setup` registers all,
and the outbox senders of bot/services/meeting_senders.py.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.constants import ParseMode
from telegram.error import Forbidden
from telegram.ext import Application, CommandHandler

from bot.commands import Who
from bot.context import AppContext
from bot.core.errors import NotFound
from bot.core.meeting_args import parse_meeting_args, parse_number
from bot.core.meetings import MeetingType, format_when
from bot.services import meeting_senders, meetings
from bot.services.meeting_plan import MeetingConfig
from bot.services.meeting_views import render_attendance
from bot.texts import meetings as texts
from handlers import meeting_buttons, meeting_edits, meeting_flow
from handlers.common import access_level, command_args, is_group
from handlers.meeting_common import announce, bound_group, config_of, in_group, managed_group
from schedules.sweep import kick
from storage.records import MeetingRecord
from storage.repositories import ChatRepo, MemberRepo, UserRepo


async def cmd_meeting(update: Update, context: AppContext) -> None:
    """A manager announces a meeting: with arguments at once, without them step by step."""
    if (found := await in_group(update)) is None:
        return
    message, user = found
    async with context.transaction() as session:
        await managed_group(session, message.chat, user, context)
    # Without arguments meeting_flow's handler answers first; this one reads them.
    request = parse_meeting_args(command_args(message), context.now(), context.settings.timezone)
    await message.reply_text(await announce(context, message.chat, user, request))
    kick(context)  # the notice goes out now, after the confirmation


def _list_line(item: meetings.Listed, context: AppContext) -> str:
    meeting = item.meeting
    return texts.LIST_LINE.format(
        id=meeting.id,
        kind=meeting.kind.label,
        when=format_when(meeting.starts_at, context.settings.timezone, context.now()),
        place=meeting.place or texts.PLACE_NONE,
        yes=item.yes,
        leave=item.leave,
        none=item.none,
        series=texts.LIST_SERIES.format(id=meeting.series_id) if meeting.series_id else "",
    )


async def cmd_meetings(update: Update, context: AppContext) -> None:
    """Upcoming meetings of the group's organisation (privately: of the caller's)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    async with context.transaction() as session:
        if is_group(message.chat):
            chat = await bound_group(session, message.chat, context)
            assert chat.organisation_id is not None
            org_ids, header = [chat.organisation_id], texts.LIST_HEADER_GROUP
        else:
            org_ids = [m.organisation_id for m in await MemberRepo(session).of_user(user.id)]
            header = texts.LIST_HEADER_MINE
        listed = await meetings.upcoming(session, org_ids, context.now()) if org_ids else []
    if not listed:
        await message.reply_text(texts.LIST_EMPTY)
        return
    await message.reply_text("\n".join([header, *(_list_line(item, context) for item in listed)]))


async def _private_access(
    session: AsyncSession, context: AppContext, meeting: MeetingRecord, user_id: int
) -> Who:
    """What a caller may see of a meeting asked about privately; NotFound for strangers."""
    chat = await ChatRepo(session).get(meeting.chat_telegram_id)
    level = await access_level(session, context, chat, user_id)
    if level is Who.EVERYONE:
        member = await MemberRepo(session).get(meeting.organisation_id, user_id)
        if member is None or not member.active:
            raise NotFound(texts.NOT_FOUND.format(id=meeting.id))
    return level


async def _attendance_text(
    session: AsyncSession, context: AppContext, meeting: MeetingRecord, *, full: bool
) -> str:
    view = await meetings.notice_view(session, meeting, config_of(context), context.now())
    quorum = None
    if full and meeting.kind is MeetingType.ASSEMBLY:
        quorum = (await meetings.attendance(session, meeting)).quorum
    return render_attendance(view, quorum, full=full)


async def cmd_meeting_info(update: Update, context: AppContext) -> None:
    """Attendance of one meeting: counts for members; names and reasons to managers, privately."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    args = command_args(message)
    if not args:
        await message.reply_text(texts.INFO_USAGE)
        return
    number, group_chat = parse_number(args.split()[0]), is_group(message.chat)
    async with context.transaction() as session:
        if group_chat:
            chat = await bound_group(session, message.chat, context)
            meeting = await meetings.meeting_of_chat(session, number, chat)
            level = await access_level(session, context, chat, user.id)
        else:
            meeting = await meetings.get_meeting(session, number)
            level = await _private_access(session, context, meeting, user.id)
        full = level is not Who.EVERYONE
        text = await _attendance_text(session, context, meeting, full=full)
        caller = await UserRepo(session).get(user.id)
    if not (full and group_chat):
        await message.reply_text(text, parse_mode=ParseMode.HTML)
        return
    # Names and reasons are personal: managers get them privately, never in the group.
    sent = caller is not None and caller.can_dm and await _send_privately(context, user.id, text)
    await message.reply_text(texts.INFO_SENT_PRIVATELY if sent else texts.INFO_START_FIRST)


async def _send_privately(context: AppContext, user_id: int, text: str) -> bool:
    """Message the user; False when they have not started the bot or blocked it."""
    try:
        await context.bot.send_message(user_id, text, parse_mode=ParseMode.HTML)
    except Forbidden:
        return False
    return True


def setup(application: Application, group: int) -> None:  # type: ignore[type-arg]
    """Register the meeting commands, buttons, replies, flow and outbox senders."""
    settings = application.bot_data.runtime.settings
    config = MeetingConfig(tz=settings.timezone, offsets=settings.reminder_offsets)
    meeting_senders.register(application.bot_data.runtime.senders, config)
    meeting_flow.setup(application, group)  # first: it takes /meeting without arguments
    application.add_handler(CommandHandler("meeting", cmd_meeting), group)
    application.add_handler(CommandHandler("meetings", cmd_meetings), group)
    application.add_handler(CommandHandler("meeting_info", cmd_meeting_info), group)
    meeting_edits.setup(application, group)
    meeting_buttons.setup(application, group)
