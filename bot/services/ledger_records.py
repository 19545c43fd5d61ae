"""The ledger's seam to meeting records (会议记录): each meeting's record status, and the
meetings a manager marked as held.

Meeting records are another feature's tables; until they exist here these say "no record"
(the sheet shows 无) and "none marked" (a meeting counts as held when someone checked in).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repositories.ledger import LedgerRepo


async def record_statuses(
    session: AsyncSession,  # noqa: ARG001 - the records' tables will be read through it
    repo: LedgerRepo,  # noqa: ARG001
    start: datetime,  # noqa: ARG001
    end: datetime,  # noqa: ARG001
) -> dict[int, str]:
    """Meeting id -> the status of its record (已完成 …); a meeting without one is absent."""
    return {}


async def marked_held(
    session: AsyncSession,  # noqa: ARG001
    repo: LedgerRepo,  # noqa: ARG001
    start: datetime,  # noqa: ARG001
    end: datetime,  # noqa: ARG001
) -> frozenset[int]:
    """The meetings of the period a manager marked as held (/meeting_held)."""
    return frozenset()
