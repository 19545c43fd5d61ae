"""Meetings, series and answers: reads and writes, returned as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.meetings import MeetingStatus, MeetingType, Rsvp
from storage.models import Chat
from storage.models.meetings import Meeting, MeetingAnswer, MeetingSeries


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    """A meeting, with the Telegram id of the group it lives in."""

    id: int
    organisation_id: int
    chat_id: int
    chat_telegram_id: int
    series_id: int | None
    kind: MeetingType
    starts_at: datetime
    place: str
    agenda: str
    organiser_id: int
    reminder_offsets: str | None
    status: MeetingStatus
    version: int
    notice_message_id: int | None

    @property
    def cancelled(self) -> bool:
        """The meeting was called off."""
        return self.status is MeetingStatus.CANCELLED


@dataclass(frozen=True, slots=True)
class SeriesRecord:
    """A recurring meeting."""

    id: int
    organisation_id: int
    chat_id: int
    kind: MeetingType
    rule: str
    place: str
    agenda: str
    organiser_id: int
    reminder_offsets: str | None
    materialised_until: datetime | None
    cancelled: bool


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One person's answer to one meeting."""

    meeting_id: int
    user_id: int
    rsvp: Rsvp
    reason: str | None
    answered_at: datetime | None
    checked_in_at: datetime | None


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

    async def create(self, *, now: datetime, **values: Any) -> MeetingRecord:
        """Add a meeting; `values` are the Meeting columns."""
        row = Meeting(created_at=now, updated_at=now, status=MeetingStatus.SCHEDULED, **values)
        row.version = 1
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

    async def update(self, meeting_id: int, now: datetime, **values: Any) -> MeetingRecord:
        """Change the given columns; `bump=True` also raises the version."""
        bump = values.pop("bump", False)
        if bump:
            values["version"] = Meeting.version + 1
        await self._session.execute(
            update(Meeting).where(Meeting.id == meeting_id).values(updated_at=now, **values)
        )
        found = await self.get(meeting_id)
        assert found is not None
        return found

    async def set_notice_message(self, meeting_id: int, message_id: int) -> None:
        """Remember the group message that carries the live notice."""
        await self._session.execute(
            update(Meeting).where(Meeting.id == meeting_id).values(notice_message_id=message_id)
        )


class AnswerRepo:
    """Reads and writes answers and check-ins."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _upsert(self, meeting_id: int, user_id: int, values: dict[str, Any]) -> None:
        """Insert the row or update the given columns (two taps at once cannot collide)."""
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(MeetingAnswer).values(meeting_id=meeting_id, user_id=user_id, **values)
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


class SeriesRepo:
    """Reads and writes recurring series."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(self, *, now: datetime, **values: Any) -> SeriesRecord:
        """Add a series; `values` are the MeetingSeries columns."""
        row = MeetingSeries(created_at=now, **values)
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

    async def update(self, series_id: int, **values: Any) -> SeriesRecord:
        """Change the given columns."""
        await self._session.execute(
            update(MeetingSeries).where(MeetingSeries.id == series_id).values(**values)
        )
        found = await self.get(series_id)
        assert found is not None
        return found
