"""双找: members' declarations in groups, and the groups they were made in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import MemberStatus
from storage.db import dialect_insert
from storage.models import Chat, Declaration, User
from storage.records import ChatRecord, DeclarationRecord, UserRecord


def _record(row: Declaration, user: User) -> DeclarationRecord:
    name = UserRecord(user.id, user.username, user.display_name, user.real_name, False).name
    return DeclarationRecord(
        chat_id=row.chat_id,
        user_id=row.user_id,
        name=name,
        status=row.status,
        here=row.here,
        place=row.place,
        declared_at=row.updated_at,
    )


class DeclarationRepo:
    """Reads and writes declarations."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def declare(
        self,
        chat_id: int,
        user_id: int,
        *,
        status: MemberStatus,
        here: bool,
        place: str,
        now: datetime,
    ) -> bool:
        """Record (or update) the person's declaration in the group; True when it is new."""
        existing = await self._session.scalar(
            select(Declaration.id).where(
                Declaration.chat_id == chat_id, Declaration.user_id == user_id
            )
        )
        fields = {"status": status, "here": here, "place": place, "updated_at": now}
        insert = dialect_insert(self._session)(Declaration).values(
            chat_id=chat_id, user_id=user_id, created_at=now, **fields
        )
        await self._session.execute(
            insert.on_conflict_do_update(
                index_elements=[Declaration.chat_id, Declaration.user_id], set_=fields
            )
        )
        return existing is None

    async def in_chats(self, chat_ids: list[int] | None) -> list[DeclarationRecord]:
        """Declarations made in these groups (None: in every group), oldest first."""
        query = select(Declaration, User).join(User, User.id == Declaration.user_id)
        if chat_ids is not None:
            query = query.where(Declaration.chat_id.in_(chat_ids))
        rows = await self._session.execute(query.order_by(Declaration.updated_at, Declaration.id))
        return [_record(row, user) for row, user in rows.all()]

    async def chats(self, chat_ids: list[int] | None) -> list[ChatRecord]:
        """The groups (of these, or all) where anyone declared."""
        having = select(Declaration.chat_id).distinct()
        query = select(Chat).where(Chat.id.in_(having))
        if chat_ids is not None:
            query = query.where(Chat.id.in_(chat_ids))
        rows = await self._session.scalars(query.order_by(Chat.id))
        return [
            ChatRecord(
                row.id, row.telegram_id, row.title, row.type, row.organisation_id, row.active
            )
            for row in rows
        ]
