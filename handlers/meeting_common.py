"""What the meeting handlers share: settings, permission checks, announcing a request."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Chat, Message, Update, User

from bot import texts as common_texts
from bot.context import AppContext
from bot.core.errors import NotFound
from bot.core.meeting_args import MeetingRequest
from bot.core.meetings import format_when
from bot.services import meeting_series, meetings
from bot.services.meeting_plan import MeetingConfig
from bot.texts import meetings as texts
from handlers.common import group_record, is_group, person, require_manager
from storage.records import ChatRecord


async def in_group(update: Update) -> tuple[Message, User] | None:
    """The message and its sender when the update is a group message; else tell the user."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return None
    if not is_group(message.chat):
        await message.reply_text(common_texts.GROUP_ONLY)
        return None
    return message, user


def config_of(context: AppContext) -> MeetingConfig:
    """The zone and default reminder offsets from the settings."""
    settings = context.settings
    return MeetingConfig(tz=settings.timezone, offsets=settings.reminder_offsets)


async def bound_group(session: AsyncSession, chat: Chat, context: AppContext) -> ChatRecord:
    """The group's record; NotFound when it is not bound to an organisation."""
    record = await group_record(session, chat, context)
    if record.organisation_id is None:
        raise NotFound(common_texts.NOT_BOUND)
    return record


async def managed_group(
    session: AsyncSession, chat: Chat, user: User, context: AppContext
) -> ChatRecord:
    """The bound group, if the user manages it; else the matching error."""
    record = await bound_group(session, chat, context)
    await require_manager(session, context, record, user.id)
    return record


async def announce(context: AppContext, chat: Chat, user: User, request: MeetingRequest) -> str:
    """Create the meeting (or series) the request describes; return the reply text.

    The caller replies, then kicks the sweep (schedules.sweep.kick) for the notice.
    """
    config, now = config_of(context), context.now()
    async with context.transaction() as session:
        record = await managed_group(session, chat, user, context)
        if request.when.rule is not None:
            result = await meeting_series.create_series(
                session, record, person(user), request, config, now
            )
        else:
            meeting, _ = await meetings.create_meeting(
                session, record, person(user), request, config, now
            )
    if request.when.rule is None:
        when = format_when(meeting.starts_at, config.tz, now)
        return texts.CREATED.format(id=meeting.id, kind=meeting.kind.label, when=when)
    dates = [
        texts.SERIES_DATE_LINE.format(id=m.id, when=format_when(m.starts_at, config.tz, now))
        for m in result.meetings
    ]
    return texts.SERIES_CREATED.format(
        id=result.series.id,
        kind=request.kind.label,
        rule=request.when.rule.describe(),
        dates="\n".join(dates),
    )
