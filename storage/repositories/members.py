"""Telegram users and their memberships of organisations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import MemberStatus, Role
from storage.db import dialect_insert
from storage.models import Member, User
from storage.records import MemberRecord, UserRecord


def _user(row: User) -> UserRecord:
    return UserRecord(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        real_name=row.real_name,
        can_dm=row.can_dm,
    )


def _member(row: Member, user: User) -> MemberRecord:
    return MemberRecord(
        id=row.id,
        organisation_id=row.organisation_id,
        user=_user(user),
        role=row.role,
        status=row.status,
        floating=row.floating,
        joined_at=row.joined_at,
        left_at=row.left_at,
    )


class UserRepo:
    """Reads and writes users."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> UserRecord | None:
        """The user with this Telegram id."""
        row = await self._session.get(User, user_id)
        return _user(row) if row else None

    async def upsert(
        self, user_id: int, *, username: str | None, display_name: str, now: datetime
    ) -> UserRecord:
        """Create the user or refresh what Telegram says about them (race-free)."""
        insert = dialect_insert(self._session)(User).values(
            id=user_id,
            username=username,
            display_name=display_name,
            can_dm=False,
            created_at=now,
            updated_at=now,
        )
        await self._session.execute(
            insert.on_conflict_do_update(
                index_elements=[User.id],
                set_={"username": username, "display_name": display_name, "updated_at": now},
            )
        )
        row = await self._session.get(User, user_id, populate_existing=True)
        assert row is not None
        return _user(row)

    async def set_real_name(self, user_id: int, real_name: str, now: datetime) -> None:
        """Record the user's real name."""
        await self._session.execute(
            update(User).where(User.id == user_id).values(real_name=real_name, updated_at=now)
        )

    async def set_can_dm(self, user_id: int, can_dm: bool, now: datetime) -> None:
        """Record whether the bot may message the user privately."""
        await self._session.execute(
            update(User).where(User.id == user_id).values(can_dm=can_dm, updated_at=now)
        )


class MemberRepo:
    """Reads and writes memberships."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @staticmethod
    def _query() -> Select[Member, User]:
        return select(Member, User).join(User, Member.user_id == User.id)

    async def get(self, organisation_id: int, user_id: int) -> MemberRecord | None:
        """The membership of this user in this organisation (left or not)."""
        row = (
            await self._session.execute(
                self._query().where(
                    Member.organisation_id == organisation_id, Member.user_id == user_id
                )
            )
        ).first()
        return _member(*row) if row else None

    async def join(
        self, organisation_id: int, user_id: int, now: datetime, *, floating: bool = False
    ) -> MemberRecord:
        """Record the user as a member; a member who had left comes back (race-free)."""
        insert = dialect_insert(self._session)(Member).values(
            organisation_id=organisation_id,
            user_id=user_id,
            role=Role.MEMBER,
            status=MemberStatus.FULL,
            floating=floating,
            joined_at=now,
        )
        await self._session.execute(
            insert.on_conflict_do_nothing(index_elements=["organisation_id", "user_id"])
        )
        await self._session.execute(
            update(Member)
            .where(
                Member.organisation_id == organisation_id,
                Member.user_id == user_id,
                Member.left_at.is_not(None),
            )
            .values(left_at=None, joined_at=now)
        )
        member = await self.get(organisation_id, user_id)
        assert member is not None
        return member

    async def leave(self, organisation_id: int, user_id: int, now: datetime) -> bool:
        """Mark the member as gone; False when they were not an active member."""
        result = await self._session.execute(
            update(Member)
            .where(
                Member.organisation_id == organisation_id,
                Member.user_id == user_id,
                Member.left_at.is_(None),
            )
            .values(left_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def set_role(self, organisation_id: int, user_id: int, role: Role) -> None:
        """Change the member's post."""
        await self._session.execute(
            update(Member)
            .where(Member.organisation_id == organisation_id, Member.user_id == user_id)
            .values(role=role)
        )

    async def set_status(self, organisation_id: int, user_id: int, status: MemberStatus) -> None:
        """Change the member's standing."""
        await self._session.execute(
            update(Member)
            .where(Member.organisation_id == organisation_id, Member.user_id == user_id)
            .values(status=status)
        )

    async def of_organisation(
        self, organisation_id: int, *, active_only: bool = True
    ) -> list[MemberRecord]:
        """The organisation's roster, by name."""
        query = self._query().where(Member.organisation_id == organisation_id)
        if active_only:
            query = query.where(Member.left_at.is_(None))
        rows = await self._session.execute(query.order_by(User.real_name, User.display_name))
        return [_member(*row) for row in rows]

    async def user_ids_by_organisation(self, organisation_ids: list[int]) -> dict[int, list[int]]:
        """The active members' user ids of each of these organisations (one query)."""
        rosters: dict[int, list[int]] = {org_id: [] for org_id in organisation_ids}
        if not organisation_ids:
            return rosters
        rows = await self._session.execute(
            select(Member.organisation_id, Member.user_id).where(
                Member.organisation_id.in_(organisation_ids), Member.left_at.is_(None)
            )
        )
        for org_id, user_id in rows:
            rosters[org_id].append(user_id)
        return rosters

    async def of_user(self, user_id: int) -> list[MemberRecord]:
        """Every active membership of the user."""
        rows = await self._session.execute(
            self._query().where(Member.user_id == user_id, Member.left_at.is_(None))
        )
        return [_member(*row) for row in rows]
