"""Floating members' stays away (流动党员), what they did elsewhere, and remote meetings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.floating import Activity, Stay
from bot.core.meetings import MeetingStatus, Rsvp
from storage.models import Member, Organisation, StudyRecord, StudyTopic
from storage.models.floating import FloatingStay, MeetingRemote
from storage.models.meetings import Meeting, MeetingAnswer


def _stay(row: FloatingStay) -> Stay:
    return Stay(
        id=row.id,
        org_id=row.organisation_id,
        user_id=row.user_id,
        place=row.place,
        host_org_id=row.host_org_id,
        since=row.since,
        contact=row.contact,
        started_at=row.started_at,
        ended_at=row.ended_at,
    )


class FloatingRepo:
    """Reads and writes floating members' stays."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _stays(self, query: Select[FloatingStay]) -> list[Stay]:
        rows = await self._session.scalars(query.order_by(FloatingStay.since, FloatingStay.id))
        return [_stay(row) for row in rows]

    async def current(self, org_id: int, user_id: int) -> Stay | None:
        """The member's open stay away from this branch."""
        found = await self._stays(
            select(FloatingStay).where(
                FloatingStay.organisation_id == org_id,
                FloatingStay.user_id == user_id,
                FloatingStay.ended_at.is_(None),
            )
        )
        return found[-1] if found else None

    async def open_of_user(self, user_id: int) -> list[Stay]:
        """The user's open stays (one per branch of record)."""
        return await self._stays(
            select(FloatingStay).where(
                FloatingStay.user_id == user_id, FloatingStay.ended_at.is_(None)
            )
        )

    async def open_of_org(self, org_id: int) -> list[Stay]:
        """The branch's members away now."""
        return await self._stays(
            select(FloatingStay).where(
                FloatingStay.organisation_id == org_id, FloatingStay.ended_at.is_(None)
            )
        )

    async def hosted_by(self, org_id: int) -> list[Stay]:
        """Open stays whose 流入地 organisation is this one."""
        return await self._stays(
            select(FloatingStay).where(
                FloatingStay.host_org_id == org_id, FloatingStay.ended_at.is_(None)
            )
        )

    async def all_open(self) -> list[Stay]:
        """Every open stay (the monthly digest)."""
        return await self._stays(select(FloatingStay).where(FloatingStay.ended_at.is_(None)))

    async def of_orgs(self, org_ids: Iterable[int]) -> list[Stay]:
        """Every stay (also ended) away from these branches."""
        return await self._stays(
            select(FloatingStay).where(FloatingStay.organisation_id.in_(list(org_ids)))
        )

    async def start(
        self,
        *,
        org_id: int,
        user_id: int,
        place: str,
        host_org_id: int | None,
        since: date,
        contact: str,
        recorded_by: int,
        now: datetime,
    ) -> Stay:
        """Record the member away (an open stay is ended first: the new one replaces it)."""
        await self.end(org_id, user_id, now)
        row = FloatingStay(
            organisation_id=org_id,
            user_id=user_id,
            place=place,
            host_org_id=host_org_id,
            since=since,
            contact=contact,
            recorded_by=recorded_by,
            started_at=now,
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        await self._set_floating(org_id, user_id, True)
        return _stay(row)

    async def end(self, org_id: int, user_id: int, now: datetime) -> bool:
        """End the member's open stay; False when there was none."""
        result = await self._session.execute(
            update(FloatingStay)
            .where(
                FloatingStay.organisation_id == org_id,
                FloatingStay.user_id == user_id,
                FloatingStay.ended_at.is_(None),
            )
            .values(ended_at=now)
        )
        await self._set_floating(org_id, user_id, False)
        return bool(getattr(result, "rowcount", 0))

    async def _set_floating(self, org_id: int, user_id: int, floating: bool) -> None:
        await self._session.execute(
            update(Member)
            .where(Member.organisation_id == org_id, Member.user_id == user_id)
            .values(floating=floating)
        )

    async def allow_remote(self, meeting_id: int) -> None:
        """The meeting may be attended remotely."""
        self._session.add(MeetingRemote(meeting_id=meeting_id))
        await self._session.flush()

    async def remote_allowed(self, meeting_id: int) -> bool:
        """The organiser opened the meeting to remote participation."""
        return await self._session.get(MeetingRemote, meeting_id) is not None

    async def activity(
        self, user_ids: list[int], start: datetime, end: datetime, org_ids: list[int] | None = None
    ) -> list[Activity]:
        """What these people did in [start, end): meetings answered 参加 or checked in (by
        the meeting's start), topics studied; in `org_ids` only, when given."""
        if not user_ids:
            return []
        return [
            *await self._meetings(user_ids, start, end, org_ids),
            *await self._study(user_ids, start, end, org_ids),
        ]

    async def _meetings(
        self, user_ids: list[int], start: datetime, end: datetime, org_ids: list[int] | None
    ) -> list[Activity]:
        query = (
            select(
                MeetingAnswer.user_id,
                Meeting.organisation_id,
                Organisation.name,
                Meeting.starts_at,
                Meeting.kind,
            )
            .join(Meeting, Meeting.id == MeetingAnswer.meeting_id)
            .join(Organisation, Organisation.id == Meeting.organisation_id)
            .where(
                MeetingAnswer.user_id.in_(user_ids),
                Meeting.starts_at >= start,
                Meeting.starts_at < end,
                Meeting.status != MeetingStatus.CANCELLED,
                or_(MeetingAnswer.checked_in_at.is_not(None), MeetingAnswer.rsvp == Rsvp.YES),
            )
        )
        if org_ids is not None:
            query = query.where(Meeting.organisation_id.in_(org_ids))
        rows = (await self._session.execute(query)).all()
        return [Activity(u, o, name, at, kind.label, True) for u, o, name, at, kind in rows]

    async def _study(
        self, user_ids: list[int], start: datetime, end: datetime, org_ids: list[int] | None
    ) -> list[Activity]:
        query = (
            select(
                StudyRecord.user_id,
                StudyTopic.organisation_id,
                Organisation.name,
                StudyRecord.studied_at,
                StudyTopic.title,
            )
            .join(StudyTopic, StudyTopic.id == StudyRecord.topic_id)
            .join(Organisation, Organisation.id == StudyTopic.organisation_id)
            .where(
                StudyRecord.user_id.in_(user_ids),
                and_(StudyRecord.studied_at >= start, StudyRecord.studied_at < end),
            )
        )
        if org_ids is not None:
            query = query.where(StudyTopic.organisation_id.in_(org_ids))
        rows = (await self._session.execute(query)).all()
        return [Activity(u, o, name, at, title, False) for u, o, name, at, title in rows]

    async def last_activity(
        self, user_id: int, org_ids: list[int] | None = None
    ) -> datetime | None:
        """When the person last answered, checked in or studied (in `org_ids`, when given)."""
        answered = select(
            func.max(func.coalesce(MeetingAnswer.checked_in_at, MeetingAnswer.answered_at))
        ).where(MeetingAnswer.user_id == user_id)
        studied = select(func.max(StudyRecord.studied_at)).where(StudyRecord.user_id == user_id)
        if org_ids is not None:
            answered = answered.join(Meeting, Meeting.id == MeetingAnswer.meeting_id).where(
                Meeting.organisation_id.in_(org_ids)
            )
            studied = studied.join(StudyTopic, StudyTopic.id == StudyRecord.topic_id).where(
                StudyTopic.organisation_id.in_(org_ids)
            )
        found = [await self._session.scalar(answered), await self._session.scalar(studied)]
        moments = [moment for moment in found if moment is not None]
        return max(moments) if moments else None
