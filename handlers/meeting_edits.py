"""/meeting_edit, /meeting_cancel, /series_edit and /series_cancel (managers, in the group).

/meeting_edit <编号> 时间 <新时间> | 地点 <新地点> | 议题 <新议题> | 提醒 <1d,1h|默认|不提醒>
/meeting_cancel <编号> [原因]
/series_edit <系列编号> 时间 <每月第一个周五 15:00> | 地点 … | 议题 … | 提醒 …
/series_cancel <系列编号>
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import AppApplication, AppContext
from bot.core.meeting_args import EditField
from bot.core.meetings import format_offset, format_when
from bot.core.recurrence import RecurrenceRule
from bot.services.meeting_plan import offsets_of
from bot.texts import meetings as texts
from handlers.common import actor, command_args, sender
from storage.records import MeetingRecord


def _what(meeting: MeetingRecord, field: EditField, context: AppContext) -> str:
    """The new value, as the reply states it."""
    if field is EditField.TIME:
        when = format_when(meeting.starts_at, context.settings.timezone, context.now())
        return f"{field.value} {when}"
    if field is EditField.PLACE:
        return f"{field.value} {meeting.place or texts.PLACE_NONE}"
    if field is EditField.AGENDA:
        return f"{field.value} {meeting.agenda or texts.AGENDA_NONE}"
    offsets = offsets_of(meeting.reminder_offsets, context.services.meetings.config)
    if not offsets:
        return texts.REMINDERS_NONE
    return texts.REMINDERS_SET.format(offsets="、".join(format_offset(o) for o in offsets))


async def cmd_meeting_edit(update: Update, context: AppContext) -> None:
    """Change a meeting's time, place, agenda or reminder offsets."""
    if (found := sender(update)) is None:
        return
    message, user = found
    meeting, field = await context.services.meetings.edit(
        actor(user, message.chat), command_args(message)
    )
    told = field in (EditField.TIME, EditField.PLACE) and meeting.notice_message_id
    reply = texts.EDITED if told else texts.EDITED_QUIET
    await message.reply_text(reply.format(id=meeting.id, what=_what(meeting, field, context)))


async def cmd_meeting_cancel(update: Update, context: AppContext) -> None:
    """Call a meeting off; those who answered are told."""
    if (found := sender(update)) is None:
        return
    message, user = found
    number = await context.services.meetings.cancel(
        actor(user, message.chat), command_args(message)
    )
    await message.reply_text(texts.CANCELLED_DONE.format(id=number))


async def cmd_series_edit(update: Update, context: AppContext) -> None:
    """Change a series and every occurrence that has not started."""
    if (found := sender(update)) is None:
        return
    message, user = found
    edited = await context.services.meetings.edit_series(
        actor(user, message.chat), command_args(message)
    )
    value = edited.value
    what = value.describe() if isinstance(value, RecurrenceRule) else value
    await message.reply_text(
        texts.SERIES_EDITED.format(
            id=edited.number, what=f"{edited.field.value} {what}", count=edited.count
        )
    )


async def cmd_series_cancel(update: Update, context: AppContext) -> None:
    """Stop a series and call off its future meetings."""
    if (found := sender(update)) is None:
        return
    message, user = found
    number, count = await context.services.meetings.cancel_series(
        actor(user, message.chat), command_args(message)
    )
    await message.reply_text(texts.SERIES_CANCELLED.format(id=number, count=count))


def setup(application: AppApplication, group: int) -> None:
    """Register this module's handlers (group only; the fallback tells private callers)."""
    in_groups = filters.ChatType.GROUPS
    for name, callback in (
        ("meeting_edit", cmd_meeting_edit),
        ("meeting_cancel", cmd_meeting_cancel),
        ("series_edit", cmd_series_edit),
        ("series_cancel", cmd_series_cancel),
    ):
        application.add_handler(CommandHandler(name, callback, in_groups), group)
