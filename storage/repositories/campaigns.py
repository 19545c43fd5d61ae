"""Campaigns, managers' awards, and 五星党员 edits and publications (the facts points are
counted from are read by campaign_facts.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.campaigns import Campaign, Rules
from bot.core.stars import Dimension
from storage.db import dialect_insert
from storage.models import Award, StarEdit, StarPublication
from storage.models import Campaign as CampaignRow


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
