"""What a ledger (台账) is computed from, read as plain rows in a handful of statements.

A county's ledger reads hundreds of thousands of answers: Core statements, no ORM objects,
and no per-row datetime where a flag does (a check-in is read as "checked in or not"). The
meetings and topics are filtered in SQL by a subquery, never by a list of ids (a county has
more meetings than a statement may carry parameters).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, Select, Table, func, or_, select, text, union
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import Role
from bot.core.ledger_snapshot import AnswerInfo, MeetingInfo, Membership, OrgInfo, TopicInfo
from bot.core.meetings import MeetingStatus
from storage.models import (
    Member,
    Organisation,
    StudyAnswer,
    StudyRecord,
    StudyTarget,
    StudyTopic,
    User,
)
from storage.models.meetings import Meeting, MeetingAnswer
from storage.records import PUBLISHED

_meetings, _answers = cast(Table, Meeting.__table__), cast(Table, MeetingAnswer.__table__)
_members, _users = cast(Table, Member.__table__), cast(Table, User.__table__)
_topics, _targets = cast(Table, StudyTopic.__table__), cast(Table, StudyTarget.__table__)
_records, _quiz = cast(Table, StudyRecord.__table__), cast(Table, StudyAnswer.__table__)
_orgs = cast(Table, Organisation.__table__)


async def plan_for_values(session: AsyncSession) -> None:
    """PostgreSQL: plan the rest of the transaction's statements for their own values. A
    statement with hundreds of ids, prepared and run a sixth time, gets a generic plan that
    took 1-1.5 s where its own took 50-250 ms (the 概览's read of members away)."""
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        await connection.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def depth_first(orgs: list[OrgInfo], root_id: int) -> list[OrgInfo]:
    """The root, then each organisation below it after its parent, siblings by name."""
    children: dict[int | None, list[OrgInfo]] = {}
    for org in orgs:
        children.setdefault(org.parent_id, []).append(org)
    by_id = {org.id: org for org in orgs}
    ordered, stack = [], [by_id[root_id]]
    while stack:
        org = stack.pop()
        ordered.append(org)
        stack.extend(sorted(children.get(org.id, []), key=lambda o: o.name, reverse=True))
    return ordered


class LedgerRepo:
    """The reads of one ledger: organisations, members, meetings, answers, study."""

    def __init__(self, session: AsyncSession, org_ids: list[int]) -> None:
        self._session, self._org_ids = session, org_ids

    @property
    def org_ids(self) -> list[int]:
        """The organisations of the subtree."""
        return self._org_ids

    async def _rows(self, statement: Any) -> Sequence[Any]:
        """Plain rows (typed loosely: each caller unpacks its own columns)."""
        connection = await self._session.connection()
        rows: Sequence[Row[Any]] = (await connection.execute(statement)).all()
        return rows

    async def organisations(self, root_id: int) -> list[OrgInfo]:
        """The subtree, root first, depth first."""
        columns = (_orgs.c.id, _orgs.c.name, _orgs.c.kind, _orgs.c.parent_id, _orgs.c.domain)
        rows = await self._rows(select(*columns).where(_orgs.c.id.in_(self._org_ids)))
        found = [OrgInfo(*row) for row in rows]
        return depth_first(found, root_id)

    async def members(
        self,
        users: list[int] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> list[Membership]:
        """Every membership of the subtree, also those that ended; with `users`, only theirs
        and those a 支委会's roster is made of (managers, and the organisers of the meetings
        of [start, end))."""
        columns = ("organisation_id", "user_id", "role", "status", "joined_at", "left_at")
        statement = select(*(_members.c[name] for name in columns)).where(
            _members.c.organisation_id.in_(self._org_ids)
        )
        if users is not None and start is not None and end is not None:
            organisers = select(_meetings.c.organiser_id).where(
                _meetings.c.id.in_(self._meeting_ids(start, end))
            )
            statement = statement.where(
                or_(
                    _members.c.user_id.in_(users),
                    _members.c.role != Role.MEMBER,
                    _members.c.user_id.in_(organisers),
                )
            )
        # In the order they were added (SQLite's rowid order): without it PostgreSQL returns
        # an updated row where its new version lies, and the ledger's 缺席 list changes order.
        statement = statement.order_by(_members.c.id)
        return [Membership(*row) for row in await self._rows(statement)]

    def _meeting_ids(self, start: datetime, end: datetime) -> Select[Any]:
        """Meetings of the subtree that started in [start, end) and were not cancelled."""
        return select(_meetings.c.id).where(
            _meetings.c.organisation_id.in_(self._org_ids),
            _meetings.c.starts_at >= start,
            _meetings.c.starts_at < end,
            _meetings.c.status != MeetingStatus.CANCELLED,
        )

    async def count_meetings(self, start: datetime, end: datetime) -> int:
        """How many meetings the ledger will list."""
        statement = select(func.count()).select_from(self._meeting_ids(start, end).subquery())
        return int((await self._rows(statement))[0][0])

    async def meetings(self, start: datetime, end: datetime) -> list[MeetingInfo]:
        """The meetings of the ledger."""
        columns = ("id", "organisation_id", "kind", "starts_at", "place", "agenda")
        statement = select(
            *(_meetings.c[name] for name in columns), _meetings.c.organiser_id
        ).where(_meetings.c.id.in_(self._meeting_ids(start, end)))
        return [MeetingInfo(*row) for row in await self._rows(statement)]

    async def answers(
        self, start: datetime, end: datetime, users: list[int] | None = None
    ) -> list[AnswerInfo]:
        """Every answer to those meetings (of `users` only, when given); a check-in as a
        flag."""
        statement = select(
            _answers.c.meeting_id,
            _answers.c.user_id,
            _answers.c.rsvp,
            _answers.c.reason,
            _answers.c.checked_in_at.is_not(None),
        ).where(_answers.c.meeting_id.in_(self._meeting_ids(start, end)))
        if users is not None:
            # `+ 0`: walk each meeting's answers (tens) and keep these people's; by the index
            # on both columns SQLite probed every meeting for every person (105 ms -> 13 ms
            # for a county's quarter and 500 people).
            statement = statement.where((_answers.c.user_id + 0).in_(users))
        return [AnswerInfo(*row) for row in await self._rows(statement)]

    def _topic_ids(self, start: datetime, end: datetime) -> Select[Any]:
        """Topics published in [start, end) to an organisation of the subtree."""
        reaching = select(_targets.c.topic_id).where(_targets.c.organisation_id.in_(self._org_ids))
        return select(_topics.c.id).where(
            _topics.c.id.in_(reaching),
            _topics.c.status == PUBLISHED,
            _topics.c.published_at >= start,
            _topics.c.published_at < end,
        )

    async def topics(self, start: datetime, end: datetime) -> list[TopicInfo]:
        """Those topics, each with the organisations of the subtree it reached."""
        ids = self._topic_ids(start, end)
        columns = ("id", "organisation_id", "title", "published_at", "deadline_at", "quiz")
        rows = await self._rows(
            select(*(_topics.c[name] for name in columns)).where(_topics.c.id.in_(ids))
        )
        reached: dict[int, list[int]] = {}
        targets = select(_targets.c.topic_id, _targets.c.organisation_id).where(
            _targets.c.topic_id.in_(ids), _targets.c.organisation_id.in_(self._org_ids)
        )
        for topic_id, org_id in await self._rows(targets):
            reached.setdefault(topic_id, []).append(org_id)
        return [
            TopicInfo(id_, org, title, published, deadline, len(quiz or ()), tuple(reached[id_]))
            for id_, org, title, published, deadline, quiz in rows
        ]

    async def studied(
        self, start: datetime, end: datetime, users: list[int] | None = None
    ) -> dict[tuple[int, int], bool]:
        """(topic, user) -> whether it was a make-up, for those topics (and `users` only,
        when given)."""
        statement = select(_records.c.topic_id, _records.c.user_id, _records.c.makeup).where(
            _records.c.topic_id.in_(self._topic_ids(start, end))
        )
        if users is not None:
            statement = statement.where(_records.c.user_id.in_(users))
        return {(topic, user): makeup for topic, user, makeup in await self._rows(statement)}

    async def quiz_correct(self, start: datetime, end: datetime) -> dict[tuple[int, int], int]:
        """(topic, user) -> correct quiz answers, for those topics."""
        correct = func.sum(func.cast(_quiz.c.correct, _quiz.c.question.type))
        statement = (
            select(_quiz.c.topic_id, _quiz.c.user_id, correct)
            .where(_quiz.c.topic_id.in_(self._topic_ids(start, end)))
            .group_by(_quiz.c.topic_id, _quiz.c.user_id)
        )
        return {(topic, user): int(n or 0) for topic, user, n in await self._rows(statement)}

    async def names(self, start: datetime, end: datetime) -> dict[int, str]:
        """The name to show of every member, answerer and organiser concerned."""
        meeting_ids = self._meeting_ids(start, end)
        people = union(
            select(_members.c.user_id).where(_members.c.organisation_id.in_(self._org_ids)),
            select(_answers.c.user_id).where(_answers.c.meeting_id.in_(meeting_ids)),
            select(_meetings.c.organiser_id).where(_meetings.c.id.in_(meeting_ids)),
        ).subquery()
        columns = ("id", "real_name", "display_name", "username")
        statement = select(*(_users.c[name] for name in columns)).where(
            _users.c.id.in_(select(people.c[0]))
        )
        return {
            id_: real or shown or username or str(id_)
            for id_, real, shown, username in await self._rows(statement)
        }
