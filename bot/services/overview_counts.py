"""Read the 概览's counts of one subtree (storage/repositories/overview.py) in the caller's
transaction."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.overview import OverviewCounts
from bot.core.periods import Period
from bot.services.ledger_build import away_facts, span
from storage.repositories import OrganisationRepo
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
        away=await away_facts(session, orgs, period, tz, now),
    )
