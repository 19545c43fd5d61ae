"""What other features ask about floating members (流动党员): who of an organisation is away
now, and what they did elsewhere (the ledger's 异地参加)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.floating import Stay, away_activity
from storage.repositories.floating import FloatingRepo


async def floating_facts(
    session: AsyncSession,
    org_ids: list[int],
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    stays: list[Stay] | None = None,
) -> dict[str, Any]:
    """The ledger snapshot's `stays` and `away_activity` for the subtree over [start, end)
    (`stays`: every stay away from these organisations, when the caller has read them)."""
    repo = FloatingRepo(session)
    if stays is None:
        stays = await repo.of_orgs(org_ids)
    users = sorted({stay.user_id for stay in stays})
    done = await repo.activity(users, start, end)
    return {"stays": stays, "away_activity": away_activity(stays, done, tz)}


async def away_now(session: AsyncSession, org_id: int) -> dict[int, Stay]:
    """User id -> open stay, for the organisation's members away now."""
    return {stay.user_id: stay for stay in await FloatingRepo(session).open_of_org(org_id)}


async def allow_remote(session: AsyncSession, meeting_id: int) -> None:
    """Open the meeting to remote participation (线上可参加)."""
    await FloatingRepo(session).allow_remote(meeting_id)


async def remote_allowed(session: AsyncSession, meeting_id: int) -> bool:
    """The organiser opened the meeting to remote participation (线上可参加)."""
    return await FloatingRepo(session).remote_allowed(meeting_id)
