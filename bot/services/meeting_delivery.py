"""What every meeting sender shares: the delivery's context and how messages go out.

Group messages are HTML replies to the live notice; private ones clear `can_dm` when the
person blocked the bot; fan-outs queue private copies as deliveries of their own
(`<key>:dm:<user>`), due at once, so each is sent (and retried) on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import Forbidden

from bot.core.meetings import Attendee, format_when
from bot.services.meeting_plan import MeetingConfig
from bot.services.outbox import Outbox, Skip
from storage.records import DeliveryRecord, MeetingRecord
from storage.repositories import DeliveryRepo, OrganisationRepo, UserRepo
from storage.repositories.meetings import MeetingRepo


@dataclass(frozen=True)
class Context:
    """One delivery being sent, with the meeting it is about."""

    outbox: Outbox
    delivery: DeliveryRecord
    config: MeetingConfig

    def meeting_id(self) -> int:
        """The meeting named in the payload."""
        return int(self.delivery.payload["meeting"])

    def when(self, meeting: MeetingRecord) -> str:
        """The meeting's start as users read it."""
        return format_when(meeting.starts_at, self.config.tz, self.outbox.clock.now())


async def live(session: AsyncSession, ctx: Context, *, versioned: bool) -> MeetingRecord:
    """The meeting if the message is still wanted: not cancelled, not started, same plan."""
    meeting = await MeetingRepo(session).get(ctx.meeting_id())
    if meeting is None or meeting.cancelled or ctx.outbox.clock.now() >= meeting.starts_at:
        raise Skip
    if versioned and ctx.delivery.payload.get("version", meeting.version) != meeting.version:
        raise Skip
    return meeting


async def send_group(
    ctx: Context, text: str, meeting: MeetingRecord, markup: InlineKeyboardMarkup | None = None
) -> int:
    """An HTML message in the group, as a reply to the notice when there is one."""
    reply = None
    if meeting.notice_message_id is not None:
        reply = ReplyParameters(meeting.notice_message_id, allow_sending_without_reply=True)
    message = await ctx.outbox.bot.send_message(
        ctx.delivery.chat_id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        reply_parameters=reply,
    )
    return message.message_id


async def send_private(ctx: Context, text: str, markup: InlineKeyboardMarkup | None = None) -> int:
    """An HTML message to a person; a person who blocked the bot is not messaged again."""
    try:
        message = await ctx.outbox.bot.send_message(
            ctx.delivery.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
        )
    except Forbidden:
        async with ctx.outbox.sessions.begin() as session:
            await UserRepo(session).set_can_dm(ctx.delivery.chat_id, False, ctx.outbox.clock.now())
        raise
    return message.message_id


async def fan_out(session: AsyncSession, ctx: Context, kind: str, people: list[Attendee]) -> None:
    """Private copies for everyone here who can be messaged, as deliveries of their own."""
    now, repo = ctx.outbox.clock.now(), DeliveryRepo(session)
    for person in people:
        if person.can_dm:
            await repo.enqueue(
                key=f"{ctx.delivery.key}:dm:{person.user_id}",
                kind=kind,
                chat_id=person.user_id,
                due_at=now,
                now=now,
                payload=ctx.delivery.payload,
                expires_at=ctx.delivery.expires_at,
            )


async def org_name(session: AsyncSession, meeting: MeetingRecord) -> str:
    """The name of the meeting's organisation."""
    organisation = await OrganisationRepo(session).get(meeting.organisation_id)
    return organisation.name if organisation else ""
