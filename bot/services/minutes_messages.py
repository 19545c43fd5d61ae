"""What a meeting's record delivery says when check-in closes: the drafted record, privately
to the organiser and the organisation's managers, and briefly in the group for those of them
who cannot be messaged privately.

Both messages start with the record mark (bot/texts/minutes.py): a reply to either is a
manager adding to the record; the 完成 button under them closes the version.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.meetings import format_when, mention_html
from bot.services import meeting_plan
from bot.services.meeting_plan import MeetingConfig
from bot.services.minutes import RECORD_PRIVATE, ensure_draft, recipients, view
from bot.services.minutes_render import render_text
from bot.services.outbox import DeliveryKind, Skip, composed_in_transaction
from bot.services.outgoing import Button, Keyboard, Outgoing, Text, keyboard
from bot.texts import minutes as texts
from storage.db import Database
from storage.records import DeliveryRecord, MeetingRecord
from storage.repositories import DeliveryRepo
from storage.repositories.meetings import MeetingRepo


def done_keyboard(meeting_id: int) -> Keyboard:
    """The 完成 button under a draft (callback `rec:done:<meeting>`)."""
    return keyboard([Button(texts.BUTTON_DONE, f"rec:done:{meeting_id}")])


async def _meeting(session: AsyncSession, delivery: DeliveryRecord) -> MeetingRecord:
    """The meeting, if its record is still wanted: not cancelled, the planned version."""
    meeting = await MeetingRepo(session).get(int(delivery.payload["meeting"]))
    if meeting is None or meeting.cancelled:
        raise Skip
    if delivery.payload.get("version", meeting.version) != meeting.version:
        raise Skip
    return meeting


async def draft(
    session: AsyncSession, delivery: DeliveryRecord, now: datetime, config: MeetingConfig
) -> Outgoing | None:
    """Draft the record; queue a private copy for each manager who can be messaged, and
    post a brief note in the group for those who cannot."""
    meeting = await _meeting(session, delivery)
    await ensure_draft(session, meeting, now)
    people = await recipients(session, meeting)
    reachable = [p for p in people if p.can_dm]
    unreachable = [p for p in people if not p.can_dm]
    repo = DeliveryRepo(session)
    for person in reachable:
        await repo.enqueue(
            key=f"{delivery.key}:dm:{person.user_id}",
            kind=RECORD_PRIVATE,
            chat_id=person.user_id,
            due_at=now,
            now=now,
            payload=delivery.payload,
        )
    if not unreachable:
        return None  # the private copies carry the draft
    # Those who cannot be messaged privately are told briefly in the group (no names of
    # members on leave, no reasons), mentioned so that they notice.
    text = texts.DRAFT_GROUP.format(
        id=meeting.id,
        kind=meeting.kind.label,
        when=format_when(meeting.starts_at, config.tz, now),
        mentions=" ".join(mention_html(person) for person in unreachable),
    )
    return Text(text, keyboard=done_keyboard(meeting.id), reply_to=meeting.notice_message_id)


async def private_draft(
    session: AsyncSession, delivery: DeliveryRecord, now: datetime, config: MeetingConfig
) -> Outgoing:
    """The drafted record to one manager, unless someone completed it meanwhile."""
    meeting = await _meeting(session, delivery)
    record = await ensure_draft(session, meeting, now)
    if record.done:
        raise Skip
    shown = await view(session, meeting, record, config.tz)
    return Text(render_text(shown, how_to_reply=True), keyboard=done_keyboard(meeting.id))


def delivery_kinds(database: Database, config: MeetingConfig) -> dict[str, DeliveryKind]:
    """The record's delivery kinds."""

    async def group(session: AsyncSession, d: DeliveryRecord, now: datetime) -> Outgoing | None:
        return await draft(session, d, now, config)

    async def private(session: AsyncSession, d: DeliveryRecord, now: datetime) -> Outgoing:
        return await private_draft(session, d, now, config)

    return {
        meeting_plan.RECORD: composed_in_transaction(database, group),
        RECORD_PRIVATE: composed_in_transaction(database, private),
    }
