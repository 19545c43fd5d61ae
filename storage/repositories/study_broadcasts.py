"""Broadcasts: the draft, its scope, its live progress and its end."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import Domain
from bot.core.study import Scope
from storage.models import Broadcast
from storage.records import CANCELLED, DONE, DRAFT, SENDING, BroadcastRecord


def _record(row: Broadcast) -> BroadcastRecord:
    return BroadcastRecord(
        id=row.id,
        organisation_id=row.organisation_id,
        created_by=row.created_by,
        source_chat_id=row.source_chat_id,
        source_message_id=row.source_message_id,
        control_chat_id=row.control_chat_id,
        control_message_id=row.control_message_id,
        scope=row.scope,
        domain=row.domain,
        status=row.status,
        target_count=row.target_count,
        progress_at=row.progress_at,
        progress_text=row.progress_text,
    )


class BroadcastRepo:
    """Reads and writes broadcasts; state changes are conditional, so racing callers agree."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(
        self,
        *,
        now: datetime,
        organisation_id: int,
        created_by: int,
        source: tuple[int, int],
        control_chat_id: int,
    ) -> BroadcastRecord:
        """A draft broadcast of the message `source` (chat id, message id)."""
        row = Broadcast(
            organisation_id=organisation_id,
            created_by=created_by,
            source_chat_id=source[0],
            source_message_id=source[1],
            control_chat_id=control_chat_id,
            status=DRAFT,
            target_count=0,
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return _record(row)

    async def get(self, broadcast_id: int) -> BroadcastRecord | None:
        """The broadcast with this id."""
        row = await self._session.scalar(
            select(Broadcast)
            .where(Broadcast.id == broadcast_id)
            .execution_options(populate_existing=True)
        )
        return _record(row) if row else None

    async def _change(self, broadcast_id: int, current: str, **values: object) -> bool:
        result = await self._session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id, Broadcast.status == current)
            .values(**values)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def set_control_message(self, broadcast_id: int, message_id: int) -> None:
        """The message that shows the preview, then the progress."""
        await self._session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id)
            .values(control_message_id=message_id)
        )

    async def choose(
        self, broadcast_id: int, scope: Scope, domain: Domain | None, count: int
    ) -> bool:
        """Set the scope of a draft and how many groups it reaches."""
        return await self._change(
            broadcast_id, DRAFT, scope=scope, domain=domain, target_count=count
        )

    async def confirm(self, broadcast_id: int, count: int, now: datetime) -> bool:
        """Start sending a draft (once); False when it was confirmed or cancelled already."""
        return await self._change(
            broadcast_id, DRAFT, status=SENDING, target_count=count, confirmed_at=now
        )

    async def cancel(self, broadcast_id: int) -> bool:
        """Drop a draft."""
        return await self._change(broadcast_id, DRAFT, status=CANCELLED)

    async def sending(self) -> list[BroadcastRecord]:
        """Broadcasts still going out."""
        rows = await self._session.scalars(
            select(Broadcast).where(Broadcast.status == SENDING).order_by(Broadcast.id)
        )
        return [_record(row) for row in rows]

    async def claim_progress(
        self, broadcast_id: int, now: datetime, every: timedelta, text: str
    ) -> bool:
        """Take the right to show `text` now: not within `every` of the last, and new."""
        result = await self._session.execute(
            update(Broadcast)
            .where(
                Broadcast.id == broadcast_id,
                Broadcast.status == SENDING,
                (Broadcast.progress_at.is_(None)) | (Broadcast.progress_at <= now - every),
                (Broadcast.progress_text.is_(None)) | (Broadcast.progress_text != text),
            )
            .values(progress_at=now, progress_text=text)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def finish(self, broadcast_id: int, now: datetime, text: str) -> bool:
        """Mark the broadcast done (once), with its report."""
        values = {"finished_at": now, "progress_at": now, "progress_text": text}
        return await self._change(broadcast_id, SENDING, status=DONE, **values)
