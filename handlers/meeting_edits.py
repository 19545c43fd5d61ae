"""/meeting_edit, /meeting_cancel, /series_edit and /series_cancel (managers, in the group).

/meeting_edit <编号> 时间 <新时间> | 地点 <新地点> | 议题 <新议题> | 提醒 <1d,1h|默认|不提醒>
/meeting_cancel <编号> [原因]
/series_edit <系列编号> 时间 <每月第一个周五 15:00> | 地点 … | 议题 … | 提醒 …
/series_cancel <系列编号>
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import AppContext
from bot.core.errors import InvalidInput
from bot.core.meeting_args import (
    EditField,
    EditRequest,
    parse_edit_args,
    parse_number,
    parse_rule_words,
    parse_time_words,
)
from bot.core.meetings import format_offset, format_when
from bot.core.recurrence import RecurrenceRule
from bot.services import meeting_changes as changes
from bot.services import meeting_series as series
from bot.services import meetings
from bot.services.meeting_plan import offsets_of
from bot.texts import meetings as texts
from handlers.common import command_args
from handlers.meeting_common import config_of, in_group, managed_group
from schedules.sweep import kick
from storage.records import MeetingRecord


def _what(meeting: MeetingRecord, field: EditField, context: AppContext) -> str:
    """The new value, as the reply states it."""
    config = config_of(context)
    if field is EditField.TIME:
        return f"{field.value} {format_when(meeting.starts_at, config.tz, context.now())}"
    if field is EditField.PLACE:
        return f"{field.value} {meeting.place or texts.PLACE_NONE}"
    if field is EditField.AGENDA:
        return f"{field.value} {meeting.agenda or texts.AGENDA_NONE}"
    offsets = offsets_of(meeting.reminder_offsets, config)
    if not offsets:
        return texts.REMINDERS_NONE
    return texts.REMINDERS_SET.format(offsets="、".join(format_offset(o) for o in offsets))


async def cmd_meeting_edit(update: Update, context: AppContext) -> None:
    """Change a meeting's time, place, agenda or reminder offsets."""
    if (found := await in_group(update)) is None:
        return
    message, user = found
    request = parse_edit_args(command_args(message), texts.EDIT_USAGE)
    config, now = config_of(context), context.now()
    async with context.transaction() as session:
        chat = await managed_group(session, message.chat, user, context)
        meeting = await meetings.meeting_of_chat(session, request.number, chat)
        if request.field is EditField.TIME:
            starts_at, _ = parse_time_words(request.value.split(), now, config.tz)
            meeting = await changes.change_time(session, meeting.id, starts_at, config, now)
        elif request.field is EditField.PLACE:
            meeting = await changes.change_place(session, meeting.id, request.value, config, now)
        elif request.field is EditField.AGENDA:
            meeting = await changes.change_agenda(session, meeting.id, request.value, now)
        else:
            offsets = changes.read_offsets(request.value)
            meeting = await changes.change_offsets(session, meeting.id, offsets, config, now)
    told = request.field in (EditField.TIME, EditField.PLACE) and meeting.notice_message_id
    reply = texts.EDITED if told else texts.EDITED_QUIET
    await message.reply_text(
        reply.format(id=meeting.id, what=_what(meeting, request.field, context))
    )
    kick(context)


async def cmd_meeting_cancel(update: Update, context: AppContext) -> None:
    """Call a meeting off; those who answered are told."""
    if (found := await in_group(update)) is None:
        return
    message, user = found
    parts = command_args(message).split(maxsplit=1)
    if not parts:
        raise InvalidInput(texts.CANCEL_USAGE)
    number, reason = parse_number(parts[0]), parts[1] if len(parts) > 1 else ""
    async with context.transaction() as session:
        chat = await managed_group(session, message.chat, user, context)
        meeting = await meetings.meeting_of_chat(session, number, chat)
        await changes.cancel_meeting(session, meeting.id, reason, context.now())
    await message.reply_text(texts.CANCELLED_DONE.format(id=number))
    kick(context)


def _series_value(request: EditRequest) -> str | RecurrenceRule:
    """A new rule for 时间, the text for the other fields."""
    if request.field is not EditField.TIME:
        return request.value
    words = request.value.split()
    rule, used = parse_rule_words(words)
    if used != len(words):
        raise InvalidInput(texts.SERIES_EDIT_USAGE)
    return rule


async def cmd_series_edit(update: Update, context: AppContext) -> None:
    """Change a series and every occurrence that has not started."""
    if (found := await in_group(update)) is None:
        return
    message, user = found
    request = parse_edit_args(command_args(message), texts.SERIES_EDIT_USAGE)
    value = _series_value(request)
    async with context.transaction() as session:
        chat = await managed_group(session, message.chat, user, context)
        running = await series.series_of_chat(session, request.number, chat)
        touched = await series.edit_series(
            session, running, request.field, value, config_of(context), context.now()
        )
    what = value.describe() if isinstance(value, RecurrenceRule) else value
    await message.reply_text(
        texts.SERIES_EDITED.format(
            id=request.number, what=f"{request.field.value} {what}", count=len(touched)
        )
    )
    kick(context)


async def cmd_series_cancel(update: Update, context: AppContext) -> None:
    """Stop a series and call off its future meetings."""
    if (found := await in_group(update)) is None:
        return
    message, user = found
    args = command_args(message)
    if not args:
        raise InvalidInput(texts.SERIES_CANCEL_USAGE)
    number = parse_number(args.split()[0])
    async with context.transaction() as session:
        chat = await managed_group(session, message.chat, user, context)
        running = await series.series_of_chat(session, number, chat)
        cancelled = await series.cancel_series(session, running, context.now())
    await message.reply_text(texts.SERIES_CANCELLED.format(id=number, count=len(cancelled)))
    kick(context)


def setup(application: Application, group: int) -> None:  # type: ignore[type-arg]
    """Register this module's handlers."""
    application.add_handler(CommandHandler("meeting_edit", cmd_meeting_edit), group)
    application.add_handler(CommandHandler("meeting_cancel", cmd_meeting_cancel), group)
    application.add_handler(CommandHandler("series_edit", cmd_series_edit), group)
    application.add_handler(CommandHandler("series_cancel", cmd_series_cancel), group)
