"""Drafts of guided flows, one per (chat, person, flow)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import FlowDraft
from storage.records import DraftRecord

_drafts = cast(Table, FlowDraft.__table__)
OF = (
    select(_drafts.c.flow, _drafts.c.state, _drafts.c.updated_at)
    .where(_drafts.c.chat_id == bindparam("chat_id"), _drafts.c.user_id == bindparam("user_id"))
    .order_by(_drafts.c.updated_at.desc())
)


class DraftRepo:
    """Reads and writes drafts."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of(self, chat_id: int, user_id: int) -> list[DraftRecord]:
        """The person's drafts in the chat, the one that moved last first."""
        # Looked up for every private text and every reply to the bot (handlers/drafts.py):
        # a statement built once, run as Core on the session's connection (no ORM objects).
        connection = await self._session.connection()
        rows = await connection.execute(OF, {"chat_id": chat_id, "user_id": user_id})
        return [DraftRecord(flow, dict(state), updated_at) for flow, state, updated_at in rows]

    async def put(
        self, chat_id: int, user_id: int, flow: str, state: dict[str, Any], now: datetime
    ) -> None:
        """Store the draft (replacing the flow's earlier one)."""
        values = {"state": state, "updated_at": now}
        statement = (
            dialect_insert(self._session)(FlowDraft)
            .values(chat_id=chat_id, user_id=user_id, flow=flow, created_at=now, **values)
            .on_conflict_do_update(index_elements=["chat_id", "user_id", "flow"], set_=values)
        )
        await self._session.execute(statement)

    async def drop(self, chat_id: int, user_id: int, flow: str | None = None) -> int:
        """Forget the person's draft of `flow` (None: every flow); how many went."""
        statement = delete(FlowDraft).where(
            FlowDraft.chat_id == chat_id, FlowDraft.user_id == user_id
        )
        if flow is not None:
            statement = statement.where(FlowDraft.flow == flow)
        result = await self._session.execute(statement)
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def drop_older(self, before: datetime) -> int:
        """Forget drafts nobody touched since `before`."""
        result = await self._session.execute(
            delete(FlowDraft).where(FlowDraft.updated_at < before)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
