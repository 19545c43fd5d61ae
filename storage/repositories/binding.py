"""Invitation codes and bind requests: made once, used or decided once (conditional writes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import BindRequest, Chat, Invite
from storage.records import BindRequestRecord, InviteRecord

PENDING, APPROVED, REFUSED = "pending", "approved", "refused"


class InviteRepo:
    """Reads and writes invitation codes."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(
        self,
        *,
        code: str,
        organisation_id: int,
        created_by: int,
        now: datetime,
        expires_at: datetime,
    ) -> InviteRecord:
        """A new code."""
        row = Invite(
            code=code,
            organisation_id=organisation_id,
            created_by=created_by,
            created_at=now,
            expires_at=expires_at,
        )
        self._session.add(row)
        await self._session.flush()
        return InviteRecord(code, organisation_id, created_by, expires_at)

    async def use(self, code: str, chat_id: int, now: datetime) -> InviteRecord | None:
        """Spend a code that is unused and unexpired (once, even when two groups race)."""
        row = await self._session.scalar(
            update(Invite)
            .where(Invite.code == code, Invite.used_at.is_(None), Invite.expires_at > now)
            .values(used_at=now, used_chat_id=chat_id)
            .returning(Invite),
            execution_options={"synchronize_session": False},
        )
        if row is None:
            return None
        return InviteRecord(row.code, row.organisation_id, row.created_by, row.expires_at)


class BindRequestRepo:
    """Reads and writes bind requests."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(
        self, *, chat_id: int, organisation_id: int, requested_by: int, now: datetime
    ) -> BindRequestRecord:
        """A pending request."""
        row = BindRequest(
            chat_id=chat_id,
            organisation_id=organisation_id,
            requested_by=requested_by,
            status=PENDING,
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        found = await self.get(row.id)
        assert found is not None
        return found

    async def get(self, request_id: int) -> BindRequestRecord | None:
        """The request with its group's Telegram id and title."""
        found = (
            await self._session.execute(
                select(BindRequest, Chat.telegram_id, Chat.title)
                .join(Chat, BindRequest.chat_id == Chat.id)
                .where(BindRequest.id == request_id)
                .execution_options(populate_existing=True)
            )
        ).first()
        if found is None:
            return None
        row, telegram_id, title = found
        return BindRequestRecord(
            row.id,
            row.chat_id,
            telegram_id,
            title,
            row.organisation_id,
            row.requested_by,
            row.status,
        )

    async def decide(self, request_id: int, status: str, by: int, now: datetime) -> bool:
        """Approve or refuse a pending request; False when someone decided it already."""
        result = await self._session.execute(
            update(BindRequest)
            .where(BindRequest.id == request_id, BindRequest.status == PENDING)
            .values(status=status, decided_by=by, decided_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
