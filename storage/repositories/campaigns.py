"""Campaigns, awards and 五星党员 edits; and the recorded facts that points are counted from.

Every count is keyed by (organisation id, user id): a member of two organisations earns in
each of them what they did there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.campaigns import Campaign, Rules
from bot.core.domain import Role
from bot.core.meetings import MeetingStatus, MeetingType
from bot.core.stars import Dimension
from storage.db import dialect_insert
from storage.models import (
    Award,
    Meeting,
    MeetingAnswer,
    Member,
    StarEdit,
    StarPublication,
    StudyAnswer,
    StudyRecord,
    StudyTarget,
    StudyTopic,
    User,
)
from storage.models import Campaign as CampaignRow
from storage.records import PUBLISHED

Key = tuple[int, int]  # (organisation id, user id)


def _campaign(row: CampaignRow) -> Campaign:
    rules = Rules(row.checkin_points, row.study_points, row.quiz_points, row.duty_points)
    return Campaign(
        row.id, row.organisation_id, row.name, row.starts_at, row.ends_at, row.subtree, rules
    )


class CampaignRepo:
    """Campaigns of organisations."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(
        self,
        *,
        organisation_id: int,
        name: str,
        window: tuple[datetime, datetime],
        subtree: bool,
        rules: Rules,
        created_by: int,
        now: datetime,
    ) -> Campaign:
        """Store a new campaign."""
        row = CampaignRow(
            organisation_id=organisation_id,
            name=name,
            starts_at=window[0],
            ends_at=window[1],
            subtree=subtree,
            created_by=created_by,
            created_at=now,
        )
        _set_rules(row, rules)
        self._session.add(row)
        await self._session.flush()
        return _campaign(row)

    async def get(self, campaign_id: int) -> Campaign | None:
        """The campaign with this id."""
        row = await self._session.get(CampaignRow, campaign_id)
        return _campaign(row) if row else None

    async def by_name(self, organisation_id: int, name: str) -> Campaign | None:
        """The organisation's campaign of this name."""
        row = await self._session.scalar(
            select(CampaignRow).where(
                CampaignRow.organisation_id == organisation_id, CampaignRow.name == name
            )
        )
        return _campaign(row) if row else None

    async def of_organisations(self, org_ids: list[int]) -> list[Campaign]:
        """The campaigns of these organisations, newest start first."""
        rows = await self._session.scalars(
            select(CampaignRow)
            .where(CampaignRow.organisation_id.in_(org_ids))
            .order_by(CampaignRow.starts_at.desc(), CampaignRow.id.desc())
        )
        return [_campaign(row) for row in rows]

    async def ending_after(self, moment: datetime) -> list[Campaign]:
        """Campaigns whose window ends after `moment` (their posts may still be ahead)."""
        rows = await self._session.scalars(
            select(CampaignRow).where(CampaignRow.ends_at > moment).order_by(CampaignRow.id)
        )
        return [_campaign(row) for row in rows]

    async def set_rules(self, campaign_id: int, rules: Rules) -> Campaign:
        """Change the points of the rules."""
        row = await self._session.get_one(CampaignRow, campaign_id, with_for_update=True)
        _set_rules(row, rules)
        await self._session.flush()
        return _campaign(row)


def _set_rules(row: CampaignRow, rules: Rules) -> None:
    row.checkin_points, row.study_points = rules.checkin, rules.study
    row.quiz_points, row.duty_points = rules.quiz, rules.duty


@dataclass(frozen=True, slots=True)
class Roster:
    """An active member of an organisation, with the name to show."""

    organisation_id: int
    user_id: int
    name: str
    manager: bool


def _name(user: User) -> str:
    return user.real_name or user.display_name or user.username or str(user.id)


async def _counts(session: AsyncSession, statement: Any) -> dict[Key, int]:
    rows: Sequence[Any] = (await session.execute(statement)).all()
    return {(int(org), int(user)): int(count) for org, user, count in rows}


