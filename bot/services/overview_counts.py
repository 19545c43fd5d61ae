"""Read the 概览's counts of one subtree (storage/repositories/overview.py) in the caller's
transaction."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.ledger import away_changes
from bot.core.ledger_snapshot import OrgInfo
from bot.core.org_rows import OrgCounts
from bot.core.overview import OverviewCounts
from bot.core.periods import Period
from bot.services.ledger_build import away_snapshot, span
from storage.repositories import OrganisationRepo
from storage.repositories.floating import FloatingRepo
from storage.repositories.ledger import LedgerRepo
from storage.repositories.overview import OverviewRepo


async def read_overview(
    session: AsyncSession, org_id: int, period: Period, tz: ZoneInfo, now: datetime
) -> OverviewCounts:
    """The counts the 概览 of `org_id` and everything below it over `period` needs."""
    org_ids = await OrganisationRepo(session).descendant_ids(org_id)
    repo = OverviewRepo(session, org_ids)
    start, end = span(period, tz, now)
    orgs = await LedgerRepo(session, org_ids).organisations(org_id)
    return OverviewCounts(
        root_id=org_id,
        period=period,
        tz=tz,
        now=now,
        orgs=orgs,
        members=await repo.members(period.bounds(tz)[1]),
        meetings=await repo.meetings(start, end),
        study=await repo.study(start, end),
        away=await _away_counts(session, orgs, period, tz, now),
    )


async def _away_counts(
    session: AsyncSession, orgs: list[OrgInfo], period: Period, tz: ZoneInfo, now: datetime
) -> dict[int, OrgCounts]:
    """What members away during the period change in their organisations' counts (the SQL
    counts know nothing of 异地参加 and 外出), by the ledger's own rule over the away
    members' answers and study only; nothing to read for a subtree nobody left."""
    start, end = period.bounds(tz)
    stays = await FloatingRepo(session).of_orgs([org.id for org in orgs])
    away = {
        stay.org_id
        for stay in stays
        if stay.begins(tz) < end and (stay.ended_at is None or stay.ended_at > start)
    }
    if not away:
        return {}
    affected = [org for org in orgs if org.id in away]
    stays = [stay for stay in stays if stay.org_id in away]
    return away_changes(await away_snapshot(session, affected, stays, period, tz, now))
