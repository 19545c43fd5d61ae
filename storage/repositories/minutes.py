"""Meeting records (会议记录) and held marks: reads and writes, returned as dataclasses.

`records_status` is what the ledger's 记录 column reads.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import Role
from bot.core.meetings import MeetingStatus, MeetingType
from bot.core.minutes import MinutesStatus, Part
from storage.db import dialect_insert
from storage.models import Chat, Meeting, MeetingAnswer, Member, User
from storage.models.minutes import MeetingHeld, MeetingMinutes
from storage.records import MinutesRecord


def _record(row: MeetingMinutes) -> MinutesRecord:
    return MinutesRecord(
        id=row.id,
        meeting_id=row.meeting_id,
        version=row.version,
        status=row.status,
        recorder=row.recorder,
        content=row.content,
        resolutions=row.resolutions,
        completed_at=row.completed_at,
        completed_by=row.completed_by,
    )


class MinutesRepo:
    """Reads and writes meeting records and held marks."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def latest(self, meeting_id: int, *, lock: bool = False) -> MinutesRecord | None:
        """The newest version of the meeting's record (locked for a change when `lock`)."""
        query = (
            select(MeetingMinutes)
            .where(MeetingMinutes.meeting_id == meeting_id)
            .order_by(MeetingMinutes.version.desc())
            .limit(1)
            .execution_options(populate_existing=True)
        )
        if lock:
            query = query.with_for_update()
        row = await self._session.scalar(query)
        return _record(row) if row else None

    async def latest_done(self, meeting_id: int) -> MinutesRecord | None:
        """The newest completed version."""
        row = await self._session.scalar(
            select(MeetingMinutes)
            .where(
                MeetingMinutes.meeting_id == meeting_id,
                MeetingMinutes.status == MinutesStatus.DONE,
            )
            .order_by(MeetingMinutes.version.desc())
            .limit(1)
        )
        return _record(row) if row else None

    async def start(
        self, meeting_id: int, now: datetime, previous: MinutesRecord | None = None
    ) -> MinutesRecord | None:
        """A new draft version (the next after `previous`, copying its text); None when that
        version exists already (another process drafted it first)."""
        values = {
            "meeting_id": meeting_id,
            "version": previous.version + 1 if previous else 1,
            "status": MinutesStatus.DRAFT.value,
            "recorder": previous.recorder if previous else "",
            "content": previous.content if previous else "",
            "resolutions": previous.resolutions if previous else "",
            "created_at": now,
            "updated_at": now,
        }
        statement = (
            dialect_insert(self._session)(MeetingMinutes)
            .values(values)
            .on_conflict_do_nothing(index_elements=["meeting_id", "version"])
        )
        result = await self._session.execute(statement)
        if not result.rowcount:  # type: ignore[attr-defined]
            return None
        return await self.latest(meeting_id)

    async def set_part(self, minutes_id: int, part: Part, text: str, now: datetime) -> None:
        """Replace one part of a draft version."""
        await self._session.execute(
            update(MeetingMinutes)
            .where(MeetingMinutes.id == minutes_id)
            .values({part.value: text, "updated_at": now})
        )

    async def complete(self, minutes_id: int, user_id: int, now: datetime) -> None:
        """A manager tapped 完成."""
        await self._session.execute(
            update(MeetingMinutes)
            .where(MeetingMinutes.id == minutes_id)
            .values(
                status=MinutesStatus.DONE.value,
                completed_at=now,
                completed_by=user_id,
                updated_at=now,
            )
        )

    async def statuses(self, meeting_ids: list[int]) -> dict[int, MinutesStatus]:
        """Each meeting's record status: DONE once any version was completed, else DRAFT;
        meetings without a record are absent."""
        found: dict[int, MinutesStatus] = {}
        for chunk in _chunks(meeting_ids):
            rows = await self._session.execute(
                select(MeetingMinutes.meeting_id, MeetingMinutes.status).where(
                    MeetingMinutes.meeting_id.in_(chunk)
                )
            )
            for meeting_id, status in rows:
                if found.get(meeting_id) is not MinutesStatus.DONE:
                    found[meeting_id] = MinutesStatus(status)
        return found

    async def records_status(self, meeting_ids: list[int]) -> dict[int, str]:
        """{meeting id: 已完成 / 草稿} for the meetings that have a record (the ledger)."""
        return {mid: status.label for mid, status in (await self.statuses(meeting_ids)).items()}

    async def ending_after(self, moment: datetime) -> list[tuple[int, int, int, datetime]]:
        """(meeting, version, group's Telegram id, start) of every meeting still on that
        starts after `moment`: those whose record is still to be drafted."""
        rows = await self._session.execute(
            select(Meeting.id, Meeting.version, Chat.telegram_id, Meeting.starts_at)
            .join(Chat, Meeting.chat_id == Chat.id)
            .where(Meeting.starts_at > moment, Meeting.status == MeetingStatus.SCHEDULED)
            .order_by(Meeting.id)
        )
        return [(mid, version, chat, start) for mid, version, chat, start in rows]

    async def mark_held(self, meeting_id: int, user_id: int, now: datetime) -> bool:
        """Note that the meeting took place; False when it was marked already."""
        statement = (
            dialect_insert(self._session)(MeetingHeld)
            .values(meeting_id=meeting_id, marked_by=user_id, marked_at=now)
            .on_conflict_do_nothing(index_elements=["meeting_id"])
        )
        result = await self._session.execute(statement)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def held(self, meeting_ids: list[int]) -> set[int]:
        """Which of these meetings took place: a check-in, or marked held (not cancelled,
        their start passed is the caller's to check)."""
        found: set[int] = set()
        for chunk in _chunks(meeting_ids):
            rows = await self._session.scalars(
                select(Meeting.id).where(Meeting.id.in_(chunk), _took_place())
            )
            found.update(rows)
        return found

    async def held_in_spans(
        self, spans: list[tuple[datetime, datetime]], org_ids: list[int] | None = None
    ) -> dict[tuple[int, MeetingType], list[int]]:
        """(organisation, type) → meetings that took place with a start in each span, in one
        query (the month, quarter and year of /checkup read the year once, not thrice)."""
        in_span = [
            func.sum(case((and_(Meeting.starts_at >= a, Meeting.starts_at < b), 1), else_=0))
            for a, b in spans
        ]
        query = (
            select(Meeting.organisation_id, Meeting.kind, *in_span)
            .where(
                Meeting.starts_at >= min(a for a, _ in spans),
                Meeting.starts_at < max(b for _, b in spans),
                Meeting.status == MeetingStatus.SCHEDULED,
                _took_place(),
            )
            .group_by(Meeting.organisation_id, Meeting.kind)
        )
        if org_ids is not None:
            query = query.where(Meeting.organisation_id.in_(org_ids))
        rows = await self._session.execute(query)
        return {
            (org_id, MeetingType(kind)): [int(n or 0) for n in counts]
            for org_id, kind, *counts in rows
        }


async def reachable_managers(session: AsyncSession, org_ids: list[int]) -> dict[int, list[int]]:
    """For each organisation, the user ids of its own active 书记, 副书记 and 委员 who can be
    messaged privately (one query per 500 organisations)."""
    found: dict[int, list[int]] = {org_id: [] for org_id in org_ids}
    for chunk in _chunks(org_ids):
        rows = await session.execute(
            select(Member.organisation_id, Member.user_id)
            .join(User, Member.user_id == User.id)
            .where(
                Member.organisation_id.in_(chunk),
                Member.left_at.is_(None),
                Member.role != Role.MEMBER,
                User.can_dm.is_(True),
            )
            .order_by(Member.organisation_id, Member.user_id)
        )
        for org_id, user_id in rows:
            found[org_id].append(user_id)
    return found


def _took_place() -> ColumnElement[bool]:
    checked_in = exists().where(
        and_(MeetingAnswer.meeting_id == Meeting.id, MeetingAnswer.checked_in_at.is_not(None))
    )
    marked = exists().where(MeetingHeld.meeting_id == Meeting.id)
    return or_(checked_in, marked)


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    """Bounded IN lists (SQLite allows a limited number of parameters)."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]
