"""The ledger's reads of meeting records (会议记录, bot/services/minutes.py): each meeting's
record status for the 记录 column, and which meetings took place (a check-in, or a
manager's /meeting_held) for 三会一课 held against required."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repositories.minutes import MinutesRepo


async def record_statuses(session: AsyncSession, meeting_ids: list[int]) -> dict[int, str]:
    """Meeting id -> 已完成 / 草稿; a meeting without a record is absent (the sheet says 无)."""
    return await MinutesRepo(session).records_status(meeting_ids)


async def marked_held(session: AsyncSession, meeting_ids: list[int]) -> frozenset[int]:
    """The meetings of these that took place: someone checked in, or a manager marked it."""
    return frozenset(await MinutesRepo(session).held(meeting_ids))
