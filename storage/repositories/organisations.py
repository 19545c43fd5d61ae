"""Organisations and their tree."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import Domain, OrgKind
from bot.core.names import clean_org_name
from storage.models import Chat, Member, Organisation
from storage.records import OrganisationRecord


def _record(row: Organisation) -> OrganisationRecord:
    return OrganisationRecord(
        id=row.id,
        name=row.name,
        kind=row.kind,
        domain=row.domain,
        floating=row.floating,
        parent_id=row.parent_id,
    )


class OrganisationRepo:
    """Reads and writes organisations."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, org_id: int) -> OrganisationRecord | None:
        """The organisation with this id."""
        row = await self._session.get(Organisation, org_id)
        return _record(row) if row else None

    async def get_many(self, org_ids: list[int]) -> dict[int, OrganisationRecord]:
        """The organisations with these ids (one query), by id."""
        if not org_ids:
            return {}
        rows = await self._session.scalars(
            select(Organisation).where(Organisation.id.in_(org_ids))
        )
        return {row.id: _record(row) for row in rows}

    async def by_name(self, name: str) -> OrganisationRecord | None:
        """The organisation with this name, spelt any way that reads the same."""
        name = clean_org_name(name)
        row = await self._session.scalar(select(Organisation).where(Organisation.name == name))
        return _record(row) if row else None

    async def all(self) -> list[OrganisationRecord]:
        """Every organisation, in the order they were created."""
        rows = await self._session.scalars(select(Organisation).order_by(Organisation.id))
        return [_record(row) for row in rows]

    async def create(
        self,
        *,
        name: str,
        kind: OrgKind,
        domain: Domain,
        now: datetime,
        floating: bool = False,
        parent_id: int | None = None,
    ) -> OrganisationRecord:
        """Add an organisation (its name in the one spelling of bot.core.names)."""
        row = Organisation(
            name=clean_org_name(name),
            kind=kind,
            domain=domain,
            floating=floating,
            parent_id=parent_id,
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return _record(row)

    async def update(
        self,
        org_id: int,
        *,
        kind: OrgKind | None = None,
        domain: Domain | None = None,
        floating: bool | None = None,
    ) -> OrganisationRecord:
        """Change the given attributes; None leaves one as it is."""
        row = await self._session.get_one(Organisation, org_id)
        if kind is not None:
            row.kind = kind
        if domain is not None:
            row.domain = domain
        if floating is not None:
            row.floating = floating
        await self._session.flush()
        return _record(row)

    async def set_parent(self, org_id: int, parent_id: int | None) -> None:
        """Place the organisation under another (or at the top)."""
        row = await self._session.get_one(Organisation, org_id)
        row.parent_id = parent_id
        await self._session.flush()

    async def ancestor_ids(self, org_id: int) -> list[int]:
        """The organisation and every organisation above it, nearest first."""
        tree = (
            select(Organisation.id, Organisation.parent_id, literal(0).label("depth"))
            .where(Organisation.id == org_id)
            .cte("ancestors", recursive=True)
        )
        tree = tree.union_all(
            select(Organisation.id, Organisation.parent_id, tree.c.depth + 1).join(
                tree, Organisation.id == tree.c.parent_id
            )
        )
        rows = await self._session.execute(select(tree.c.id).order_by(tree.c.depth))
        return list(rows.scalars())

    async def descendant_ids(self, org_id: int) -> list[int]:
        """The organisation and every organisation below it."""
        tree = (
            select(Organisation.id).where(Organisation.id == org_id).cte("below", recursive=True)
        )
        tree = tree.union_all(
            select(Organisation.id).join(tree, Organisation.parent_id == tree.c.id)
        )
        return list((await self._session.execute(select(tree.c.id))).scalars())

    async def member_counts(self) -> dict[int, int]:
        """Active members per organisation id."""
        rows = await self._session.execute(
            select(Member.organisation_id, func.count())
            .where(Member.left_at.is_(None))
            .group_by(Member.organisation_id)
        )
        return {org_id: count for org_id, count in rows}

    async def chat_titles(self) -> dict[int, list[str]]:
        """Titles of the active chats bound to each organisation id."""
        rows = await self._session.execute(
            select(Chat.organisation_id, Chat.title)
            .where(Chat.organisation_id.is_not(None), Chat.active.is_(True))
            .order_by(Chat.title)
        )
        titles: dict[int, list[str]] = {}
        for org_id, title in rows:
            if org_id is not None:
                titles.setdefault(org_id, []).append(title)
        return titles
