"""Which processes of the bot are alive (each writes its heartbeat)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import BotProcess


class ProcessRepo:
    """Heartbeats of the bot's processes."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def beat(self, owner: str, now: datetime) -> None:
        """This process is alive now."""
        statement = (
            dialect_insert(self._session)(BotProcess)
            .values(owner=owner, started_at=now, seen_at=now)
            .on_conflict_do_update(index_elements=["owner"], set_={"seen_at": now})
        )
        await self._session.execute(statement)

    async def alive(self, since: datetime) -> int:
        """How many processes beat since `since`."""
        count = await self._session.scalar(
            select(func.count()).select_from(BotProcess).where(BotProcess.seen_at >= since)
        )
        return int(count or 0)

    async def forget(self, owner: str | None = None, *, before: datetime | None = None) -> None:
        """Forget one process (it stops), or every one silent since `before`."""
        statement = delete(BotProcess)
        if owner is not None:
            statement = statement.where(BotProcess.owner == owner)
        if before is not None:
            statement = statement.where(BotProcess.seen_at < before)
        await self._session.execute(statement)
