"""/meeting, /meetings and /meeting_info: announce meetings and see who is coming.

Edits and cancellations are in meeting_edits.py, buttons and reason replies in
meeting_buttons.py, the guided /meeting flow in meeting_flow.py; `setup` registers all.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import Forbidden
from telegram.ext import CommandHandler

from bot.context import AppApplication, AppContext
from bot.core.meetings import format_when
from bot.services import meetings
from bot.services.meeting_views import render_announced
from bot.texts import meetings as texts
from handlers import meeting_buttons, meeting_edits, meeting_flow
from handlers.common import actor, command_args, sender
from handlers.drafts import GuidedFlow


async def cmd_meeting(update: Update, context: AppContext) -> None:
    """A manager announces a meeting with arguments (meeting_flow takes it without)."""
    if (found := sender(update)) is None:
        return
    message, user = found
    result = await context.services.meetings.announce(
        actor(user, message.chat), command_args(message)
    )
    await message.reply_text(render_announced(result, context.settings.timezone, context.now()))


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
    if (found := sender(update)) is None:
        return
    message, user = found
    upcoming = await context.services.meetings.upcoming(actor(user, message.chat))
    if not upcoming.listed:
        await message.reply_text(texts.LIST_EMPTY)
        return
    header = texts.LIST_HEADER_GROUP if upcoming.in_group else texts.LIST_HEADER_MINE
    lines = [_list_line(item, context) for item in upcoming.listed]
    await message.reply_text("\n".join([header, *lines]))


async def cmd_meeting_info(update: Update, context: AppContext) -> None:
    """Attendance of one meeting: counts for members; names and reasons to managers, privately."""
    if (found := sender(update)) is None:
        return
    message, user = found
    here = actor(user, message.chat)
    info = await context.services.meetings.info(here, command_args(message))
    if not (info.full and here.place.is_group):
        await message.reply_text(info.text, parse_mode=ParseMode.HTML)
        return
    # Names and reasons are personal: managers get them privately, never in the group.
    sent = info.can_dm and await _send_privately(context, user.id, info.text)
    await message.reply_text(texts.INFO_SENT_PRIVATELY if sent else texts.INFO_START_FIRST)


async def _send_privately(context: AppContext, user_id: int, text: str) -> bool:
    """Message the user; False when they have not started the bot or blocked it."""
    try:
        await context.bot.send_message(user_id, text, parse_mode=ParseMode.HTML)
    except Forbidden:
        return False
    return True


def setup(application: AppApplication, group: int) -> GuidedFlow[Any]:
    """Register the meeting commands, buttons, replies and flow; return the flow."""
    flow = meeting_flow.setup(application, group)  # first: it takes /meeting without arguments
    application.add_handler(CommandHandler("meeting", cmd_meeting), group)
    application.add_handler(CommandHandler("meetings", cmd_meetings), group)
    application.add_handler(CommandHandler("meeting_info", cmd_meeting_info), group)
    meeting_edits.setup(application, group)
    meeting_buttons.setup(application, group)
    return flow
