"""Recurring meetings: a series row with its rule, materialised ahead into meetings.

Materialisation is idempotent: each series remembers the last occurrence it created
(`materialised_until`) and creates only later ones, in the same transaction that moves
the mark (on PostgreSQL the series row is locked meanwhile). Editing or cancelling the
series changes every occurrence that has not started, through the same changes as
/meeting_edit and /meeting_cancel, so those who answered are told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import InvalidInput, NotFound
from bot.core.meeting_args import EditField, MeetingRequest, clean_agenda, clean_place
from bot.core.meetings import SERIES_HORIZON
from bot.core.recurrence import RecurrenceRule, next_occurrences
from bot.services import meeting_plan
from bot.services.floating import allow_remote
from bot.services.meeting_changes import (
    cancel_meeting,
    change_agenda,
    change_offsets,
    change_place,
    change_time,
    read_offsets,
)
from bot.services.meeting_plan import MeetingConfig
from bot.services.members import Person, record_user
from bot.texts import NOT_BOUND
from bot.texts import meetings as texts
from storage.records import ChatRecord, MeetingRecord, SeriesRecord
from storage.repositories.meetings import MeetingRepo, SeriesRepo

# Occurrences looked at per materialisation; a weekly rule has 9 within the 60-day horizon.
LOOKAHEAD = 12


@dataclass(frozen=True, slots=True)
class SeriesResult:
    """A series and the meetings a change created or touched."""

    series: SeriesRecord
    meetings: list[MeetingRecord]


def _occurrences(rule: RecurrenceRule, after: datetime, config: MeetingConfig) -> list[datetime]:
    """The rule's times after `after` within the horizon (from `after`'s point of view)."""
    horizon = after + SERIES_HORIZON
    times = next_occurrences(rule, after, LOOKAHEAD, config.tz)
    return [moment for moment in times if moment <= horizon]


async def _occurrence(
    session: AsyncSession,
    series: SeriesRecord,
    starts_at: datetime,
    config: MeetingConfig,
    now: datetime,
) -> MeetingRecord:
    meeting = await MeetingRepo(session).create(
        now=now,
        organisation_id=series.organisation_id,
        chat_id=series.chat_id,
        series_id=series.id,
        kind=series.kind,
        starts_at=starts_at,
        place=series.place,
        agenda=series.agenda,
        organiser_id=series.organiser_id,
        reminder_offsets=series.reminder_offsets,
    )
    if series.remote:
        await allow_remote(session, meeting.id)  # before planning: the notices say so
    await meeting_plan.plan(session, meeting, config, now)
    return meeting


async def materialise(
    session: AsyncSession, series_id: int, config: MeetingConfig, now: datetime
) -> list[MeetingRecord]:
    """Create the series' meetings up to 60 days ahead (at least the next one); idempotent."""
    series = await SeriesRepo(session).get(series_id, lock=True)
    if series is None or series.cancelled:
        return []
    after = max(series.materialised_until or now, now)
    times = _occurrences(RecurrenceRule.from_text(series.rule), now, config)
    times = [moment for moment in times if moment > after]
    if not times and not await MeetingRepo(session).of_series(series.id, after=now):
        times = next_occurrences(RecurrenceRule.from_text(series.rule), after, 1, config.tz)
    created = [await _occurrence(session, series, moment, config, now) for moment in times]
    if times:
        await SeriesRepo(session).change(series.id, materialised_until=times[-1])
    return created


async def create_series(
    session: AsyncSession,
    chat: ChatRecord,
    organiser: Person,
    request: MeetingRequest,
    config: MeetingConfig,
    now: datetime,
) -> SeriesResult:
    """Start a recurring meeting and materialise its first occurrences."""
    if chat.organisation_id is None:
        raise NotFound(NOT_BOUND)
    assert request.when.rule is not None
    await record_user(session, organiser, now)
    series = await SeriesRepo(session).create(
        now=now,
        organisation_id=chat.organisation_id,
        chat_id=chat.id,
        kind=request.kind,
        rule=request.when.rule.to_text(),
        place=request.place,
        agenda=request.agenda,
        organiser_id=organiser.id,
        remote=request.remote,
    )
    meetings = await materialise(session, series.id, config, now)
    if not meetings:
        raise InvalidInput(texts.NO_OCCURRENCE)
    return SeriesResult(series, meetings)


async def series_of_chat(session: AsyncSession, series_id: int, chat: ChatRecord) -> SeriesRecord:
    """The series, which must belong to the group's organisation and still run."""
    series = await SeriesRepo(session).get(series_id)
    if series is None or series.organisation_id != chat.organisation_id:
        raise NotFound(texts.SERIES_NOT_FOUND.format(id=series_id))
    if series.cancelled:
        raise InvalidInput(texts.SERIES_ALREADY_CANCELLED.format(id=series_id))
    return series


async def _move_series(
    session: AsyncSession,
    series: SeriesRecord,
    rule: RecurrenceRule,
    config: MeetingConfig,
    now: datetime,
) -> list[MeetingRecord]:
    """Give the future occurrences the new rule's dates, in order; add any that are missing."""
    olds = await MeetingRepo(session).of_series(series.id, after=now)
    wanted = max(len(olds), len(_occurrences(rule, now, config)), 1)
    times = next_occurrences(rule, now, wanted, config.tz)
    series = await SeriesRepo(session).change(
        series.id, rule=rule.to_text(), materialised_until=times[-1] if times else now
    )
    touched = []
    for old, moment in zip(olds, times, strict=False):
        touched.append(await change_time(session, old.id, moment, config, now))
    for moment in times[len(olds) :]:
        touched.append(await _occurrence(session, series, moment, config, now))
    return touched


async def edit_series(
    session: AsyncSession,
    series: SeriesRecord,
    field: EditField,
    value: str | RecurrenceRule,
    config: MeetingConfig,
    now: datetime,
) -> list[MeetingRecord]:
    """Change the series and every occurrence that has not started yet."""
    if isinstance(value, RecurrenceRule):
        return await _move_series(session, series, value, config, now)
    repo = SeriesRepo(session)
    future = await MeetingRepo(session).of_series(series.id, after=now)
    touched = []
    if field is EditField.PLACE:
        await repo.change(series.id, place=clean_place(value))
        for meeting in future:
            touched.append(await change_place(session, meeting.id, value, config, now))
    elif field is EditField.AGENDA:
        await repo.change(series.id, agenda=clean_agenda(value))
        for meeting in future:
            touched.append(await change_agenda(session, meeting.id, value, now))
    else:
        offsets = read_offsets(value)
        await repo.change(series.id, reminder_offsets=offsets)
        for meeting in future:
            touched.append(await change_offsets(session, meeting.id, offsets, config, now))
    return touched


async def cancel_series(
    session: AsyncSession, series: SeriesRecord, now: datetime
) -> list[MeetingRecord]:
    """Stop the series and call off every occurrence that has not started."""
    await SeriesRepo(session).cancel(series.id, now)
    future = await MeetingRepo(session).of_series(series.id, after=now)
    return [await cancel_meeting(session, m.id, "", now) for m in future]
