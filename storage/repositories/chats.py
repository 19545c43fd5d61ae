"""Telegram groups and their binding to organisations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import Chat, Delivery, Organisation
from storage.records import ChatRecord


def _record(row: Chat) -> ChatRecord:
    return ChatRecord(
        id=row.id,
        telegram_id=row.telegram_id,
        title=row.title,
        type=row.type,
        organisation_id=row.organisation_id,
        active=row.active,
    )


class ChatRepo:
    """Reads and writes chats."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _row(self, telegram_id: int, *, lock: bool = False) -> Chat | None:
        query = select(Chat).where(Chat.telegram_id == telegram_id)
        return await self._session.scalar(query.with_for_update() if lock else query)

    async def get(self, telegram_id: int) -> ChatRecord | None:
        """The chat with this Telegram id."""
        row = await self._row(telegram_id)
        return _record(row) if row else None

    async def upsert(
        self, telegram_id: int, *, title: str, type_: str, now: datetime, active: bool = True
    ) -> ChatRecord:
        """Create the chat or refresh its title, type and activity (race-free)."""
        fields = {"title": title, "type": type_, "active": active, "updated_at": now}
        insert = dialect_insert(self._session)(Chat).values(
            telegram_id=telegram_id, created_at=now, **fields
        )
        await self._session.execute(
            insert.on_conflict_do_update(index_elements=[Chat.telegram_id], set_=fields)
        )
        row = await self._row(telegram_id)
        assert row is not None
        await self._session.refresh(row)
        return _record(row)

    async def set_active(self, telegram_id: int, active: bool, now: datetime) -> None:
        """Mark the bot as present in (or gone from) the chat."""
        await self._session.execute(
            update(Chat)
            .where(Chat.telegram_id == telegram_id)
            .values(active=active, updated_at=now)
        )

    async def bind(self, telegram_id: int, organisation_id: int | None, now: datetime) -> None:
        """Bind the chat to an organisation (None unbinds)."""
        await self._session.execute(
            update(Chat)
            .where(Chat.telegram_id == telegram_id)
            .values(organisation_id=organisation_id, updated_at=now)
        )

    async def for_organisations(self, org_ids: list[int]) -> list[ChatRecord]:
        """Active chats bound to any of these organisations."""
        rows = await self._session.scalars(
            select(Chat)
            .where(Chat.organisation_id.in_(org_ids), Chat.active.is_(True))
            .order_by(Chat.id)
        )
        return [_record(row) for row in rows]

    async def bound_with_organisation(self) -> list[tuple[ChatRecord, str]]:
        """Every active chat bound to an organisation, with the organisation's name."""
        rows = await self._session.execute(
            select(Chat, Organisation.name)
            .join(Organisation, Chat.organisation_id == Organisation.id)
            .where(Chat.active.is_(True))
            .order_by(Chat.id)
        )
        return [(_record(chat), name) for chat, name in rows.all()]

    async def migrate(self, old_id: int, new_id: int, now: datetime) -> ChatRecord | None:
        """Follow a group's upgrade to a supergroup: everything keyed by `old_id` moves."""
        await self._session.execute(
            update(Delivery).where(Delivery.chat_id == old_id).values(chat_id=new_id)
        )
        # The migration notice comes twice (old chat and new chat) and a send to the old id
        # reports it too, so several transactions may race here. Locking the old row makes the
        # losers wait and then find it gone; without the lock a loser could read the old row
        # before the winner's commit and the same row again as `new` after it, and delete it.
        old = await self._row(old_id, lock=True)
        if old is None:
            return None
        new = await self._row(new_id)
        if new is not None and new is not old:
            # The supergroup spoke before the migration notice arrived; the old row has the
            # history, so it wins and the fresh row goes.
            old.organisation_id = old.organisation_id or new.organisation_id
            await self._session.delete(new)
            await self._session.flush()
        old.telegram_id, old.type, old.updated_at = new_id, "supergroup", now
        await self._session.flush()
        return _record(old)
