"""Changing meetings after the notice: time, place, agenda, reminders, cancellation, series.

A change of time or place re-plans the meeting's deliveries under a new version, edits
the live notice and tells everyone who answered (meeting_senders.send_change).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import parse_offsets
from bot.core.errors import InvalidInput
from bot.core.meeting_args import clean_agenda, clean_place, clean_reason
from bot.core.meetings import (
    format_when,
    offsets_text,
)
from bot.services import meeting_plan
from bot.services.meeting_plan import MeetingConfig
from bot.services.meetings import get_meeting
from bot.texts import meetings as texts
from storage.records import KEEP, Keep, MeetingRecord
from storage.repositories import DeliveryRepo
from storage.repositories.meetings import MeetingRepo


async def _editable(session: AsyncSession, meeting_id: int, now: datetime) -> MeetingRecord:
    meeting = await get_meeting(session, meeting_id)
    if meeting.cancelled:
        raise InvalidInput(texts.ALREADY_CANCELLED.format(id=meeting.id))
    if now >= meeting.starts_at:
        raise InvalidInput(texts.ALREADY_STARTED.format(id=meeting.id))
    return meeting


async def _announce(
    session: AsyncSession, meeting: MeetingRecord, key: str, payload: dict[str, Any], now: datetime
) -> None:
    """Tell the group (and privately, those who answered) about a change."""
    if meeting.notice_message_id is None:
        return  # nobody has seen the notice yet: nothing to correct
    await DeliveryRepo(session).enqueue(
        key=f"{meeting_plan.prefix(meeting.id)}{key}",
        kind=meeting_plan.CHANGE,
        chat_id=meeting.chat_telegram_id,
        due_at=now,
        now=now,
        payload={"meeting": meeting.id, **payload},
    )


async def _replan(
    session: AsyncSession,
    meeting: MeetingRecord,
    config: MeetingConfig,
    now: datetime,
    *,
    starts_at: datetime | Keep = KEEP,
    place: str | Keep = KEEP,
    reminder_offsets: str | Keep | None = KEEP,
) -> MeetingRecord:
    """Change what the plan depends on, under a new version: the old plan's rows go."""
    await meeting_plan.unplan(session, meeting)
    updated = await MeetingRepo(session).reschedule(
        meeting.id, now, starts_at=starts_at, place=place, reminder_offsets=reminder_offsets
    )
    await meeting_plan.plan(session, updated, config, now)
    await meeting_plan.refresh(session, updated, now)
    return updated


async def change_time(
    session: AsyncSession,
    meeting_id: int,
    starts_at: datetime,
    config: MeetingConfig,
    now: datetime,
) -> MeetingRecord:
    """Move the meeting; reminders are re-planned and those who answered are told."""
    old = await _editable(session, meeting_id, now)
    meeting = await _replan(session, old, config, now, starts_at=starts_at)
    line = texts.CHANGE_TIME.format(
        new=format_when(starts_at, config.tz, now), old=format_when(old.starts_at, config.tz, now)
    )
    await _announce(session, meeting, f"change:{meeting.version}", {"lines": [line]}, now)
    return meeting


async def change_place(
    session: AsyncSession, meeting_id: int, place: str, config: MeetingConfig, now: datetime
) -> MeetingRecord:
    """Move the meeting to another place; those who answered are told."""
    old = await _editable(session, meeting_id, now)
    meeting = await _replan(session, old, config, now, place=clean_place(place))
    line = texts.CHANGE_PLACE.format(
        new=meeting.place or texts.PLACE_NONE, old=old.place or texts.PLACE_NONE
    )
    await _announce(session, meeting, f"change:{meeting.version}", {"lines": [line]}, now)
    return meeting


async def change_agenda(
    session: AsyncSession, meeting_id: int, agenda: str, now: datetime
) -> MeetingRecord:
    """Change the agenda; the notice shows it, nobody is messaged."""
    meeting = await _editable(session, meeting_id, now)
    meeting = await MeetingRepo(session).set_agenda(meeting.id, clean_agenda(agenda), now)
    await meeting_plan.refresh(session, meeting, now)
    return meeting


def read_offsets(text: str) -> str | None:
    """`1d,1h` as stored, None for 默认 (the configured default), '' for no reminders."""
    text = text.strip()
    if text in {"默认", "default"}:
        return None
    if text in {"不提醒", "无", "0"}:
        return ""
    try:
        return offsets_text(parse_offsets(text.replace("，", ",")))
    except ValueError as err:
        raise InvalidInput(texts.BAD_OFFSETS.format(error=err)) from None


async def change_offsets(
    session: AsyncSession,
    meeting_id: int,
    offsets: str | None,
    config: MeetingConfig,
    now: datetime,
) -> MeetingRecord:
    """Use other reminder offsets for this meeting (None: the configured default)."""
    meeting = await _editable(session, meeting_id, now)
    return await _replan(session, meeting, config, now, reminder_offsets=offsets)


async def cancel_meeting(
    session: AsyncSession, meeting_id: int, reason: str, now: datetime
) -> MeetingRecord:
    """Call the meeting off: nothing more is sent for it, those who answered are told."""
    meeting = await _editable(session, meeting_id, now)
    await meeting_plan.unplan(session, meeting)
    meeting = await MeetingRepo(session).cancel(meeting.id, now)
    payload = {"cancelled": True, "reason": clean_reason(reason)}
    await _announce(session, meeting, "cancelled", payload, now)
    await meeting_plan.refresh(session, meeting, now)
    return meeting
