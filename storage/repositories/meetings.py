"""Meetings, series and answers: reads and writes, returned as frozen dataclasses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.meetings import MeetingStatus, MeetingType, Rsvp
from storage.db import dialect_insert
from storage.models import Chat
from storage.models.meetings import Meeting, MeetingAnswer, MeetingSeries
from storage.records import KEEP, AnswerRecord, Keep, MeetingRecord, SeriesRecord


def _meeting(row: Meeting, telegram_id: int) -> MeetingRecord:
    return MeetingRecord(
        id=row.id,
        organisation_id=row.organisation_id,
        chat_id=row.chat_id,
        chat_telegram_id=telegram_id,
        series_id=row.series_id,
        kind=row.kind,
        starts_at=row.starts_at,
        place=row.place,
        agenda=row.agenda,
        organiser_id=row.organiser_id,
        reminder_offsets=row.reminder_offsets,
        status=row.status,
        version=row.version,
        notice_message_id=row.notice_message_id,
        notice_digest=row.notice_digest,
    )


def _series(row: MeetingSeries) -> SeriesRecord:
    return SeriesRecord(
        id=row.id,
        organisation_id=row.organisation_id,
        chat_id=row.chat_id,
        kind=row.kind,
        rule=row.rule,
        place=row.place,
        agenda=row.agenda,
        organiser_id=row.organiser_id,
        reminder_offsets=row.reminder_offsets,
        materialised_until=row.materialised_until,
        cancelled=row.cancelled_at is not None,
        remote=row.remote,
    )


def _answer(row: MeetingAnswer) -> AnswerRecord:
    return AnswerRecord(
        meeting_id=row.meeting_id,
        user_id=row.user_id,
        rsvp=row.rsvp,
        reason=row.reason,
        answered_at=row.answered_at,
        checked_in_at=row.checked_in_at,
    )


def _given(**values: object) -> dict[str, object]:
    """The keyword arguments that were given (not KEEP), as column values."""
    return {name: value for name, value in values.items() if value is not KEEP}


class MeetingRepo:
    """Reads and writes meetings."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @staticmethod
    def _query() -> Select[Meeting, int]:
        # populate_existing: rows changed by bulk UPDATEs come back fresh, not from the cache.
        return (
            select(Meeting, Chat.telegram_id)
            .join(Chat, Meeting.chat_id == Chat.id)
            .execution_options(populate_existing=True)
        )

    async def create(
        self,
        *,
        now: datetime,
        organisation_id: int,
        chat_id: int,
        kind: MeetingType,
        starts_at: datetime,
        organiser_id: int,
        place: str = "",
        agenda: str = "",
        series_id: int | None = None,
        reminder_offsets: str | None = None,
    ) -> MeetingRecord:
        """Add a scheduled meeting (version 1)."""
        row = Meeting(
            organisation_id=organisation_id,
            chat_id=chat_id,
            series_id=series_id,
            kind=kind,
            starts_at=starts_at,
            place=place,
            agenda=agenda,
            organiser_id=organiser_id,
            reminder_offsets=reminder_offsets,
            status=MeetingStatus.SCHEDULED,
            version=1,
            created_at=now,
            updated_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        found = await self.get(row.id)
        assert found is not None
        return found

    async def get(self, meeting_id: int) -> MeetingRecord | None:
        """The meeting with this id."""
        row = (await self._session.execute(self._query().where(Meeting.id == meeting_id))).first()
        return _meeting(*row) if row else None

    async def upcoming(
        self, org_ids: list[int], now: datetime, *, limit: int = 20
    ) -> list[MeetingRecord]:
        """Scheduled meetings of these organisations that have not started, soonest first."""
        rows = await self._session.execute(
            self._query()
            .where(
                Meeting.organisation_id.in_(org_ids),
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at > now,
            )
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(limit)
        )
        return [_meeting(*row) for row in rows]

    async def ahead(
        self, org_ids: list[int], now: datetime, until: datetime, *, limit: int
    ) -> list[MeetingRecord]:
        """Meetings of these organisations starting in (now, until], cancelled ones too
        (a calendar must learn of the cancellation), soonest first."""
        rows = await self._session.execute(
            self._query()
            .where(
                Meeting.organisation_id.in_(org_ids),
                Meeting.starts_at > now,
                Meeting.starts_at <= until,
            )
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(limit)
        )
        return [_meeting(*row) for row in rows]

    async def of_series(self, series_id: int, *, after: datetime) -> list[MeetingRecord]:
        """A series' scheduled meetings starting after `after`, soonest first."""
        rows = await self._session.execute(
            self._query()
            .where(
                Meeting.series_id == series_id,
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at > after,
            )
            .order_by(Meeting.starts_at, Meeting.id)
        )
        return [_meeting(*row) for row in rows]

    async def reschedule(
        self,
        meeting_id: int,
        now: datetime,
        *,
        starts_at: datetime | Keep = KEEP,
        place: str | Keep = KEEP,
        reminder_offsets: str | Keep | None = KEEP,
    ) -> MeetingRecord:
        """Change what the plan of deliveries depends on, under a new version."""
        values = _given(starts_at=starts_at, place=place, reminder_offsets=reminder_offsets)
        return await self._set(meeting_id, now, version=Meeting.version + 1, **values)

    async def set_agenda(self, meeting_id: int, agenda: str, now: datetime) -> MeetingRecord:
        """Change the agenda (the plan does not depend on it: same version)."""
        return await self._set(meeting_id, now, agenda=agenda)

    async def cancel(self, meeting_id: int, now: datetime) -> MeetingRecord:
        """Call the meeting off."""
        return await self._set(meeting_id, now, status=MeetingStatus.CANCELLED, cancelled_at=now)

    async def _set(self, meeting_id: int, now: datetime, **values: object) -> MeetingRecord:
        await self._session.execute(
            update(Meeting).where(Meeting.id == meeting_id).values(updated_at=now, **values)
        )
        found = await self.get(meeting_id)
        assert found is not None
        return found

    async def set_notice_message(
        self, meeting_id: int, message_id: int, digest: str | None = None
    ) -> None:
        """Remember the group message that carries the live notice (and what it shows)."""
        await self._session.execute(
            update(Meeting)
            .where(Meeting.id == meeting_id)
            .values(notice_message_id=message_id, notice_digest=digest)
        )

    async def set_notice_digest(self, meeting_id: int, digest: str) -> None:
        """Remember what the live notice shows now."""
        await self._session.execute(
            update(Meeting).where(Meeting.id == meeting_id).values(notice_digest=digest)
        )


class AnswerRepo:
    """Reads and writes answers and check-ins."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _upsert(self, meeting_id: int, user_id: int, values: dict[str, Any]) -> None:
        """Insert the row or update the given columns (two taps at once cannot collide)."""
        statement = dialect_insert(self._session)(MeetingAnswer).values(
            meeting_id=meeting_id, user_id=user_id, **values
        )
        statement = statement.on_conflict_do_update(
            index_elements=["meeting_id", "user_id"], set_=values
        )
        await self._session.execute(statement)

    async def get(self, meeting_id: int, user_id: int) -> AnswerRecord | None:
        """The person's answer to the meeting."""
        row = await self._session.scalar(
            select(MeetingAnswer)
            .where(MeetingAnswer.meeting_id == meeting_id, MeetingAnswer.user_id == user_id)
            .execution_options(populate_existing=True)
        )
        return _answer(row) if row else None

    async def of_meeting(self, meeting_id: int) -> list[AnswerRecord]:
        """Every answer to the meeting."""
        rows = await self._session.scalars(
            select(MeetingAnswer)
            .where(MeetingAnswer.meeting_id == meeting_id)
            .order_by(MeetingAnswer.id)
            .execution_options(populate_existing=True)
        )
        return [_answer(row) for row in rows]

    async def set_rsvp(self, meeting_id: int, user_id: int, rsvp: Rsvp, now: datetime) -> None:
        """Record 参加 or 请假; a new answer clears the old reason."""
        await self._upsert(meeting_id, user_id, {"rsvp": rsvp, "answered_at": now, "reason": None})

    async def set_reason(self, meeting_id: int, user_id: int, reason: str) -> None:
        """Record the reason of a 请假."""
        await self._session.execute(
            update(MeetingAnswer)
            .where(MeetingAnswer.meeting_id == meeting_id, MeetingAnswer.user_id == user_id)
            .values(reason=reason)
        )

    async def check_in(self, meeting_id: int, user_id: int, now: datetime) -> bool:
        """Record the check-in; False when the person had already checked in."""
        existing = await self.get(meeting_id, user_id)
        if existing is not None and existing.checked_in_at is not None:
            return False
        await self._upsert(meeting_id, user_id, {"checked_in_at": now})
        return True

    async def leaves_from_themed_days(
        self, org_id: int, start: datetime, end: datetime, user_id: int | None = None
    ) -> list[tuple[int, datetime]]:
        """Who asked leave from the organisation's 主题党日 in [start, end), with its start
        (only that user, when given)."""
        only = () if user_id is None else (MeetingAnswer.user_id == user_id,)
        rows = await self._session.execute(
            select(MeetingAnswer.user_id, func.min(Meeting.starts_at))
            .join(Meeting, MeetingAnswer.meeting_id == Meeting.id)
            .where(
                Meeting.organisation_id == org_id,
                Meeting.kind == MeetingType.THEMED_DAY,
                Meeting.status != MeetingStatus.CANCELLED,
                Meeting.starts_at >= start,
                Meeting.starts_at < end,
                MeetingAnswer.rsvp == Rsvp.LEAVE,
                *only,
            )
            .group_by(MeetingAnswer.user_id)
            .order_by(MeetingAnswer.user_id)
        )
        return [(user, when) for user, when in rows]


class SeriesRepo:
    """Reads and writes recurring series."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(
        self,
        *,
        now: datetime,
        organisation_id: int,
        chat_id: int,
        kind: MeetingType,
        rule: str,
        organiser_id: int,
        place: str = "",
        agenda: str = "",
        remote: bool = False,
    ) -> SeriesRecord:
        """Add a running series (not yet materialised)."""
        row = MeetingSeries(
            organisation_id=organisation_id,
            chat_id=chat_id,
            kind=kind,
            rule=rule,
            place=place,
            agenda=agenda,
            organiser_id=organiser_id,
            remote=remote,
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return _series(row)

    async def get(self, series_id: int, *, lock: bool = False) -> SeriesRecord | None:
        """The series; `lock` holds its row until commit (materialisation runs once)."""
        query = (
            select(MeetingSeries)
            .where(MeetingSeries.id == series_id)
            .execution_options(populate_existing=True)
        )
        if lock and self._session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        row = (await self._session.execute(query)).scalar_one_or_none()
        return _series(row) if row else None

    async def active_ids(self) -> list[int]:
        """Ids of every series that is not cancelled."""
        rows = await self._session.scalars(
            select(MeetingSeries.id)
            .where(MeetingSeries.cancelled_at.is_(None))
            .order_by(MeetingSeries.id)
        )
        return list(rows)

    async def change(
        self,
        series_id: int,
        *,
        rule: str | Keep = KEEP,
        place: str | Keep = KEEP,
        agenda: str | Keep = KEEP,
        reminder_offsets: str | Keep | None = KEEP,
        materialised_until: datetime | Keep = KEEP,
    ) -> SeriesRecord:
        """Change the given fields of a series."""
        values = _given(
            rule=rule,
            place=place,
            agenda=agenda,
            reminder_offsets=reminder_offsets,
            materialised_until=materialised_until,
        )
        return await self._set(series_id, **values)

    async def cancel(self, series_id: int, now: datetime) -> SeriesRecord:
        """Stop the series (its meetings are cancelled by the caller)."""
        return await self._set(series_id, cancelled_at=now)

    async def _set(self, series_id: int, **values: object) -> SeriesRecord:
        await self._session.execute(
            update(MeetingSeries).where(MeetingSeries.id == series_id).values(**values)
        )
        found = await self.get(series_id)
        assert found is not None
        return found