class FactRepo:
    """The recorded facts, counted per (organisation, member) within a window."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def roster(self, org_ids: list[int]) -> list[Roster]:
        """The active members of these organisations."""
        rows = await self._session.execute(
            select(Member.organisation_id, Member.user_id, User, Member.role)
            .join(User, User.id == Member.user_id)
            .where(Member.organisation_id.in_(org_ids), Member.left_at.is_(None))
        )
        return [
            Roster(org, user_id, _name(user), Role(role).is_manager)
            for org, user_id, user, role in rows
        ]

    async def checkins(self, org_ids: list[int], start: datetime, end: datetime) -> dict[Key, int]:
        """Check-ins (参加 with 签到) at the organisations' meetings that were not cancelled."""
        return await _counts(
            self._session,
            select(Meeting.organisation_id, MeetingAnswer.user_id, func.count())
            .join(Meeting, Meeting.id == MeetingAnswer.meeting_id)
            .where(
                Meeting.organisation_id.in_(org_ids),
                Meeting.status != MeetingStatus.CANCELLED,
                MeetingAnswer.checked_in_at >= start,
                MeetingAnswer.checked_in_at < end,
            )
            .group_by(Meeting.organisation_id, MeetingAnswer.user_id),
        )

    async def studies(self, org_ids: list[int], start: datetime, end: datetime) -> dict[Key, int]:
        """已学习 (and 已补学) taps on topics published to the organisations."""
        return await _counts(
            self._session,
            select(
                StudyTarget.organisation_id,
                StudyRecord.user_id,
                func.count(distinct(StudyRecord.id)),
            )
            .join(StudyTarget, StudyTarget.topic_id == StudyRecord.topic_id)
            .where(
                StudyTarget.organisation_id.in_(org_ids),
                StudyRecord.studied_at >= start,
                StudyRecord.studied_at < end,
            )
            .group_by(StudyTarget.organisation_id, StudyRecord.user_id),
        )

    async def quiz(self, org_ids: list[int], start: datetime, end: datetime) -> dict[Key, int]:
        """Correct quiz answers on topics published to the organisations."""
        return await _counts(
            self._session,
            select(
                StudyTarget.organisation_id,
                StudyAnswer.user_id,
                func.count(distinct(StudyAnswer.id)),
            )
            .join(StudyTarget, StudyTarget.topic_id == StudyAnswer.topic_id)
            .where(
                StudyTarget.organisation_id.in_(org_ids),
                StudyAnswer.correct.is_(True),
                StudyAnswer.answered_at >= start,
                StudyAnswer.answered_at < end,
            )
            .group_by(StudyTarget.organisation_id, StudyAnswer.user_id),
        )

    async def awards(self, org_ids: list[int], start: datetime, end: datetime) -> dict[Key, int]:
        """The sum of award points."""
        return await _counts(
            self._session,
            select(Award.organisation_id, Award.user_id, func.sum(Award.points))
            .where(
                Award.organisation_id.in_(org_ids),
                Award.awarded_at >= start,
                Award.awarded_at < end,
            )
            .group_by(Award.organisation_id, Award.user_id),
        )

    async def topics(self, org_ids: list[int], start: datetime, end: datetime) -> dict[int, int]:
        """Topics published to each organisation in the window (what members were asked to
        study)."""
        rows = await self._session.execute(
            select(StudyTarget.organisation_id, func.count())
            .join(StudyTopic, StudyTopic.id == StudyTarget.topic_id)
            .where(
                StudyTarget.organisation_id.in_(org_ids),
                StudyTopic.status == PUBLISHED,
                StudyTopic.published_at >= start,
                StudyTopic.published_at < end,
            )
            .group_by(StudyTarget.organisation_id)
        )
        return {int(org): int(count) for org, count in rows}

    async def meetings(
        self, org_ids: list[int], start: datetime, end: datetime
    ) -> dict[int, tuple[int, int]]:
        """Meetings of each organisation that started in the window and were not cancelled:
        (all of them, of which 支委会)."""
        rows = await self._session.execute(
            select(Meeting.organisation_id, Meeting.kind, func.count())
            .where(
                Meeting.organisation_id.in_(org_ids),
                Meeting.status != MeetingStatus.CANCELLED,
                Meeting.starts_at >= start,
                Meeting.starts_at < end,
            )
            .group_by(Meeting.organisation_id, Meeting.kind)
        )
        found: dict[int, tuple[int, int]] = {}
        for org, kind, count in rows:
            total, committee = found.get(int(org), (0, 0))
            extra = int(count) if kind == MeetingType.COMMITTEE else 0
            found[int(org)] = (total + int(count), committee + extra)
        return found


class AwardRepo:
    """Managers' awards."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        organisation_id: int,
        user_id: int,
        points: int,
        reason: str,
        awarded_by: int,
        now: datetime,
    ) -> None:
        """Record an award: who gave how many points to whom, why, when."""
        self._session.add(
            Award(
                organisation_id=organisation_id,
                user_id=user_id,
                points=points,
                reason=reason,
                awarded_by=awarded_by,
                awarded_at=now,
            )
        )
        await self._session.flush()


class StarRepo:
    """Managers' edits of 五星党员 ratings, and the lists published."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def edits(self, organisation_id: int, period: str) -> dict[int, dict[Dimension, int]]:
        """The managers' stars over the draft, per member."""
        rows = await self._session.execute(
            select(StarEdit.user_id, StarEdit.dimension, StarEdit.stars).where(
                StarEdit.organisation_id == organisation_id, StarEdit.period == period
            )
        )
        found: dict[int, dict[Dimension, int]] = {}
        for user_id, dimension, stars in rows:
            found.setdefault(int(user_id), {})[Dimension(dimension)] = int(stars)
        return found

    async def set(
        self, key: tuple[int, str, int], dimension: Dimension, stars: int, by: int, now: datetime
    ) -> None:
        """Set one member's stars in one dimension; `key` is (organisation, period, user)."""
        organisation_id, period, user_id = key
        values = {
            "organisation_id": organisation_id,
            "period": period,
            "user_id": user_id,
            "dimension": dimension.value,
            "stars": stars,
            "set_by": by,
            "set_at": now,
        }
        statement = (
            dialect_insert(self._session)(StarEdit)
            .values(values)
            .on_conflict_do_update(
                index_elements=["organisation_id", "period", "user_id", "dimension"],
                set_={"stars": stars, "set_by": by, "set_at": now},
            )
        )
        await self._session.execute(statement)

    async def publish(
        self, organisation_id: int, period: str, text: str, by: int, now: datetime
    ) -> int:
        """Record a published list; its id."""
        row = StarPublication(
            organisation_id=organisation_id,
            period=period,
            text=text,
            published_by=by,
            published_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def publication(self, publication_id: int) -> str | None:
        """The text of a published list."""
        row = await self._session.get(StarPublication, publication_id)
        return row.text if row else None
