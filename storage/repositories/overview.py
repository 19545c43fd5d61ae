"""The dashboard's 概览, counted by the database: a few GROUP BY statements per subtree.

The ledger reads every answer (storage/repositories/ledger.py); the 概览 needs only counts,
so the database makes them: per meeting, the members at its start, its committee, who
answered or checked in from outside them, who checked in; per organisation, members now and
topics studied of those expected. bot/core/overview.py turns them into the ledger's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Row, Table, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import Role
from bot.core.meetings import MeetingStatus, MeetingType, Rsvp
from bot.core.overview import MeetingCount
from storage.models import Member, StudyRecord, StudyTarget, StudyTopic
from storage.models.meetings import Meeting, MeetingAnswer
from storage.models.minutes import MeetingHeld
from storage.records import PUBLISHED

_meetings, _answers = cast(Table, Meeting.__table__), cast(Table, MeetingAnswer.__table__)
_members, _held = cast(Table, Member.__table__), cast(Table, MeetingHeld.__table__)
_topics, _targets = cast(Table, StudyTopic.__table__), cast(Table, StudyTarget.__table__)
_records = cast(Table, StudyRecord.__table__)


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of the group meet the condition (0 for none, never NULL)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _member_at_start() -> ColumnElement[bool]:
    """The membership row is of the meeting's organisation and ran at its start."""
    m, mt = _members.c, _meetings.c
    return and_(
        m.organisation_id == mt.organisation_id,
        m.joined_at <= mt.starts_at,
        or_(m.left_at.is_(None), m.left_at > mt.starts_at),
    )


def _on_committee() -> ColumnElement[bool]:
    """A manager of the organisation, or the meeting's organiser."""
    return or_(_members.c.role != Role.MEMBER, _members.c.user_id == _meetings.c.organiser_id)


class OverviewRepo:
    """The 概览's counts for one subtree (its organisation ids)."""

    def __init__(self, session: AsyncSession, org_ids: list[int]) -> None:
        self._session, self._org_ids = session, org_ids

    async def _rows(self, statement: Any) -> Sequence[Any]:
        connection = await self._session.connection()
        rows: Sequence[Row[Any]] = (await connection.execute(statement)).all()
        return rows

    async def members(self, end: datetime) -> dict[int, int]:
        """Organisation -> members who joined before `end` and have not left."""
        m = _members.c
        statement = (
            select(m.organisation_id, func.count())
            .where(m.organisation_id.in_(self._org_ids), m.joined_at < end, m.left_at.is_(None))
            .group_by(m.organisation_id)
        )
        return {org_id: int(n) for org_id, n in await self._rows(statement)}

    def _in_span(self, start: datetime, end: datetime) -> ColumnElement[bool]:
        mt = _meetings.c
        return and_(
            mt.organisation_id.in_(self._org_ids),
            mt.starts_at >= start,
            mt.starts_at < end,
            mt.status != MeetingStatus.CANCELLED,
        )

    async def meetings(self, start: datetime, end: datetime) -> list[MeetingCount]:
        """Each meeting that started in [start, end) and was not cancelled, counted."""
        mt = _meetings.c
        roster = (
            select(
                mt.id,
                mt.organisation_id,
                mt.kind,
                mt.starts_at,
                func.count(_members.c.id),
                _count(_on_committee()),
                exists().where(_held.c.meeting_id == mt.id),
            )
            .select_from(_meetings.outerjoin(_members, _member_at_start()))
            .where(self._in_span(start, end))
            .group_by(mt.id, mt.organisation_id, mt.kind, mt.starts_at, mt.organiser_id)
        )
        answers = await self._answer_counts(start, end)
        found = []
        for id_, org_id, kind, starts_at, members, committee, marked in await self._rows(roster):
            outsiders, off_committee, present = answers.get(id_, (0, 0, 0))
            found.append(
                MeetingCount(
                    org_id=org_id,
                    kind=MeetingType(kind),
                    starts_at=starts_at,
                    members=int(members),
                    committee=int(committee),
                    outsiders=outsiders,
                    off_committee=off_committee,
                    present=present,
                    marked_held=bool(marked),
                )
            )
        return found

    async def _answer_counts(
        self, start: datetime, end: datetime
    ) -> dict[int, tuple[int, int, int]]:
        """Meeting -> (came from outside its members, came from off its committee, checked
        in), where "came" is an answer other than none, or a check-in."""
        a = _answers.c
        checked_in = a.checked_in_at.is_not(None)
        came = or_(a.rsvp != Rsvp.NONE, checked_in)
        outside = _members.c.id.is_(None)
        statement = (
            select(
                a.meeting_id,
                _count(and_(came, outside)),
                _count(and_(came, or_(outside, ~_on_committee()))),
                _count(checked_in),
            )
            .select_from(
                _answers.join(_meetings, _meetings.c.id == a.meeting_id).outerjoin(
                    _members, and_(_member_at_start(), _members.c.user_id == a.user_id)
                )
            )
            .where(self._in_span(start, end))
            .group_by(a.meeting_id)
        )
        return {
            meeting: (int(outsiders), int(off), int(present))
            for meeting, outsiders, off, present in await self._rows(statement)
        }

    async def study(self, start: datetime, end: datetime) -> dict[int, tuple[int, int]]:
        """Organisation -> (studied, expected) over the topics published to it in
        [start, end): expected are its members between a topic's publication and deadline
        (once per group the topic reached it through, as the ledger counts)."""
        t, tg, m, r = _topics.c, _targets.c, _members.c, _records.c
        during = and_(
            m.joined_at <= t.deadline_at, or_(m.left_at.is_(None), m.left_at > t.published_at)
        )
        # An EXISTS per member and topic is one probe of the (topic, user) unique index; as
        # a join, PostgreSQL's planner took the per-user index and filtered by topic.
        studied = exists().where(r.topic_id == t.id, r.user_id == m.user_id)
        statement = (
            select(tg.organisation_id, _count(studied), func.count())
            .select_from(
                _targets.join(_topics, t.id == tg.topic_id).join(
                    _members, and_(m.organisation_id == tg.organisation_id, during)
                )
            )
            .where(
                t.status == PUBLISHED,
                t.published_at >= start,
                t.published_at < end,
                tg.organisation_id.in_(self._org_ids),
            )
            .group_by(tg.organisation_id)
        )
        return {org: (int(done), int(due)) for org, done, due in await self._rows(statement)}
