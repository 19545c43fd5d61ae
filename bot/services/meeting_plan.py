"""A meeting's deliveries: their idempotency keys and the plan of what goes out when.

Keys are namespaced per meeting (`mtg:<id>:…`) so that no other feature's keys collide.
Everything tied to the meeting's time carries its version (`mtg:<id>:v<version>:…`): a
change of time cancels the old version's pending rows by prefix and plans the new one,
which can never collide with the cancelled rows' keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import parse_offsets
from bot.core.meetings import (
    CHECKIN_CLOSES_AFTER,
    QUORUM_LEAD,
    SERIES_NOTICE_LEAD,
    MeetingType,
    refresh_slot,
    reminder_plan,
)
from storage.db import Database, first_in_process
from storage.records import MeetingRecord
from storage.repositories import DeliveryRepo
from storage.repositories.presses import Refresh

# Delivery kinds; bot/services/meeting_senders.py registers one sender for each.
NOTICE = "meeting_notice"
REFRESH = "meeting_refresh"
REMINDER = "meeting_reminder"
PRIVATE_REMINDER = "meeting_dm"
CHECK_IN = "meeting_checkin"
QUORUM = "meeting_quorum"
QUORUM_PRIVATE = "meeting_quorum_dm"
CHANGE = "meeting_change"
CHANGE_PRIVATE = "meeting_change_dm"
# The record drafted when check-in closes (bot/services/minutes_messages.py composes it).
RECORD = "meeting_record"


@dataclass(frozen=True, slots=True)
class MeetingConfig:
    """The settings the meeting services need: the zone and the default reminder offsets."""

    tz: ZoneInfo
    offsets: tuple[timedelta, ...]


def prefix(meeting_id: int) -> str:
    """Every delivery of the meeting."""
    return f"mtg:{meeting_id}:"


def plan_prefix(meeting: MeetingRecord) -> str:
    """The deliveries planned for the meeting's current version (time and place)."""
    return f"mtg:{meeting.id}:v{meeting.version}:"


def nudge_prefix(meeting_id: int) -> str:
    """Reminders a manager asked for with the button."""
    return f"mtg:{meeting_id}:nudge:"


def offsets_of(meeting_offsets: str | None, config: MeetingConfig) -> tuple[timedelta, ...]:
    """The meeting's own reminder offsets, else the configured default."""
    if meeting_offsets is None:
        return config.offsets
    return parse_offsets(meeting_offsets) if meeting_offsets else ()


def notice_due(meeting: MeetingRecord, now: datetime) -> datetime:
    """One-off meetings are announced at once; series occurrences a week ahead."""
    if meeting.series_id is None:
        return now
    return max(now, meeting.starts_at - SERIES_NOTICE_LEAD)


async def plan(
    session: AsyncSession, meeting: MeetingRecord, config: MeetingConfig, now: datetime
) -> None:
    """Enqueue the notice (unless posted), reminders, check-in post, record and quorum check.

    Idempotent by key; what is due at once wakes the sweep after the commit.
    """
    repo, start, base = DeliveryRepo(session), meeting.starts_at, plan_prefix(meeting)
    chat, payload = meeting.chat_telegram_id, {"meeting": meeting.id, "version": meeting.version}
    if meeting.notice_message_id is None:
        due = notice_due(meeting, now)
        await repo.enqueue(
            key=base + "notice",
            kind=NOTICE,
            chat_id=chat,
            due_at=due,
            now=now,
            payload=payload,
            expires_at=start,
        )
    reminders = reminder_plan(start, offsets_of(meeting.reminder_offsets, config), now)
    # A reminder is stale once the next one is due (or the meeting starts): after downtime
    # only the most recent reminder goes out, never "还有1天" an hour before the start.
    stale_at = [due for _, due in reminders[1:]] + [start]  # one per reminder (none: none)
    for (offset, due), expires_at in zip(reminders, stale_at[: len(reminders)], strict=True):
        seconds = int(offset.total_seconds())
        await repo.enqueue(
            key=f"{base}reminder:{seconds}",
            kind=REMINDER,
            chat_id=chat,
            due_at=due,
            now=now,
            payload={**payload, "offset": seconds},
            expires_at=expires_at,
        )
    await repo.enqueue(
        key=base + "checkin",
        kind=CHECK_IN,
        chat_id=chat,
        due_at=start,
        now=now,
        payload=payload,
        expires_at=start + CHECKIN_CLOSES_AFTER,
    )
    await plan_record(session, meeting.id, meeting.version, chat, start, now)
    if meeting.kind is MeetingType.ASSEMBLY and start - QUORUM_LEAD > now:
        await repo.enqueue(
            key=base + "quorum",
            kind=QUORUM,
            chat_id=chat,
            due_at=start - QUORUM_LEAD,
            now=now,
            payload=payload,
            expires_at=start,
        )


async def plan_record(
    session: AsyncSession, meeting_id: int, version: int, chat: int, start: datetime, now: datetime
) -> bool:
    """When check-in closes the meeting is over: its record is drafted then (no expiry: a
    draft is as useful after downtime). True when the row is new."""
    return await DeliveryRepo(session).enqueue(
        key=f"mtg:{meeting_id}:v{version}:record",
        kind=RECORD,
        chat_id=chat,
        due_at=start + CHECKIN_CLOSES_AFTER,
        now=now,
        payload={"meeting": meeting_id, "version": version},
    )


async def unplan(session: AsyncSession, meeting: MeetingRecord) -> int:
    """Cancel what is still pending of the meeting's current plan and of its nudges."""
    repo = DeliveryRepo(session)
    return await repo.cancel(plan_prefix(meeting)) + await repo.cancel(nudge_prefix(meeting.id))


def refresh_key(meeting_id: int, now: datetime) -> tuple[str, int, int]:
    """What names the refresh of the meeting's notice in the slot of `now` (first_in_process)."""
    return ("refresh", meeting_id, refresh_slot(now)[0])


def refreshed(database: Database, meeting_id: int, now: datetime) -> bool:
    """This process already enqueued the refresh of the meeting's notice in this slot."""
    return database.done_in_process(refresh_key(meeting_id, now))


async def refresh(session: AsyncSession, meeting: MeetingRecord, now: datetime) -> None:
    """Edit the live notice at the end of the current 10-second slot (bursts coalesce).

    The slot's row is added by the first change in it; this process remembers that, so the
    other presses of the slot skip the statement.
    """
    if not first_in_process(session, refresh_key(meeting.id, now)):
        return
    row = refresh_row(meeting.id, now)
    await DeliveryRepo(session).enqueue(
        key=row.key,
        kind=row.kind,
        chat_id=meeting.chat_telegram_id,
        due_at=row.due_at,
        now=now,
        payload=row.payload,
    )


def refresh_row(meeting_id: int, now: datetime) -> Refresh:
    """The delivery that edits the meeting's notice at the end of the slot of `now`."""
    slot, due = refresh_slot(now)
    return Refresh(
        key=f"{prefix(meeting_id)}refresh:{slot}",
        kind=REFRESH,
        due_at=due,
        payload={"meeting": meeting_id},
        now=now,
    )


def enqueued_refresh(database: Database, meeting_id: int, now: datetime) -> None:
    """A hot statement committed the slot's refresh (refresh_row): `refreshed` from now on."""
    database.remember(refresh_key(meeting_id, now))
